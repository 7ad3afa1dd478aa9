import type { DebianSelection } from '../debian/debian-selection.ts';
import { allOf, under, withoutDocumentation } from '../debian/tree-entries.ts';
import type { PathFilter } from '../debian/tree-entries.ts';
import type { RpmFileFlags, RpmRepositoryName, RpmScript } from './package-spec.ts';

/** Ownership, mode and rpm flags given to one path of a package, by its merged-/usr path. */
export interface EntryOverride {
  readonly mode?: number;
  readonly user?: string;
  readonly group?: string;
  readonly flags?: RpmFileFlags;
}

/**
 * A Rocky-named package made from the files of Debian packages. Paths in `keep` and `borrowed`
 * are Debian's; `extraEntries`, `overrides` and `hardlinks` use the merged-/usr paths the
 * package ships.
 */
export interface RpmRecipe extends DebianSelection {
  readonly name: string;
  readonly summary: string;
  readonly license: string;
  readonly url: string;
  /** BaseOS unless said otherwise. */
  readonly repository?: RpmRepositoryName;
  readonly requires?: readonly string[];
  readonly provides?: readonly string[];
  readonly scripts?: readonly RpmScript[];
  readonly overrides?: Readonly<Record<string, EntryOverride>>;
  /** `[link, file]`: `link` is made another name of the shipped file `file`. */
  readonly hardlinks?: readonly (readonly [string, string])[];
}

/** Debian's SysV, cron and initramfs-tools glue, which a Rocky system does without. */
const DEBIAN_ONLY = [
  '/etc/init.d',
  '/etc/default',
  '/etc/cron.d',
  '/etc/cron.daily',
  '/etc/cron.weekly',
  '/etc/cron.monthly',
  '/etc/initramfs-tools',
  '/usr/share/initramfs-tools',
  '/usr/lib/pm-utils',
  '/etc/kernel',
  '/usr/share/lintian',
  '/usr/share/bug',
];

export const withoutDebianGlue: PathFilter = (path) =>
  !DEBIAN_ONLY.some((prefix) => under(path, prefix));

/** What a Rocky package keeps of a Debian one: programs, libraries, units; no docs but licenses. */
export const rockyFiles: PathFilter = allOf(withoutDocumentation, withoutDebianGlue);

/** Keeps only `paths` (and what is under them) of a Debian package. */
export function only(...paths: string[]): PathFilter {
  return (path) => paths.some((wanted) => under(path, wanted));
}

/** Keeps all but `paths` of a Debian package (and Debian's glue). */
export function except(...paths: string[]): PathFilter {
  return allOf(rockyFiles, (path) => !paths.some((unwanted) => under(path, unwanted)));
}
