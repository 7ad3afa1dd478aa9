import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createRunner } from '../core/run.ts';
import type { RunResult } from '../core/run.ts';
import { fixture } from '../test-support/fixtures.ts';
import { asRoot, hostProgram, reference } from '../test-support/reference.ts';
import type { Reference } from '../test-support/reference.ts';

/**
 * A temporary unpacked Alpine minirootfs in which Alpine's own apk (2.14) runs under chroot, as
 * the reference the reader is compared with. Needs root.
 */
export interface AlpineChroot {
  readonly root: string;
  /** Host path of a path inside the chroot. */
  host(inside: string): string;
  apk(args: readonly string[]): Promise<RunResult>;
  /** Copies a file into the chroot under `/tmp/<name>`, returning its path inside. */
  place(file: string, name?: string): Promise<string>;
  dispose(): Promise<void>;
}

const runner = createRunner();
const MINIROOTFS_DIR = () => fixture('apkindex', 'alpine-minirootfs');
/** Where the trusted keys of the tests live inside the chroot. */
export const CHROOT_KEYS = '/tmp/keys';
const EMPTY_REPOSITORIES = '/tmp/repositories';

/** `what` (Alpine's apk 2.14, its busybox) run in a chroot of the minirootfs fixture. */
export function alpineChrootReference(what: string): Reference {
  return reference(`${what} in a chroot of the Alpine minirootfs (root)`, [
    asRoot(),
    hostProgram('/usr/sbin/chroot', 'coreutils'),
    {
      met: existsSync(MINIROOTFS_DIR()),
      hint: `the shared fixtures lack ${MINIROOTFS_DIR()}: update ../shared/fixtures`,
    },
  ]);
}

export async function createAlpineChroot(keyDirs: readonly string[]): Promise<AlpineChroot> {
  const root = await mkdtemp(join(tmpdir(), 'apk-conformance-'));
  const tarballs = (await readdir(MINIROOTFS_DIR())).filter((name) => name.endsWith('.tar.gz'));
  for (const tarball of tarballs) {
    await runner.run(['tar', '-xpf', join(MINIROOTFS_DIR(), tarball), '-C', root]);
  }
  await mkdir(join(root, CHROOT_KEYS), { recursive: true });
  for (const dir of keyDirs) {
    for (const name of await readdir(dir)) {
      await copyFile(join(dir, name), join(root, CHROOT_KEYS, name));
    }
  }
  await writeFile(join(root, EMPTY_REPOSITORIES), '');
  const host = (inside: string) => join(root, inside);
  return {
    root,
    host,
    apk: (args) =>
      runner.run(
        [
          'chroot',
          root,
          '/sbin/apk',
          '--repositories-file',
          EMPTY_REPOSITORIES,
          '--no-network',
          ...args,
        ],
        { allowExitCodes: Array.from({ length: 255 }, (_, code) => code + 1), timeoutMs: 30_000 },
      ),
    async place(file, name = basename(file)) {
      const inside = join('/tmp', name);
      await copyFile(file, host(inside));
      return inside;
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * A chroot made before the tests of the enclosing `describe` and removed after them; call the
 * returned function inside a test to get it.
 */
export function useAlpineChroot(keyDirs: readonly string[] = []): () => AlpineChroot {
  let chroot: AlpineChroot | undefined;
  beforeAll(async () => {
    chroot = await createAlpineChroot(keyDirs);
  }, 60_000);
  afterAll(async () => {
    await chroot?.dispose();
  });
  return () => {
    if (chroot === undefined) throw new Error('the Alpine chroot is made in beforeAll');
    return chroot;
  };
}

/**
 * One `lib/apk/db/installed` record that provides every dependency of the package under test, so
 * that apk installs it alone without its real dependencies (apk 2 has no --no-deps).
 */
export function stubInstalledRecord(arch: string, depends: readonly string[]): string {
  const provides = depends.flatMap((dependency) => {
    if (dependency.startsWith('!')) {
      return [];
    }
    const match = /^([^=<>~]+)(?:([=<>~]+)(.+))?$/.exec(dependency);
    const name = match?.[1] ?? dependency;
    const operator = match?.[2];
    const wanted = match?.[3];
    const version =
      operator !== undefined && wanted !== undefined && !operator.includes('<') ? wanted : '1';
    return [`${name}=${version}`];
  });
  return [
    'C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    'P:conformance-stub',
    'V:1-r0',
    `A:${arch}`,
    'S:1',
    'I:1',
    'T:provides the dependencies of the package under test',
    'U:',
    'L:',
    `p:${provides.join(' ')}`,
    '',
    '',
  ].join('\n');
}

export interface ApkInstall {
  /** Host path of the target root apk installed into. */
  readonly target: string;
  /** Paths (`/etc/apk`) that existed before the package was added. */
  readonly before: ReadonlySet<string>;
  readonly result: RunResult;
}

/**
 * Installs one package with `apk add --root` into a fresh target: `--initdb` first, then a stub
 * record for its dependencies, then the package with `--no-scripts` (scripts of other arches
 * cannot run here) and `--allow-untrusted` when asked.
 */
export async function installWithApk(
  chroot: AlpineChroot,
  packageInside: string,
  options: {
    readonly name: string;
    readonly arch: string;
    readonly depends: readonly string[];
    readonly untrusted: boolean;
  },
  listTree: (root: string) => Promise<Map<string, unknown>>,
): Promise<ApkInstall> {
  const inside = `/tmp/target-${options.name}`;
  const target = chroot.host(inside);
  await mkdir(join(target, 'etc/apk/keys'), { recursive: true });
  for (const name of await readdir(chroot.host(CHROOT_KEYS))) {
    await copyFile(join(chroot.host(CHROOT_KEYS), name), join(target, 'etc/apk/keys', name));
  }
  const init = await chroot.apk([
    'add',
    '--root',
    inside,
    '--initdb',
    '--arch',
    options.arch,
    '--quiet',
  ]);
  if (init.exitCode !== 0) {
    throw new Error(`apk --initdb failed: ${init.stderr}`);
  }
  const before = new Set((await listTree(target)).keys());
  await writeFile(
    join(target, 'lib/apk/db/installed'),
    stubInstalledRecord(options.arch, options.depends),
  );
  const result = await chroot.apk([
    'add',
    '--root',
    inside,
    '--no-scripts',
    ...(options.untrusted ? ['--allow-untrusted'] : []),
    packageInside,
  ]);
  return { target, before, result };
}
