import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertHost, checkHost, createRunner } from '@levitate/tools';
import { FIXTURE_CACHE_DIR, RPM_FIXTURE_DIR, rockyRepositoryDir } from '@levitate/tools/workspace';
import type { Runner } from '@levitate/tools';
import { archive, debianArchives } from '../debian/debian-archives.ts';
import { debianPackageNames } from '../debian/debian-selection.ts';
import { DEBIAN_KERNEL_META, kernelImagePackage } from '../debian/kernel-image.ts';
import {
  basesystemPackage,
  filesystemPackage,
  glibcMinimalLangpackPackage,
  rootfilesPackage,
  setupPackage,
} from './base-packages.ts';
import { createRepodata } from './createrepo.ts';
import { debianDraft, withLibraryPackages } from './debian-drafts.ts';
import { sharedObjectRequires } from './elf-requires.ts';
import { RPM_FIXTURE_TOOLS } from './host-requirements.ts';
import { kernelPackages } from './kernel-packages.ts';
import { checkPackageSet, draftSpec, withRequires } from './package-specs.ts';
import { rpmFileName } from './package-spec.ts';
import type { RpmPackageSpec, RpmRepositoryName } from './package-spec.ts';
import { RPM_RECIPES } from './recipes.ts';
import { rockyReleasePackage } from './release-package.ts';
import { buildRpm } from './rpmbuild.ts';
import { RPM_KEY_NAME, createRpmSigningKey, signRpms } from './signing-key.ts';

export interface BuildRpmFixtureOptions {
  /** Created if missing; must be empty. Gets `BaseOS/`, `AppStream/` and `keys/`. */
  readonly outDir: string;
  /** Armoured secret key to sign with (from an earlier build); a fresh key when absent. */
  readonly secretKey?: string;
  /** Downloaded and unpacked Debian packages; `dist/fixtures/cache` of the workspace by default. */
  readonly cacheDir?: string;
  readonly runner?: Runner;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

export interface RpmFixturePackage {
  readonly name: string;
  /** `[epoch:]version-release`. */
  readonly evr: string;
  readonly arch: string;
  readonly repository: RpmRepositoryName;
  /** Path under the output folder. */
  readonly file: string;
  readonly size: number;
}

export interface RpmFixtureRepository {
  /** `<repository>/x86_64/os`: what dnf's baseurl names. */
  readonly repoDirs: Readonly<Record<RpmRepositoryName, string>>;
  readonly keysDir: string;
  readonly keyName: string;
  readonly fingerprint: string;
  /** The armoured secret key, to sign another build the same way. */
  readonly secretKey: string;
  readonly packages: readonly RpmFixturePackage[];
}

export const DEFAULT_CACHE_DIR = FIXTURE_CACHE_DIR;
/** Where `nx run testing:rpm-repo` leaves the repositories (`BaseOS/`, `AppStream/`, `keys/`). */
export const RPM_REPO_DIR = RPM_FIXTURE_DIR;
/** Build time, file times and signature times of every package: 2024-09-06. */
export const RPM_FIXTURE_EPOCH = 1_725_580_800;
export const RPM_REPOSITORIES: readonly RpmRepositoryName[] = ['BaseOS', 'AppStream'];
const RPMBUILD_CONCURRENCY = 2;

/** The tree of one repository inside the output folder, as Rocky's mirrors lay it out. */
export const repositoryDir = rockyRepositoryDir;

/** The system tools (`depmod`) live in sbin folders that a user's PATH may lack. */
function fixtureRunner(): Runner {
  const path = process.env.PATH ?? '/usr/bin:/bin';
  return createRunner({ baseEnv: { PATH: `${path}:/usr/sbin:/sbin` } });
}

async function gatherSpecs(
  runner: Runner,
  cacheDir: string,
  workDir: string,
  log: (line: string) => void,
): Promise<RpmPackageSpec[]> {
  const cache = { runner, dir: cacheDir };
  log('fetching Debian packages');
  const archives = await debianArchives(cache, [
    DEBIAN_KERNEL_META,
    ...debianPackageNames(RPM_RECIPES),
  ]);
  const imageName = kernelImagePackage(archive(archives, DEBIAN_KERNEL_META));
  const image = archive(await debianArchives(cache, [imageName]), imageName);
  log('gathering files and library closure');
  const drafts = await withLibraryPackages(
    runner,
    cache,
    await Promise.all(RPM_RECIPES.map((recipe) => debianDraft(recipe, archives))),
    log,
  );
  log(`selecting kernel modules of ${image.package} ${image.version}`);
  const kernel = await kernelPackages(runner, image, workDir);
  const fromDebian = drafts.map(draftSpec);
  const glibc = fromDebian.find((spec) => spec.name === 'glibc');
  if (glibc === undefined) throw new Error('the recipes make no glibc');
  const specs = [
    setupPackage(),
    filesystemPackage(),
    basesystemPackage(),
    rockyReleasePackage(),
    rootfilesPackage(),
    glibcMinimalLangpackPackage(glibc),
    ...fromDebian,
    ...kernel.packages,
  ];
  checkPackageSet(specs);
  const requires = await sharedObjectRequires(specs);
  return specs
    .map((spec) => withRequires(spec, requires.get(spec.name) ?? []))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

async function buildAll(
  specs: readonly RpmPackageSpec[],
  build: (spec: RpmPackageSpec) => Promise<string>,
): Promise<Map<string, string>> {
  // The kernel packages are the large ones: start them first so that they overlap the rest.
  const large = specs.filter((spec) => spec.name.startsWith('kernel'));
  const queue = [...large, ...specs.filter((spec) => !large.includes(spec))];
  const files = new Map<string, string>();
  let failed = false;
  const worker = async () => {
    for (let spec = queue.shift(); spec !== undefined && !failed; spec = queue.shift()) {
      try {
        files.set(spec.name, await build(spec));
      } catch (error) {
        failed = true;
        throw new Error(`rpmbuild failed for ${spec.name}`, { cause: error });
      }
    }
  };
  // Every worker ends before the scratch folder is removed; the first failure is reported.
  const results = await Promise.allSettled(Array.from({ length: RPMBUILD_CONCURRENCY }, worker));
  const rejected = results.find((result) => result.status === 'rejected');
  if (rejected !== undefined) throw rejected.reason;
  return files;
}

function evrOf(spec: RpmPackageSpec): string {
  return `${spec.epoch === undefined ? '' : `${spec.epoch}:`}${spec.version}-${spec.release}`;
}

/**
 * Builds the offline Rocky-style repositories of LevitateOS: Rocky-named packages made with
 * rpmbuild from this Debian host's packages (programs, their library closure, a kernel with a
 * module subset) and written ones (setup, filesystem, release files), signed with rpmsign,
 * indexed with createrepo_c into `BaseOS/x86_64/os` and `AppStream/x86_64/os`, the public key
 * in `keys/`.
 */
export async function buildRpmFixtureRepository(
  options: BuildRpmFixtureOptions,
): Promise<RpmFixtureRepository> {
  const runner = options.runner ?? fixtureRunner();
  const log = options.log ?? (() => undefined);
  assertHost(await checkHost(RPM_FIXTURE_TOOLS));
  if (existsSync(options.outDir) && (await readdir(options.outDir)).length > 0) {
    throw new Error(`${options.outDir} is not empty`);
  }
  const keysDir = join(options.outDir, 'keys');
  await mkdir(keysDir, { recursive: true });
  const workDir = await mkdtemp(join(tmpdir(), 'rpm-fixture-'));
  const key = await createRpmSigningKey(runner, RPM_FIXTURE_EPOCH, options.secretKey);
  try {
    const specs = await gatherSpecs(runner, options.cacheDir ?? DEFAULT_CACHE_DIR, workDir, log);
    log(`building ${specs.length} packages with rpmbuild`);
    const rpmDir = join(workDir, 'rpms');
    // Made up front: parallel rpmbuilds creating it themselves race ("File exists").
    for (const arch of ['x86_64', 'noarch']) await mkdir(join(rpmDir, arch), { recursive: true });
    const context = { runner, workDir: join(workDir, 'build'), rpmDir, epoch: RPM_FIXTURE_EPOCH };
    const built = await buildAll(specs, (spec) => buildRpm(context, spec));
    log('signing');
    await signRpms(runner, key, RPM_FIXTURE_EPOCH, [...built.values()].sort());
    const packages: RpmFixturePackage[] = [];
    for (const spec of specs) {
      const name = rpmFileName(spec);
      const relative = join(
        spec.repository,
        'x86_64',
        'os',
        'Packages',
        name.charAt(0).toLowerCase(),
        name,
      );
      const target = join(options.outDir, relative);
      await mkdir(join(target, '..'), { recursive: true });
      const file = built.get(spec.name);
      if (file === undefined) throw new Error(`the fixture package ${spec.name} was not built`);
      await rename(file, target);
      // createrepo_c records each file's mtime in primary.xml.
      await utimes(target, RPM_FIXTURE_EPOCH, RPM_FIXTURE_EPOCH);
      const { size } = await stat(target);
      packages.push({
        name: spec.name,
        evr: evrOf(spec),
        arch: spec.arch,
        repository: spec.repository,
        file: relative,
        size,
      });
    }
    log('writing repodata');
    for (const repository of RPM_REPOSITORIES) {
      await createRepodata(runner, repositoryDir(options.outDir, repository), RPM_FIXTURE_EPOCH);
    }
    await writeFile(join(keysDir, RPM_KEY_NAME), key.publicKey);
    return {
      repoDirs: {
        BaseOS: repositoryDir(options.outDir, 'BaseOS'),
        AppStream: repositoryDir(options.outDir, 'AppStream'),
      },
      keysDir,
      keyName: RPM_KEY_NAME,
      fingerprint: key.fingerprint,
      secretKey: key.secretKey,
      packages,
    };
  } finally {
    await key.dispose();
    await rm(workDir, { recursive: true, force: true });
  }
}
