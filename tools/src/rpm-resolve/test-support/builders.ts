import type { Comps, RpmDependency, RpmRepoPackage } from '../../rpm-repo/types.ts';
import { comparisonOf } from '../../rpm-repo/dependency-text.ts';
import type { RpmPackageFiles, RpmResolveRepository } from '../pool.ts';
import { parseEvr } from '../vercmp.ts';

/** `name`, `name >= [epoch:]version[-release]`, or a rich dependency kept as written. */
export function dependency(text: string): RpmDependency {
  if (text.startsWith('(')) return { name: text };
  const [name = text, operator, evrText] = text.split(/\s+/);
  const flags = operator === undefined ? undefined : comparisonOf(operator);
  if (flags === undefined || evrText === undefined) return { name };
  const evr = parseEvr(evrText);
  return {
    name,
    flags,
    epoch: String(evr.epoch),
    version: evr.version,
    ...(evr.release === '' ? {} : { release: evr.release }),
  };
}

export interface PackageSpec {
  readonly requires?: readonly string[];
  readonly provides?: readonly string[];
  readonly conflicts?: readonly string[];
  readonly obsoletes?: readonly string[];
  readonly recommends?: readonly string[];
  readonly suggests?: readonly string[];
  readonly supplements?: readonly string[];
  readonly enhances?: readonly string[];
  /** Files listed in primary. */
  readonly files?: readonly string[];
  readonly repository?: string;
}

/** A package record from `name-[epoch:]version-release.arch` (arch defaults to x86_64). */
export function rpmPackage(nevra: string, spec: PackageSpec = {}): RpmRepoPackage {
  const match = /^(.+)-([^-]+)-([^-]+?)(?:\.(x86_64|i686|noarch|aarch64|ppc64le|s390x))?$/.exec(
    nevra,
  );
  if (match === null) throw new Error(`not a NEVRA: ${nevra}`);
  const [, name = '', versionText = '', release = '', arch = 'x86_64'] = match;
  const { epoch, version } = parseEvr(versionText);
  const deps = (list: readonly string[] | undefined) => (list ?? []).map(dependency);
  return {
    repository: spec.repository ?? 'test',
    name,
    arch,
    evr: { epoch, version, release },
    checksum: { type: 'sha256', value: `${name}-${versionText}-${release}.${arch}` },
    summary: name,
    packageSize: 1000,
    installedSize: 2000,
    location: `Packages/${name}-${version}-${release}.${arch}.rpm`,
    buildTime: 0,
    provides: [
      { name, flags: 'EQ', epoch: String(epoch), version, release },
      ...deps(spec.provides),
    ],
    requires: deps(spec.requires),
    conflicts: deps(spec.conflicts),
    obsoletes: deps(spec.obsoletes),
    recommends: deps(spec.recommends),
    suggests: deps(spec.suggests),
    supplements: deps(spec.supplements),
    enhances: deps(spec.enhances),
    files: [...(spec.files ?? [])],
  };
}

export interface RepoSpec {
  readonly priority?: number;
  readonly cost?: number;
  readonly comps?: Comps;
  /** Complete file lists by package name; `filelists()` yields them and counts its calls. */
  readonly filelists?: Readonly<Record<string, readonly string[]>>;
}

/** A repository for the resolver, with a counter of how often its file lists were read. */
export function rpmRepository(
  name: string,
  packages: readonly RpmRepoPackage[],
  spec: RepoSpec = {},
): RpmResolveRepository & { filelistReads: number } {
  const lists = spec.filelists;
  const repo = {
    name,
    priority: spec.priority ?? 99,
    ...(spec.cost === undefined ? {} : { cost: spec.cost }),
    packages: packages.map((pkg) => ({ ...pkg, repository: name })),
    ...(spec.comps === undefined ? {} : { comps: spec.comps }),
    filelistReads: 0,
  };
  if (lists === undefined) return repo;
  return {
    ...repo,
    async *filelists(): AsyncGenerator<RpmPackageFiles> {
      repo.filelistReads++;
      for (const pkg of repo.packages) {
        const files = lists[pkg.name];
        if (files !== undefined) {
          yield { pkgid: pkg.checksum.value, name: pkg.name, arch: pkg.arch, files };
        }
      }
    },
    get filelistReads() {
      return repo.filelistReads;
    },
  };
}
