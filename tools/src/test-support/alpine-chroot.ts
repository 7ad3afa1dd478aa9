import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createRunner } from '../core/run.ts';
import type { RunResult } from '../core/run.ts';
import { minirootfsDir, minirootfsTarball } from './fixtures.ts';
import { asRoot, hostProgram, reference } from './reference.ts';
import type { Reference } from './reference.ts';

/**
 * A temporary unpacked Alpine 3.20.3 minirootfs in which Alpine's own apk (2.14) runs under
 * chroot, as the reference the tools and the fixture repositories are compared with. Needs root.
 */
export interface AlpineChroot {
  readonly root: string;
  /** Host path of a path inside the chroot. */
  host(inside: string): string;
  /** `chroot <root> <argv>`, any exit code accepted. */
  run(argv: readonly string[]): Promise<RunResult>;
  /** apk offline, with no configured repositories; any exit code accepted. */
  apk(args: readonly string[]): Promise<RunResult>;
  /** Copies a file into the chroot under `/tmp/<name>`, returning its path inside. */
  place(file: string, name?: string): Promise<string>;
  dispose(): Promise<void>;
}

export interface AlpineChrootOptions {
  /** Folders of public keys apk is to trust, copied into {@link CHROOT_KEYS}. */
  readonly keyDirs?: readonly string[];
  /**
   * A signed APKINDEX.tar.gz served as the repository `/repo` of {@link simulateAdd}, which
   * simulates installs into `/target`, an empty x86_64 database made beside it.
   */
  readonly index?: string;
}

/** Runs host commands, with the sbin folders on PATH (chroot, unshare). */
export const hostRunner = createRunner({
  baseEnv: { PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin` },
});

/** Where the trusted keys of the tests live inside the chroot. */
export const CHROOT_KEYS = '/tmp/keys';
const EMPTY_REPOSITORIES = '/tmp/repositories';
export const SIMULATION_REPOSITORY = '/repo';
export const SIMULATION_TARGET = '/target';
export const SIMULATION_ARCH = 'x86_64';
const ANY_EXIT = Array.from({ length: 255 }, (_, code) => code + 1);

export const runAnyExit = (argv: readonly string[]) =>
  hostRunner.run(argv, { allowExitCodes: ANY_EXIT, timeoutMs: 120_000 });

export const apkArgv = (root: string, args: readonly string[]) => [
  'chroot',
  root,
  '/sbin/apk',
  '--repositories-file',
  EMPTY_REPOSITORIES,
  '--no-network',
  ...args,
];

/** `what` (Alpine's apk 2.14, its busybox) run in a chroot of the minirootfs fixture. */
export function alpineChrootReference(what: string): Reference {
  return reference(`${what} in a chroot of the Alpine minirootfs (root)`, [
    asRoot(),
    hostProgram('/usr/sbin/chroot', 'coreutils'),
    {
      met: existsSync(minirootfsDir()),
      hint: `the shared fixtures lack ${minirootfsDir()}: update ../shared/fixtures`,
    },
  ]);
}

export async function copyFolder(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of await readdir(from)) {
    await copyFile(join(from, name), join(to, name));
  }
}

async function serveIndex(chroot: AlpineChroot, index: string): Promise<void> {
  const archDir = chroot.host(join(SIMULATION_REPOSITORY, SIMULATION_ARCH));
  await mkdir(archDir, { recursive: true });
  await copyFile(index, join(archDir, 'APKINDEX.tar.gz'));
  await mkdir(chroot.host(SIMULATION_TARGET));
  const init = await chroot.apk([
    '--root',
    SIMULATION_TARGET,
    '--arch',
    SIMULATION_ARCH,
    'add',
    '--initdb',
  ]);
  if (init.exitCode !== 0) {
    throw new Error(`apk --initdb failed: ${init.stderr}`);
  }
}

export async function createAlpineChroot(options: AlpineChrootOptions = {}): Promise<AlpineChroot> {
  const root = await mkdtemp(join(tmpdir(), 'alpine-chroot-'));
  const host = (inside: string) => join(root, inside);
  const chroot: AlpineChroot = {
    root,
    host,
    run: (argv) => runAnyExit(['chroot', root, ...argv]),
    apk: (args) => runAnyExit(apkArgv(root, args)),
    async place(file, name = basename(file)) {
      const inside = join('/tmp', name);
      await copyFile(file, host(inside));
      return inside;
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
  try {
    await hostRunner.run(['tar', '-xpf', await minirootfsTarball(), '-C', root]);
    await mkdir(join(root, CHROOT_KEYS), { recursive: true });
    for (const dir of options.keyDirs ?? []) {
      await copyFolder(dir, join(root, CHROOT_KEYS));
    }
    await writeFile(join(root, EMPTY_REPOSITORIES), '');
    if (options.index !== undefined) {
      await serveIndex(chroot, options.index);
    }
  } catch (error) {
    // A chroot that could not be made is not left behind in TMPDIR.
    await chroot.dispose();
    throw error;
  }
  return chroot;
}

/**
 * A chroot made before the tests of the enclosing `describe` and removed after them; call the
 * returned function inside a test to get it.
 */
export function useAlpineChroot(options: AlpineChrootOptions = {}): () => AlpineChroot {
  let chroot: AlpineChroot | undefined;
  beforeAll(async () => {
    chroot = await createAlpineChroot(options);
  }, 60_000);
  afterAll(async () => {
    await chroot?.dispose();
  });
  return () => {
    if (chroot === undefined) throw new Error('the Alpine chroot is made in beforeAll');
    return chroot;
  };
}
