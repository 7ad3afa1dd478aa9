import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../../core/run.ts';
import { asRoot, hostTool, reference } from '../../test-support/reference.ts';

/** dnf 4, planning installs from repositories on disk (it runs only as root). */
export const DNF = reference('dnf 4 (root)', [asRoot(), hostTool('dnf')]);

/** dnf 4 on repositories that rpmbuild and createrepo_c make for the test. */
export const DNF_ON_BUILT_REPOSITORIES = reference(
  'dnf 4 (root), with rpmbuild and createrepo_c to make its repositories',
  [asRoot(), hostTool('dnf'), hostTool('rpmbuild'), hostTool('createrepoC')],
);

/** One row of dnf's transaction table. */
export interface DnfPlannedPackage {
  readonly name: string;
  readonly arch: string;
  /** As dnf prints it: `[epoch:]version-release`. */
  readonly evr: string;
  readonly repo: string;
}

export type DnfPlan =
  | { readonly ok: true; readonly packages: readonly DnfPlannedPackage[] }
  | { readonly ok: false; readonly error: string };

const SIZE_UNITS = new Set(['k', 'M', 'G', 'T']);

/** Reads the packages out of the transaction table `dnf install --assumeno` prints. */
export function parseDnfTransaction(output: string): DnfPlannedPackage[] {
  const packages: DnfPlannedPackage[] = [];
  let tokens: string[] | undefined;
  const flush = () => {
    for (let i = 0; tokens !== undefined && i + 4 < tokens.length;) {
      const [name, arch, evr, repo] = tokens.slice(i, i + 4) as [string, string, string, string];
      packages.push({ name, arch, evr, repo });
      i += 5;
      if (SIZE_UNITS.has(tokens[i] ?? '')) i++;
    }
    tokens = undefined;
  };
  for (const line of output.split('\n')) {
    if (line.trim() === '' || line.startsWith('=')) {
      flush();
      continue;
    }
    if (!line.startsWith(' ')) {
      flush();
      const header = line.trim();
      const packageSection =
        header.endsWith(':') && /^(Installing|Upgrading|Reinstalling|Downgrading)\b/.test(header);
      if (packageSection && !/Groups?:$/.test(header)) tokens = [];
      continue;
    }
    tokens?.push(...line.trim().split(/\s+/));
  }
  flush();
  return packages;
}

export interface DnfInstallOptions {
  readonly arch: string;
  readonly releasever: string;
  readonly installWeakDeps?: boolean;
  /** Keep dnf's metadata cache here between runs (warm), instead of a fresh one per run. */
  readonly cacheDir?: string;
}

/**
 * dnf 4 planning an install into an empty root under `work` from the repository on disk;
 * `--assumeno` makes it exit 1 once the transaction is shown. The benchmark times the same
 * command.
 */
export function dnfInstallArgv(
  repoDir: string,
  work: string,
  specs: readonly string[],
  options: DnfInstallOptions,
): string[] {
  const weak = (options.installWeakDeps ?? true) ? 'True' : 'False';
  return [
    'dnf',
    '--installroot',
    join(work, 'root'),
    '--releasever',
    options.releasever,
    '--forcearch',
    options.arch,
    '--setopt=reposdir=/dev/null',
    `--setopt=cachedir=${options.cacheDir ?? join(work, 'cache')}`,
    `--setopt=logdir=${join(work, 'log')}`,
    '--setopt=keepcache=0',
    `--setopt=install_weak_deps=${weak}`,
    '--repofrompath',
    `local,${repoDir}`,
    '--repo',
    'local',
    '--nogpgcheck',
    '--assumeno',
    'install',
    ...specs,
  ];
}

/**
 * What `dnf install` would install from one local repository into an empty root, without
 * installing anything (`--assumeno`, after which dnf exits with 1).
 */
export async function dnfInstallPlan(
  runner: Runner,
  repoDir: string,
  specs: readonly string[],
  options: DnfInstallOptions,
): Promise<DnfPlan> {
  const work = await mkdtemp(join(tmpdir(), 'rpm-resolve-dnf-'));
  try {
    await mkdir(join(work, 'log'));
    const result = await runner.run(dnfInstallArgv(repoDir, work, specs, options), {
      allowExitCodes: [1],
      timeoutMs: 120_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    if (!result.stdout.includes('Transaction Summary')) {
      return { ok: false, error: output.trim() };
    }
    return { ok: true, packages: parseDnfTransaction(result.stdout) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
