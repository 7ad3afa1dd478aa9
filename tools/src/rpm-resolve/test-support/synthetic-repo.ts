import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '../../core/run.ts';

/** An empty package to build: its name, version and spec tags (`Requires: foo`). */
export interface SyntheticPackage {
  readonly name: string;
  readonly version?: string;
  readonly tags?: readonly string[];
}

function specFile(pkg: SyntheticPackage): string {
  return [
    `Name: ${pkg.name}`,
    `Version: ${pkg.version ?? '1'}`,
    'Release: 1',
    'Summary: synthetic package',
    'License: MIT',
    'BuildArch: noarch',
    ...(pkg.tags ?? []),
    '%description',
    'A package without files, for dependency resolution tests.',
    '%files',
    '',
  ].join('\n');
}

export interface SyntheticRepoOptions {
  /** A comps document, given to createrepo_c as the group file. */
  readonly comps?: string;
  /** createrepo_c's `--compress-type` for the comps and sqlite files (`gz`, `xz`, `bz2`). */
  readonly compressType?: string;
}

/** Builds noarch packages with rpmbuild and a repository of them with createrepo_c in `dir`. */
export async function buildSyntheticRepo(
  runner: Runner,
  dir: string,
  packages: readonly SyntheticPackage[],
  options: SyntheticRepoOptions = {},
): Promise<string> {
  const specs = join(dir, 'specs');
  const repo = join(dir, 'repo');
  await mkdir(specs, { recursive: true });
  await mkdir(repo, { recursive: true });
  const files: string[] = [];
  for (const pkg of packages) {
    const file = join(specs, `${pkg.name}-${pkg.version ?? '1'}.spec`);
    await writeFile(file, specFile(pkg));
    files.push(file);
  }
  await runner.run([
    'rpmbuild',
    '--quiet',
    '--define',
    `_topdir ${join(dir, 'build')}`,
    '--define',
    `_rpmdir ${repo}`,
    '-bb',
    ...files,
  ]);
  const args = ['--quiet'];
  if (options.compressType !== undefined) args.push('--compress-type', options.compressType);
  if (options.comps !== undefined) {
    const groupFile = join(dir, 'comps.xml');
    await writeFile(groupFile, options.comps);
    args.push('--groupfile', groupFile);
  }
  await runner.run(['createrepo_c', ...args, repo]);
  return repo;
}
