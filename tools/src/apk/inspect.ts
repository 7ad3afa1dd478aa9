import type { KeyObject } from 'node:crypto';
import type { PackageEntry, PackageScript } from '../packages/model.ts';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { readApkPackage } from './apk-package.ts';
import type { ApkPackage } from './apk-package.ts';
import { streamPackageData } from './apk-stream.ts';
import type { ApkPackageInfo } from './pkginfo.ts';
import type { ApkLimits } from './limits.ts';

/** What `acorn inspect FILE.apk --json` reports about a package. */
export interface ApkInspection {
  readonly package: ApkPackageSummary;
  readonly scripts: readonly PackageScript[];
  /** Sorted by path. */
  readonly entries: readonly PackageEntry[];
}

/** The `.PKGINFO` fields (with `fields` shown as `pkginfo`) and what verification found. */
export interface ApkPackageSummary extends Omit<ApkPackageInfo, 'fields' | 'datahash'> {
  /** Every `.PKGINFO` key with all of its values, as written. */
  readonly pkginfo: Readonly<Record<string, readonly string[]>>;
  /** Key names of the `.SIGN.*` files. */
  readonly signatures: readonly string[];
  /** The key that verified the package; without trusted keys, the key the signature names. */
  readonly signer?: string;
  /** Whether `signer` was checked against a trusted key. */
  readonly verified: boolean;
  readonly controlHash: string;
  readonly datahash: string;
}

export interface InspectApkOptions {
  /** Trusted keys; without them the signature is reported but not checked. */
  readonly keys?: ReadonlyMap<string, KeyObject>;
  readonly requireSignature?: boolean;
  readonly limits?: Partial<ApkLimits>;
  /**
   * Called instead of throwing when the package does not verify or its data part cannot be
   * read to the end: the description is then made from what can be read (`inspect --no-verify`).
   */
  readonly onUnverified?: (message: string) => void;
}

function byPath(a: PackageEntry, b: PackageEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Reads a package and all its entries into a JSON-stable description. */
export async function inspectApk(
  file: string,
  options: InspectApkOptions = {},
): Promise<ApkInspection> {
  const limits = options.limits === undefined ? {} : { limits: options.limits };
  const read = {
    keys: options.keys ?? new Map<string, KeyObject>(),
    requireSignature: options.requireSignature ?? false,
    ...limits,
  };
  const onUnverified = options.onUnverified;
  let pkg: ApkPackage;
  try {
    pkg = await readApkPackage(file, read);
  } catch (error) {
    if (onUnverified === undefined || !(error instanceof PackageVerifyError)) throw error;
    onUnverified(error.message);
    pkg = await readApkPackage(file, {
      keys: new Map(),
      requireSignature: false,
      checkDatahash: false,
      ...limits,
    });
  }
  const entries: PackageEntry[] = [];
  try {
    for await (const { entry } of streamPackageData(pkg, options.limits)) {
      entries.push(entry);
    }
  } catch (error) {
    if (onUnverified === undefined || !(error instanceof PackageFormatError)) throw error;
    onUnverified(`the entries stop after ${entries.length}: ${error.message}`);
  }
  entries.sort(byPath);
  const { info } = pkg;
  const signer = pkg.signer ?? pkg.signatures[0];
  const summary: ApkPackageSummary = {
    name: info.name,
    version: info.version,
    ...(info.arch === undefined ? {} : { arch: info.arch }),
    ...(info.description === undefined ? {} : { description: info.description }),
    ...(info.url === undefined ? {} : { url: info.url }),
    ...(info.license === undefined ? {} : { license: info.license }),
    ...(info.origin === undefined ? {} : { origin: info.origin }),
    ...(info.commit === undefined ? {} : { commit: info.commit }),
    ...(info.maintainer === undefined ? {} : { maintainer: info.maintainer }),
    ...(info.packager === undefined ? {} : { packager: info.packager }),
    ...(info.buildDate === undefined ? {} : { buildDate: info.buildDate }),
    ...(info.installedSize === undefined ? {} : { installedSize: info.installedSize }),
    depends: info.depends,
    provides: info.provides,
    installIf: info.installIf,
    replaces: info.replaces,
    ...(info.replacesPriority === undefined ? {} : { replacesPriority: info.replacesPriority }),
    ...(info.providerPriority === undefined ? {} : { providerPriority: info.providerPriority }),
    triggers: info.triggers,
    pkginfo: info.fields,
    signatures: pkg.signatures,
    ...(signer === undefined ? {} : { signer }),
    verified: pkg.signer !== undefined,
    controlHash: pkg.controlHash,
    datahash: pkg.datahash,
  };
  return { package: summary, scripts: pkg.scripts, entries };
}
