import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '@levitate/tools';
import type { RunResult } from '@levitate/tools';
import { asRoot, hostProgram, reference } from '@levitate/tools/test-support';
import type { Reference } from '@levitate/tools/test-support';
import { MINIROOTFS_DIR, minirootfsTarball } from './minirootfs-packages.ts';

/**
 * An unpacked Alpine 3.20.3 minirootfs in a temporary folder, in which Alpine's own apk 2.14 runs
 * under chroot as the reference for the fixture repository. Needs root.
 */
export interface AlpineRoot {
  readonly root: string;
  /** Host path of a path inside the root. */
  host(inside: string): string;
  /** `chroot <root> /sbin/apk ...`, any exit code accepted. */
  apk(args: readonly string[]): Promise<RunResult>;
  /** `chroot <root> <argv>`, any exit code accepted. */
  run(argv: readonly string[]): Promise<RunResult>;
  dispose(): Promise<void>;
}

export const runner = createRunner({
  baseEnv: { PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin` },
});

const ANY_EXIT = Array.from({ length: 255 }, (_, code) => code + 1);

/** Alpine's apk in a chroot: the reference the fixture repository is checked against. */
export function alpineApkReference(): Reference {
  return reference("Alpine's apk 2.14 in a chroot of the Alpine minirootfs (root)", [
    asRoot(),
    hostProgram('/usr/sbin/chroot', 'coreutils'),
    {
      met: existsSync(MINIROOTFS_DIR()),
      hint: `the shared fixtures lack ${MINIROOTFS_DIR()}: update ../shared/fixtures`,
    },
  ]);
}

export async function createAlpineRoot(): Promise<AlpineRoot> {
  const root = await mkdtemp(join(tmpdir(), 'apk-fixture-alpine-'));
  await runner.run(['tar', '-xpf', await minirootfsTarball(), '-C', root]);
  // apk reads `--repositories-file /dev/null`; the minirootfs' /dev is empty.
  await mkdir(join(root, 'dev'), { recursive: true });
  await writeFile(join(root, 'dev', 'null'), '');
  const run = (argv: readonly string[]) =>
    runner.run(['chroot', root, ...argv], { allowExitCodes: ANY_EXIT, timeoutMs: 120_000 });
  return {
    root,
    host: (inside) => join(root, inside),
    apk: (args) => run(['/sbin/apk', ...args]),
    run,
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

/** The offline, signed-repository options of every apk call against the fixture. */
export function repositoryArgs(repoInside: string, keysInside: string): string[] {
  return [
    '--no-network',
    '-X',
    repoInside,
    '--repositories-file',
    '/dev/null',
    '--keys-dir',
    keysInside,
  ];
}
