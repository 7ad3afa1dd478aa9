import type { RootView } from '../initramfs/index.ts';
import type { ImageTree } from '../rootfs/index.ts';
import { treeRootView } from './tree-root.ts';

/** One question asked of the image tree, and its answer in short: a digest, a target, a listing. */
export type TreeRead = readonly [
  question: 'file' | 'link' | 'stat' | 'list',
  path: string,
  answer: string,
];

/**
 * The answer to a question, as the tree gives it now. A file's content is answered by its
 * digest (the tree knows it without reading the store); the other answers are small and given
 * whole.
 */
async function answer(
  tree: ImageTree,
  view: RootView,
  question: TreeRead[0],
  path: string,
): Promise<string> {
  switch (question) {
    case 'file':
      return tree.fileAt(path)?.node.content.sha256 ?? '';
    case 'link':
      return JSON.stringify((await view.readlink(path)) ?? null);
    case 'stat':
      return JSON.stringify((await view.stat(path)) ?? null);
    case 'list':
      return JSON.stringify(await view.list(path));
  }
}

/**
 * The tree as a root view that remembers every question asked of it and its answer. Whatever
 * was made only from this view (by deterministic code) is made again the same as long as every
 * answer stays the same: see readsStillHold.
 */
export function recordingRootView(tree: ImageTree): {
  readonly view: RootView;
  reads(): TreeRead[];
} {
  const base = treeRootView(tree);
  const asked = new Map<string, TreeRead>();
  const remember = async (question: TreeRead[0], path: string) => {
    const id = `${question}\0${path}`;
    if (!asked.has(id)) asked.set(id, [question, path, await answer(tree, base, question, path)]);
  };
  return {
    view: {
      async readFile(path) {
        await remember('file', path);
        return base.readFile(path);
      },
      async readlink(path) {
        await remember('link', path);
        return base.readlink(path);
      },
      async stat(path) {
        await remember('stat', path);
        return base.stat(path);
      },
      async list(path) {
        await remember('list', path);
        return base.list(path);
      },
    },
    reads: () => [...asked.values()],
  };
}

/** True when the tree answers every recorded question as it did then. */
export async function readsStillHold(
  tree: ImageTree,
  reads: readonly TreeRead[],
): Promise<boolean> {
  const view = treeRootView(tree);
  for (const [question, path, recorded] of reads) {
    if ((await answer(tree, view, question, path)) !== recorded) return false;
  }
  return true;
}
