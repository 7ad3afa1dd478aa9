import { FILESYSTEM_DIRS } from './base-packages.ts';
import type { DebianDraft } from './debian-drafts.ts';
import { MERGED_USR_LINKS } from './merged-usr.ts';
import { NO_RELATIONS } from './package-spec.ts';
import type { RpmEntry, RpmPackageSpec } from './package-spec.ts';
import { rpmEvrOf } from './rpm-version.ts';

/** Paths `filesystem` makes links, under which no other package may put anything. */
const FILESYSTEM_LINKS = [
  ...MERGED_USR_LINKS.map(([path]) => path),
  '/var/run',
  '/var/lock',
  '/var/mail',
  '/usr/tmp',
];
const FILESYSTEM_OWNED = new Set(FILESYSTEM_DIRS.map(([path]) => path));

/**
 * A Debian-made entry as the package lists it: files in /etc are `%config(noreplace)`, the
 * Debian copyright files `%license`.
 */
function withFlags(entry: RpmEntry): RpmEntry {
  if (entry.type !== 'file' || entry.flags?.ghost === true) return entry;
  if (entry.path.startsWith('/etc/') && entry.flags?.config === undefined) {
    return { ...entry, flags: { ...entry.flags, config: 'noreplace' } };
  }
  if (/^\/usr\/share\/doc\/[^/]+\/copyright$/.test(entry.path)) {
    return { ...entry, flags: { ...entry.flags, license: true } };
  }
  return entry;
}

/** The spec of a Debian-made package, its shared-object requirements still to be added. */
export function draftSpec(draft: DebianDraft): RpmPackageSpec {
  const { recipe, selected } = draft;
  const first = selected.shipped[0];
  if (first === undefined) throw new Error(`${recipe.name}: no Debian package`);
  const sources = selected.shipped.map((deb) => `${deb.package} ${deb.version}`).join(', ');
  return {
    ...NO_RELATIONS,
    name: recipe.name,
    ...rpmEvrOf(first.version),
    arch: 'x86_64',
    summary: recipe.summary,
    description: `${recipe.summary} (LevitateOS fixture: Debian's ${sources}).`,
    license: recipe.license,
    url: recipe.url,
    repository: recipe.repository ?? 'BaseOS',
    requires: recipe.requires ?? [],
    provides: recipe.provides ?? [],
    scripts: recipe.scripts ?? [],
    entries: draft.entries
      .filter((entry) => !(entry.type === 'directory' && FILESYSTEM_OWNED.has(entry.path)))
      .map(withFlags),
  };
}

/**
 * Refuses two packages of one name, one path shipped by two packages (folders excepted), and
 * anything placed below the links `filesystem` ships.
 */
export function checkPackageSet(specs: readonly RpmPackageSpec[]): void {
  const problems: string[] = [];
  const names = new Set<string>();
  const owners = new Map<string, string>();
  for (const spec of specs) {
    if (names.has(spec.name)) problems.push(`two packages are named ${spec.name}`);
    names.add(spec.name);
    for (const entry of spec.entries) {
      if (
        spec.name !== 'filesystem' &&
        FILESYSTEM_LINKS.some((link) => entry.path === link || entry.path.startsWith(`${link}/`))
      ) {
        problems.push(`${spec.name} ships ${entry.path}, below a link of filesystem`);
      }
      if (entry.type === 'directory') continue;
      const owner = owners.get(entry.path);
      if (owner !== undefined) problems.push(`${entry.path} is in ${owner} and ${spec.name}`);
      owners.set(entry.path, spec.name);
    }
  }
  if (problems.length > 0) {
    throw new Error(`the fixture packages conflict:\n  ${problems.join('\n  ')}`);
  }
}

/** `spec` with `extra` added to its Requires. */
export function withRequires(spec: RpmPackageSpec, extra: readonly string[]): RpmPackageSpec {
  return { ...spec, requires: [...new Set([...spec.requires, ...extra])].sort() };
}
