import type { ImageNode } from './nodes.ts';
import { describeKind } from './nodes.ts';
import { joinPath, splitPath } from './paths.ts';

/** Linux gives up after 40 symlinks in one lookup (MAXSYMLINKS); so does the walk. */
const MAX_SYMLINK_HOPS = 40;

export interface WalkHost {
  get(path: string): ImageNode | undefined;
}

export interface WalkOptions {
  /** Resolve the last name too when it is a symlink (stat), or not (lstat). */
  readonly follow: boolean;
  /** Called for each missing directory on the way; without it a missing directory is a problem. */
  readonly makeDirectory?: (path: string) => void;
}

/** A symlink the walk went through: where it is and what it points to. */
export interface SymlinkHop {
  readonly link: string;
  readonly target: string;
}

export type WalkResult =
  | {
      readonly ok: true;
      /** The path with every symlink on the way resolved. */
      readonly path: string;
      readonly node: ImageNode | undefined;
      readonly through: readonly SymlinkHop[];
    }
  | {
      readonly ok: false;
      readonly problem: 'missing' | 'not-directory' | 'escape' | 'loop';
      readonly at: string;
      readonly message: string;
    };

function onlyDots(names: readonly string[]): boolean {
  return names.every((name) => name === '' || name === '.');
}

/**
 * Resolves an image path the way the kernel would inside a chroot of the image: symlinks on the
 * way are followed (absolute targets from the image root, relative ones from the link's
 * folder), `..` goes to the resolved parent. Unlike the kernel, a `..` above the root is refused
 * instead of staying at the root: no package has a legitimate reason to point there.
 */
export function walkPath(host: WalkHost, path: string, options: WalkOptions): WalkResult {
  let resolved: string[] = [];
  let pending = splitPath(path);
  const through: SymlinkHop[] = [];
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      if (resolved.length === 0) {
        const message = `${path} resolves to a path above the image root`;
        return { ok: false, problem: 'escape', at: path, message };
      }
      resolved.pop();
      continue;
    }
    const here = joinPath([...resolved, name]);
    const last = onlyDots(pending);
    const node = host.get(here);
    if (node?.kind === 'symlink' && (!last || options.follow)) {
      if (through.length >= MAX_SYMLINK_HOPS) {
        const message = `${path} goes through more than ${MAX_SYMLINK_HOPS} symlinks`;
        return { ok: false, problem: 'loop', at: here, message };
      }
      through.push({ link: here, target: node.target });
      if (node.target.startsWith('/')) resolved = [];
      pending = [...node.target.split('/'), ...pending];
      continue;
    }
    if (last || node?.kind === 'directory') {
      resolved.push(name);
      continue;
    }
    if (node === undefined && options.makeDirectory !== undefined) {
      options.makeDirectory(here);
      resolved.push(name);
      continue;
    }
    const message =
      node === undefined
        ? `${here} does not exist`
        : `${path} lies under ${here}, which is a ${describeKind(node.kind)}`;
    return {
      ok: false,
      problem: node === undefined ? 'missing' : 'not-directory',
      at: here,
      message,
    };
  }
  const final = joinPath(resolved);
  return { ok: true, path: final, node: host.get(final), through };
}

/** `/bin → usr/bin` style text for notes. */
export function describeHops(through: readonly SymlinkHop[]): string {
  return through.map((hop) => `${hop.link} → ${hop.target}`).join(', ');
}
