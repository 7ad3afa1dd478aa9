import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { VerifiedPackage } from '../../backend/types.ts';
import type { PackageScript } from '../../packages/model.ts';
import { parentPath } from '../paths.ts';
import { syntheticPackage } from '../rootfs.support.ts';
import type { SyntheticEntry } from '../rootfs.support.ts';

/** A file's text, or a symlink's target. */
export type FileSpec = string | Uint8Array | { readonly link: string };
export type FileSet = Readonly<Record<string, FileSpec>>;

/** An RPM-like package (owners by name only) holding `files` and the folders above them. */
export function packageOf(
  name: string,
  files: FileSet,
  scripts: readonly PackageScript[] = [],
): VerifiedPackage {
  const folders = new Set<string>();
  for (const path of Object.keys(files)) {
    for (let dir = parentPath(path); dir !== '/'; dir = parentPath(dir)) folders.add(dir);
  }
  const entries: SyntheticEntry[] = [
    ...[...folders].sort().map((path) => ({ path, rpm: true })),
    ...Object.entries(files).map(([path, spec]) =>
      typeof spec === 'object' && 'link' in spec
        ? { path, linkTarget: spec.link, rpm: true }
        : { path, content: spec, rpm: true },
    ),
  ];
  return syntheticPackage(name, entries, scripts);
}

/** Writes `files` below the host folder `root`, as a reference tool will see them. */
export function materialise(root: string, files: FileSet): void {
  for (const [path, spec] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    if (typeof spec === 'object' && 'link' in spec) symlinkSync(spec.link, target);
    else writeFileSync(target, spec);
  }
}

export const hostText = (root: string, path: string): string =>
  readFileSync(join(root, path), 'utf8');
