import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { artifactName } from './artifacts.ts';
import { deepFreeze } from './freeze.ts';
import type { ServiceDefinition, VariantDefinition } from './schema.ts';
import type { SecureBootOverride } from './secure-boot.ts';
import type { Overlay, Repository, SecureBoot, Service, VariantSpec } from './spec.ts';

/** Changes a build may ask for without editing the variant's files. */
export interface ResolveOptions {
  /** Use these repositories instead of the variant's own: a URL or a local folder each. */
  readonly repositories?: readonly RepositoryOverride[];
  /** Turn on optional features by name (e.g. IuppiterOS's `kiosk`). */
  readonly features?: readonly string[];
  /** Build this version instead of the variant's (os-release, artifact names). */
  readonly version?: string;
  /** Install weak dependencies (RPM Recommends, Supplements) or not, whatever the variant says. */
  readonly installWeakDeps?: boolean;
  /** Sign for Secure Boot with these, over the variant's own `secureBoot`. */
  readonly secureBoot?: SecureBootOverride;
}

export interface RepositoryOverride {
  /**
   * A URL or a local folder; a `#Tree` after a local path or `file://` URL names a tree inside
   * an ISO image (`/srv/Rocky-10.0-x86_64-dvd1.iso#BaseOS`).
   */
  readonly url: string;
  /** The repository's name; by default `override-<n>`, after its place in the list. */
  readonly name?: string;
  /** Require a verified repomd.xml.asc (RPM); off by default, as dnf's repo_gpgcheck. */
  readonly signedMetadata?: boolean;
  /** Folder of public keys trusted for this repository instead of the variant's pinned keys. */
  readonly keysDir?: string;
}

interface Provenance {
  readonly variant: string;
  readonly files: readonly string[];
  readonly overlays: readonly Overlay[];
  readonly secureBoot: SecureBoot | undefined;
  readonly options: ResolveOptions;
}

export class UnknownFeatureError extends Error {
  readonly code = 'spec-unknown-feature';
  readonly hint: string;
  constructor(variant: string, feature: string, known: readonly string[]) {
    super(`variant "${variant}" has no feature "${feature}"`);
    this.name = 'UnknownFeatureError';
    this.hint =
      known.length > 0
        ? `known features: ${known.join(', ')}`
        : 'this variant has no optional features';
  }
}

export function resolveSpec(def: VariantDefinition, from: Provenance): VariantSpec {
  const features = Object.fromEntries(
    Object.entries(def.features)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, feature]) => [
        name,
        { ...feature, enabled: feature.enabled || (from.options.features ?? []).includes(name) },
      ]),
  );
  for (const name of from.options.features ?? []) {
    if (!(name in features))
      throw new UnknownFeatureError(from.variant, name, Object.keys(features));
  }
  const enabled = Object.values(features).filter((feature) => feature.enabled);
  const version = from.options.version ?? def.version;
  const named = { ...def, version };
  const prettyName = def.prettyName ?? `${def.name} ${version}`;
  const liveCmdline = [
    `root=live:CDLABEL=${def.live.volumeLabel}`,
    'rd.live.image',
    ...def.kernel.cmdline,
    ...def.live.cmdline,
  ];
  const spec: VariantSpec = {
    variant: from.variant,
    files: from.files,
    id: def.id,
    name: def.name,
    version,
    prettyName,
    arch: def.arch,
    family: def.family,
    libc: def.libc,
    init: def.init,
    osRelease: {
      NAME: def.name,
      ID: def.id,
      VERSION_ID: version,
      PRETTY_NAME: prettyName,
      ...def.osRelease,
    },
    keys: def.keys,
    repositories: repositoriesFor(def, from.options.repositories),
    packages: unique([...def.packages, ...enabled.flatMap((feature) => feature.packages)]),
    installWeakDeps: from.options.installWeakDeps ?? def.installWeakDeps,
    services: uniqueServices([...def.services, ...enabled.flatMap((feature) => feature.services)]),
    features,
    kernel: def.kernel,
    boot: {
      live: {
        volumeLabel: def.live.volumeLabel,
        uki: artifactName(named, { kind: 'live-uki' }),
        cmdline: liveCmdline,
      },
      slots: def.disk.partitions.flatMap((part) =>
        part.role === 'system' && part.slot !== undefined
          ? [
              {
                slot: part.slot,
                partitionLabel: part.label,
                uki: artifactName(named, { kind: 'slot-uki', slot: part.slot }),
                cmdline: [`root=PARTLABEL=${part.label}`, 'rw', ...def.kernel.cmdline],
              },
            ]
          : [],
      ),
    },
    disk: def.disk,
    overlays: from.overlays,
    ...(from.secureBoot === undefined ? {} : { secureBoot: from.secureBoot }),
  };
  return deepFreeze(spec);
}

function repositoriesFor(
  def: VariantDefinition,
  overrides: readonly RepositoryOverride[] | undefined,
): Repository[] {
  if (!overrides || overrides.length === 0) {
    return def.repositories.map((repo) => ({ ...repo, origin: 'variant' }));
  }
  return overrides.map((override, index) => ({
    name: override.name ?? `override-${index + 1}`,
    url: normaliseRepositoryUrl(override.url),
    priority: 50,
    keys: override.keysDir === undefined ? def.keys.map((key) => key.name) : [],
    ...(override.keysDir === undefined ? {} : { keysDir: resolve(override.keysDir) }),
    signedMetadata: override.signedMetadata ?? false,
    origin: 'override',
  }));
}

/**
 * A local folder becomes a file:// URL; URLs pass through unchanged. The `#Tree` of an ISO
 * image's path stays a fragment (`/srv/Rocky.iso#BaseOS` → `file:///srv/Rocky.iso#BaseOS`).
 */
export function normaliseRepositoryUrl(location: string): string {
  if (/^(https?|file):\/\//.test(location)) return location;
  const hash = location.lastIndexOf('#');
  const local = hash < 0 ? location : location.slice(0, hash);
  const path = isAbsolute(local) ? local : resolve(local);
  const url = pathToFileURL(path).href;
  if (hash < 0) return url;
  const tree = location
    .slice(hash + 1)
    .split('/')
    .map(encodeURIComponent)
    .join('/');
  return `${url}#${tree}`;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function uniqueServices(services: readonly ServiceDefinition[]): Service[] {
  const byName = new Map<string, Service>();
  for (const service of services) byName.set(service.name, service);
  return [...byName.values()];
}
