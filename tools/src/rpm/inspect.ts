/**
 * A JSON-ready description of one RPM for `leviso inspect FILE.rpm --json`: the package fields
 * and its entries sorted by path. Objects are built with a fixed key order and no undefined
 * values, so `JSON.stringify` gives the same text for the same file every time.
 */

import type { PackageEntry, PackageScript } from '../packages/model.ts';
import { COMPARISON_OPERATOR, evrText } from '../rpm-repo/dependency-text.ts';
import type { RpmDependency } from '../rpm-repo/types.ts';
import type { RpmDependencies } from './dependencies.ts';
import { listRpmEntries } from './files.ts';
import { readRpmHeaders } from './package-headers.ts';
import { listSignatures, type RpmSignatureSummary } from './signatures.ts';

export interface RpmInspectedDependency {
  readonly name: string;
  /** `<`, `<=`, `=`, `>=` or `>` for a versioned dependency. */
  readonly comparison?: string;
  readonly version?: string;
  /** RPMSENSE_* bits as stored. */
  readonly flags: number;
}

export type RpmInspectedDependencies = {
  readonly [K in keyof RpmDependencies]: readonly RpmInspectedDependency[];
};

export interface RpmInspection {
  readonly package: {
    readonly name: string;
    readonly epoch?: number;
    readonly version: string;
    readonly release: string;
    readonly arch: string;
    readonly nevra: string;
    readonly summary: string;
    readonly license: string;
    /** Installed size in bytes. */
    readonly size: number;
    readonly source: boolean;
    readonly format: number;
    readonly payload: { readonly format: string; readonly compressor: string };
    readonly signatures: readonly RpmSignatureSummary[];
    readonly dependencies: RpmInspectedDependencies;
    readonly scripts: readonly PackageScript[];
  };
  readonly entries: readonly PackageEntry[];
}

function inspectDependency(dependency: RpmDependency): RpmInspectedDependency {
  const version = evrText(dependency);
  return {
    name: dependency.name,
    ...(dependency.flags === undefined
      ? {}
      : { comparison: COMPARISON_OPERATOR[dependency.flags] }),
    ...(version === '' ? {} : { version }),
    flags: dependency.sense ?? 0,
  };
}

/** Re-creates an entry with its keys in the order the model declares them. */
function orderedEntry(entry: PackageEntry): PackageEntry {
  return {
    path: entry.path,
    type: entry.type,
    mode: entry.mode,
    user: entry.user,
    group: entry.group,
    size: entry.size,
    mtime: entry.mtime,
    ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
    ...(entry.device === undefined
      ? {}
      : { device: { major: entry.device.major, minor: entry.device.minor } }),
    ...(entry.digest === undefined
      ? {}
      : { digest: { algorithm: entry.digest.algorithm, hex: entry.digest.hex } }),
    flags: [...entry.flags],
    ...(entry.capabilities === undefined ? {} : { capabilities: entry.capabilities }),
  };
}

function orderedSignature(summary: RpmSignatureSummary): RpmSignatureSummary {
  return {
    tag: summary.tag,
    covers: summary.covers,
    ...(summary.keyId === undefined ? {} : { keyId: summary.keyId }),
    ...(summary.fingerprint === undefined ? {} : { fingerprint: summary.fingerprint }),
    ...(summary.algorithm === undefined ? {} : { algorithm: summary.algorithm }),
    ...(summary.publicKeyAlgorithm === undefined
      ? {}
      : { publicKeyAlgorithm: summary.publicKeyAlgorithm }),
    ...(summary.hashAlgorithm === undefined ? {} : { hashAlgorithm: summary.hashAlgorithm }),
    ...(summary.created === undefined ? {} : { created: summary.created }),
    ...(summary.version === undefined ? {} : { version: summary.version }),
    ...(summary.problem === undefined
      ? {}
      : { problem: { failure: summary.problem.failure, message: summary.problem.message } }),
  };
}

function orderedScript(script: PackageScript): PackageScript {
  return {
    phase: script.phase,
    ...(script.interpreter === undefined ? {} : { interpreter: script.interpreter }),
    body: script.body,
    ...(script.triggers === undefined ? {} : { triggers: [...script.triggers] }),
  };
}

/** Code-unit order, the same on every machine and locale. */
function byPath(a: PackageEntry, b: PackageEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Reads the headers of an RPM (not its payload) and describes it. */
export async function inspectRpm(file: string): Promise<RpmInspection> {
  const headers = await readRpmHeaders(file);
  const deps = headers.dependencies;
  const list = (values: readonly RpmDependency[]) => values.map(inspectDependency);
  return {
    package: {
      name: headers.name,
      ...(headers.epoch === undefined ? {} : { epoch: headers.epoch }),
      version: headers.version,
      release: headers.release,
      arch: headers.arch,
      nevra: headers.nevra,
      summary: headers.summary,
      license: headers.license,
      size: headers.installedSize,
      source: headers.isSource,
      format: headers.formatVersion,
      payload: {
        format: headers.payload.format,
        compressor: headers.payload.compressor ?? headers.payload.codec,
      },
      signatures: listSignatures(headers).map(orderedSignature),
      dependencies: {
        provides: list(deps.provides),
        requires: list(deps.requires),
        conflicts: list(deps.conflicts),
        obsoletes: list(deps.obsoletes),
        recommends: list(deps.recommends),
        suggests: list(deps.suggests),
        supplements: list(deps.supplements),
        enhances: list(deps.enhances),
      },
      scripts: headers.scripts.map(orderedScript),
    },
    entries: listRpmEntries(headers).map(orderedEntry).sort(byPath),
  };
}
