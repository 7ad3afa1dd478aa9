import { readSquashfsLayout } from '@levitate/squashfs';
import type { SquashfsLayout } from '@levitate/squashfs';

/** Which package put a path into the image (an ImageTree is one). */
export interface PackageOrigins {
  get(path: string): { readonly origin: string } | undefined;
}

/**
 * What each package's files take in the squashfs image, in stored bytes: each file's own
 * data blocks as stored, plus its share of the fragment block holding its tail (the fragment's
 * stored size split by the tails it holds). A hard-linked file counts once; blocks that the
 * writer shares between identical files count for each of them.
 */
export function squashfsCostByPackage(
  layout: SquashfsLayout,
  tree: PackageOrigins,
): Map<string, number> {
  const seen = new Set<number>();
  const unique = layout.files.filter((file) => {
    if (seen.has(file.inode)) return false;
    seen.add(file.inode);
    return true;
  });
  const tails = new Map<number, number>();
  for (const file of unique) {
    if (file.fragment >= 0) tails.set(file.fragment, (tails.get(file.fragment) ?? 0) + file.tail);
  }
  const costs = new Map<string, number>();
  for (const file of unique) {
    const origin = tree.get(file.path)?.origin;
    if (origin === undefined) continue;
    const tailSum = tails.get(file.fragment) ?? 0;
    const share =
      file.fragment >= 0 && tailSum > 0
        ? (file.tail * (layout.fragments[file.fragment] ?? 0)) / tailSum
        : 0;
    costs.set(origin, (costs.get(origin) ?? 0) + file.storedBlocks + share);
  }
  for (const [name, cost] of costs) costs.set(name, Math.round(cost));
  return costs;
}

/** The squashfs cost of each package of the image just written (only its tables are read). */
export async function readSquashfsCosts(
  image: string,
  tree: PackageOrigins,
): Promise<Map<string, number>> {
  return squashfsCostByPackage(await readSquashfsLayout(image), tree);
}
