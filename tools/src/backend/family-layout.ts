import type { PackageFamily } from '@levitate/distro-spec';

/** How a family's repositories are laid out: what callers need before its backend is loaded. */
export interface FamilyLayout {
  /** The file name suffix of its packages, for messages (`.rpm`, `.apk`). */
  readonly suffix: string;
  /** The index file of a repository, relative to its URL, to see whether a mirror answers. */
  indexPath(arch: string): string;
}

export const FAMILY_LAYOUTS: Readonly<Record<PackageFamily, FamilyLayout>> = Object.freeze({
  rpm: { suffix: '.rpm', indexPath: () => 'repodata/repomd.xml' },
  apk: { suffix: '.apk', indexPath: (arch: string) => `${arch}/APKINDEX.tar.gz` },
});
