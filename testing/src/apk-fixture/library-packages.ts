import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '@levitate/tools';
import { alpineVersionOf, libraryPackageName } from './debian-version.ts';
import { GLIBC_LOADER, hostOwners } from '../debian/library-closure.ts';
import { packageOfNeed, type NeededLibrary } from '../debian/debian-selection.ts';
import { NO_RELATIONS, parentDirectories, rootOwned } from './package-spec.ts';
import type { ApkEntry, ApkPackageSpec } from './package-spec.ts';

/** Where every glibc library of the fixture lives, a directory the Debian loader searches. */
export const GLIBC_LIBRARY_DIR = '/lib/x86_64-linux-gnu';

interface Library {
  readonly owner: string;
  readonly version: string;
  /** The owner's `copyright` file, when there is one. */
  readonly copyright?: string;
  readonly files: Map<string, NeededLibrary>;
}

async function hostVersions(
  runner: Runner,
  names: readonly string[],
): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  if (names.length === 0) {
    return versions;
  }
  const format = '${Package}\\t${Version}\\n';
  const { stdout } = await runner.run(['dpkg-query', '-W', '-f', format, '--', ...names]);
  for (const line of stdout.split('\n')) {
    const [name, version] = line.split('\t');
    if (name !== undefined && version !== undefined) versions.set(name, version);
  }
  return versions;
}

function entriesOf(library: Library): ApkEntry[] {
  const entries: ApkEntry[] = [];
  const files = [...library.files.values()].sort((a, b) => (a.soname < b.soname ? -1 : 1));
  for (const file of files) {
    const loader = file.soname === GLIBC_LOADER;
    const path = `${GLIBC_LIBRARY_DIR}/${file.soname.slice(file.soname.lastIndexOf('/') + 1)}`;
    const content = { hostPath: file.hostPath };
    entries.push(rootOwned({ type: 'file', path, mode: loader ? 0o755 : 0o644, content }));
    if (loader) {
      entries.push(rootOwned({ type: 'symlink', path: GLIBC_LOADER, mode: 0o777, target: path }));
    }
  }
  if (library.copyright !== undefined) {
    const path = `/usr/share/doc/${library.owner}/copyright`;
    const content = { hostPath: library.copyright };
    entries.push(rootOwned({ type: 'file', path, mode: 0o644, content }));
  }
  return [...entries, ...parentDirectories(entries)];
}

/**
 * One `debian-<name>` package per Debian package owning some of `needs` (by `dpkg -S` for host
 * files), holding just those libraries under {@link GLIBC_LIBRARY_DIR} and the owner's license.
 */
export async function libraryPackages(
  runner: Runner,
  needs: readonly NeededLibrary[],
  arch: string,
): Promise<{ specs: ApkPackageSpec[]; packageOf: (need: NeededLibrary) => string }> {
  const fromHost = [
    ...new Set(needs.filter((n) => n.archive === undefined).map((n) => n.hostPath)),
  ];
  const owners = await hostOwners(runner, fromHost);
  const versions = await hostVersions(runner, [...new Set(owners.values())]);
  const ownerOf = (need: NeededLibrary) => packageOfNeed(need, owners);
  const libraries = new Map<string, Library>();
  for (const need of needs) {
    const owner = ownerOf(need);
    const docs = need.archive === undefined ? '/' : need.archive.tree;
    const copyright = join(docs, 'usr', 'share', 'doc', owner, 'copyright');
    const library = libraries.get(owner) ?? {
      owner,
      version: need.archive?.version ?? versions.get(owner) ?? '',
      ...(existsSync(copyright) ? { copyright } : {}),
      files: new Map(),
    };
    library.files.set(need.soname, library.files.get(need.soname) ?? need);
    libraries.set(owner, library);
  }
  const specs = [...libraries.values()]
    .sort((a, b) => (a.owner < b.owner ? -1 : 1))
    .map((library) => ({
      ...NO_RELATIONS,
      name: libraryPackageName(library.owner),
      version: alpineVersionOf(library.version),
      arch,
      description: `Libraries of Debian's ${library.owner} ${library.version} for glibc programs`,
      url: `https://packages.debian.org/bookworm/${library.owner}`,
      license: 'custom:debian-copyright',
      origin: libraryPackageName(library.owner),
      entries: entriesOf(library),
    }));
  return { specs, packageOf: (need) => libraryPackageName(ownerOf(need)) };
}
