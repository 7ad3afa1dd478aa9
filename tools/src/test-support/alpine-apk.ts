/**
 * Alpine's apk at work in the chroot: installing one package into a fresh root, simulating an
 * add against an index, and comparing versions, as the references the tools are checked with.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../core/run.ts';
import {
  apkArgv,
  CHROOT_KEYS,
  copyFolder,
  hostRunner,
  runAnyExit,
  SIMULATION_ARCH,
  SIMULATION_REPOSITORY,
  SIMULATION_TARGET,
} from './alpine-chroot.ts';
import type { AlpineChroot } from './alpine-chroot.ts';

/**
 * One `lib/apk/db/installed` record that provides every dependency of the package under test, so
 * that apk installs it alone without its real dependencies (apk 2 has no --no-deps).
 */
function stubInstalledRecord(arch: string, depends: readonly string[]): string {
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
  await copyFolder(chroot.host(CHROOT_KEYS), join(target, 'etc/apk/keys'));
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

/** A package as apk reports it installing. */
export interface InstalledByApk {
  readonly name: string;
  readonly version: string;
}

export interface ApkAddResult {
  readonly exitCode: number;
  /** In the order apk printed them. */
  readonly installed: InstalledByApk[];
  readonly output: string;
}

const INSTALLING = /^\(\d+\/\d+\) Installing (\S+) \((\S+)\)$/;

/**
 * The argv of `apk add --simulate` of `packages` into `/target` from `repositories` (the index
 * of the options first); repositories other than it are trusted without signature.
 */
export function simulateAddArgv(
  chroot: AlpineChroot,
  packages: readonly string[],
  repositories: readonly string[] = [SIMULATION_REPOSITORY],
): string[] {
  const untrusted = repositories.some((r) => r !== SIMULATION_REPOSITORY);
  return apkArgv(chroot.root, [
    '--root',
    SIMULATION_TARGET,
    '--arch',
    SIMULATION_ARCH,
    '--keys-dir',
    CHROOT_KEYS,
    ...(untrusted ? ['--allow-untrusted'] : []),
    // apk numbers -X repositories last first; reversing keeps the first one preferred.
    ...[...repositories].reverse().flatMap((r) => ['-X', r]),
    'add',
    '--simulate',
    ...packages,
  ]);
}

/** What `apk add --simulate` would install (see {@link simulateAddArgv}). */
export async function simulateAdd(
  chroot: AlpineChroot,
  packages: readonly string[],
  repositories?: readonly string[],
): Promise<ApkAddResult> {
  const result = await runAnyExit(simulateAddArgv(chroot, packages, repositories));
  const output = result.stdout + result.stderr;
  const installed = output.split('\n').flatMap((line) => {
    const match = INSTALLING.exec(line);
    return match?.[1] !== undefined && match[2] !== undefined
      ? [{ name: match[1], version: match[2] }]
      : [];
  });
  return { exitCode: result.exitCode, installed, output };
}

/** Writes an unsigned APKINDEX.tar.gz for `text` at `/<name>/x86_64`, returning `/<name>`. */
export async function addUnsignedRepository(
  chroot: AlpineChroot,
  name: string,
  text: string,
): Promise<string> {
  const dir = chroot.host(join(name, SIMULATION_ARCH));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'APKINDEX'), text);
  await writeFile(join(dir, 'DESCRIPTION'), `${name}\n`);
  await hostRunner.run(['tar', '-czf', 'APKINDEX.tar.gz', 'APKINDEX', 'DESCRIPTION'], {
    cwd: dir,
  });
  return `/${name}`;
}

/** `apk version -t a b` for each pair, in one shell of the chroot. */
export async function apkVersionTest(
  chroot: AlpineChroot,
  pairs: readonly (readonly [string, string])[],
): Promise<string[]> {
  await writeFile(chroot.host('pairs.txt'), pairs.map(([a, b]) => `${a} ${b}\n`).join(''));
  const script = 'while read a b; do apk version -t "$a" "$b"; done < /pairs.txt';
  const result = await chroot.run(['sh', '-c', script]);
  if (result.exitCode !== 0) {
    throw new Error(`apk version -t failed: ${result.stderr}`);
  }
  return result.stdout.split('\n').filter((line) => line !== '');
}
