import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertHost, checkHost, createRunner } from '@levitate/tools';
import { APK_FIXTURE_DIR, FIXTURE_CACHE_DIR } from '@levitate/tools/workspace';
import type { Runner } from '@levitate/tools';
import { writeApkIndex } from './apkindex-writer.ts';
import { writeApkPackage } from './apk-writer.ts';
import type { WrittenApk } from './control-text.ts';
import { archive, debianArchives } from '../debian/debian-archives.ts';
import { debianPackages } from './debian-packages.ts';
import {
  INSTALL_RECIPES,
  IUPPITER_RECIPES,
  NODEJS_RECIPE,
  ZSTD_RECIPE,
  OPENRC_RECIPE,
  debianPackageNames,
} from './debian-recipes.ts';
import { alpineBasePackage, servicesPackage } from './fixture-packages.ts';
import { DEBIAN_KERNEL_META, kernelImagePackage } from '../debian/kernel-image.ts';
import { linuxFirmwareNonePackage, linuxLtsPackage } from './kernel-package.ts';
import { minirootfsPackages } from './minirootfs-packages.ts';
import type { ChangedFile } from './minirootfs-packages.ts';
import type { ApkPackageSpec } from './package-spec.ts';
import { APK_FIXTURE_TOOLS } from './host-requirements.ts';
import { generateSigningKey } from './signing-key.ts';
import type { ApkSigningKey } from './signing-key.ts';

export interface BuildApkFixtureOptions {
  /** Created if missing; must be empty. Gets `repo/` and `keys/`. */
  readonly outDir: string;
  readonly arch: 'x86_64';
  /** Signs the repository; a fresh key when absent. */
  readonly key?: ApkSigningKey;
  /** Downloaded and unpacked Debian packages; `dist/fixtures/cache` of the workspace by default. */
  readonly cacheDir?: string;
  readonly runner?: Runner;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

export interface ApkFixtureRepository {
  /** The repository for `apk -X`: holds `<arch>/APKINDEX.tar.gz` and the packages. */
  readonly repoDir: string;
  /** Holds `<keyName>`, the public key to trust. */
  readonly keysDir: string;
  readonly keyName: string;
  readonly packages: { readonly name: string; readonly version: string }[];
  /** Minirootfs files shipped although changed since Alpine installed them. */
  readonly changedFiles: readonly ChangedFile[];
}

export const DEFAULT_CACHE_DIR = FIXTURE_CACHE_DIR;
/** Where `nx run testing:apk-repo` leaves the repository (`repo/`, `keys/`, `manifest.json`). */
export const APK_REPO_DIR = APK_FIXTURE_DIR;
export const INDEX_DESCRIPTION = 'AcornOS offline fixture repository (Alpine 3.20.3 + Debian 12)';
const PACKAGE_CONCURRENCY = 3;

/** The system tools (`depmod`, `chroot`) live in sbin folders that a user's PATH may lack. */
function fixtureRunner(): Runner {
  const path = process.env.PATH ?? '/usr/bin:/bin';
  return createRunner({ baseEnv: { PATH: `${path}:/usr/sbin:/sbin` } });
}

async function writeAll(
  specs: readonly ApkPackageSpec[],
  key: ApkSigningKey,
  dir: string,
): Promise<WrittenApk[]> {
  // Packages with their own compression level are the large ones (the kernel): start them first
  // so that their long compression overlaps the rest.
  const large = specs.filter((spec) => spec.compressionLevel !== undefined);
  const queue = [...large, ...specs.filter((spec) => !large.includes(spec))];
  const written: WrittenApk[] = [];
  const worker = async () => {
    for (let spec = queue.shift(); spec !== undefined; spec = queue.shift()) {
      written.push(await writeApkPackage(spec, key, dir));
    }
  };
  await Promise.all(Array.from({ length: PACKAGE_CONCURRENCY }, worker));
  return written;
}

function checkUnique(specs: readonly ApkPackageSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw new Error(`two packages are named ${spec.name}`);
    seen.add(spec.name);
  }
}

/**
 * Builds the offline Alpine-format repository of AcornOS and IuppiterOS: the minirootfs' Alpine
 * packages rebuilt, linux-lts, openrc and the disk tools from Debian, the fixture's service
 * scripts and meta packages; signed with `key`, indexed, with the public key beside it.
 */
export async function buildApkFixtureRepository(
  options: BuildApkFixtureOptions,
): Promise<ApkFixtureRepository> {
  const runner = options.runner ?? fixtureRunner();
  const log = options.log ?? (() => undefined);
  assertHost(await checkHost(APK_FIXTURE_TOOLS));
  const key = options.key ?? generateSigningKey();
  const repoDir = join(options.outDir, 'repo');
  const archDir = join(repoDir, options.arch);
  const keysDir = join(options.outDir, 'keys');
  if (existsSync(options.outDir) && (await readdir(options.outDir)).length > 0) {
    throw new Error(`${options.outDir} is not empty`);
  }
  await mkdir(archDir, { recursive: true });
  await mkdir(keysDir, { recursive: true });
  const workDir = await mkdtemp(join(tmpdir(), 'apk-fixture-'));
  try {
    const cache = { runner, dir: options.cacheDir ?? DEFAULT_CACHE_DIR };
    const recipes = [
      OPENRC_RECIPE,
      ...IUPPITER_RECIPES,
      ...INSTALL_RECIPES,
      NODEJS_RECIPE,
      ZSTD_RECIPE,
    ];
    log('fetching Debian packages');
    const [alpine, archives] = await Promise.all([
      minirootfsPackages(runner, workDir, options.arch),
      debianArchives(cache, [DEBIAN_KERNEL_META, ...debianPackageNames(recipes)]),
    ]);
    const imageName = kernelImagePackage(archive(archives, DEBIAN_KERNEL_META));
    const image = archive(await debianArchives(cache, [imageName]), imageName);
    log(`gathering packages (kernel ${image.package} ${image.version})`);
    const specs = [
      ...alpine.specs,
      await linuxLtsPackage(runner, image, workDir, options.arch),
      linuxFirmwareNonePackage(options.arch),
      ...(await debianPackages(runner, recipes, archives, options.arch)),
      await servicesPackage(options.arch),
      alpineBasePackage(options.arch),
    ];
    checkUnique(specs);
    log(`writing ${specs.length} packages`);
    const written = await writeAll(specs, key, archDir);
    await writeApkIndex(written, key, archDir, INDEX_DESCRIPTION);
    await writeFile(join(keysDir, key.keyName), key.publicKeyPem);
    const packages = written
      .map((apk) => ({ name: apk.spec.name, version: apk.spec.version }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return { repoDir, keysDir, keyName: key.keyName, packages, changedFiles: alpine.changed };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
