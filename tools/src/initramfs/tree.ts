import { UserError } from '../core/errors.ts';
import type { CpioEntry, CpioMeta } from '../boot/cpio.ts';
import {
  baseName,
  joinRootPath,
  linkTarget,
  parentOf,
  pathParts,
  walkRootPath,
} from './root-view.ts';
import type { PathLookup, RootView } from './root-view.ts';

const MAX_LINK_HOPS = 40;

/**
 * The files of an initramfs as they are gathered. Paths copied from the image keep their
 * shape: every link met on the way (`/lib -> usr/lib`, `libc.so.6 -> libc-2.36.so`) is copied
 * as a link and its target copied too, so the initramfs resolves names as the image does.
 */
export class InitramfsTree {
  private readonly entries = new Map<string, CpioEntry>();

  constructor(
    private readonly root: RootView,
    private readonly epoch: number,
  ) {}

  /** Copies a file (or link chain, or folder without its content) from the image. */
  async copyFromRoot(path: string): Promise<string> {
    return this.place(path, 'copy');
  }

  /** Makes a folder, following the image's links for the parts it has, plain folders otherwise. */
  async directory(path: string, mode = 0o755): Promise<string> {
    return this.place(path, 'directory', mode);
  }

  async addFile(path: string, content: Uint8Array, mode: number): Promise<string> {
    const target = joinRootPath(await this.directory(parentOf(path)), baseName(path));
    this.put({ type: 'file', path: target, meta: this.meta(mode), content });
    return target;
  }

  async addSymlink(path: string, linkTarget: string): Promise<string> {
    const target = joinRootPath(await this.directory(parentOf(path)), baseName(path));
    this.put({ type: 'symlink', path: target, meta: this.meta(0o777), target: linkTarget });
    return target;
  }

  /** Whether `path` names something in the tree, following the tree's own links. */
  async has(path: string): Promise<boolean> {
    const resolved = await walkRootPath(this.lookup(), path, true);
    return resolved !== undefined && (resolved === '/' || this.entries.has(resolved));
  }

  /** The entries sorted by path: parents before children, the same order on every build. */
  cpioEntries(): CpioEntry[] {
    return [...this.entries.values()].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
  }

  paths(): string[] {
    return this.cpioEntries().map((entry) => entry.path);
  }

  private lookup(): PathLookup {
    return {
      type: async (path) => this.entries.get(path)?.type,
      link: async (path) => {
        const entry = this.entries.get(path);
        return entry?.type === 'symlink' ? entry.target : undefined;
      },
    };
  }

  private async place(
    path: string,
    intent: 'copy' | 'directory',
    newDirectoryMode = 0o755,
  ): Promise<string> {
    let current = '/';
    let pending = pathParts(path);
    let hops = 0;
    const follow = (candidate: string, linkTarget: string) => {
      hops += 1;
      if (hops > MAX_LINK_HOPS) throw new Error(`too many symbolic links under ${path}`);
      pending = [...pathParts(linkTarget), ...pending];
      current = linkTarget.startsWith('/') ? '/' : parentOf(candidate);
    };
    while (pending.length > 0) {
      const [part, ...rest] = pending;
      pending = rest;
      if (part === undefined) break;
      if (part === '..') {
        current = parentOf(current);
        continue;
      }
      const candidate = joinRootPath(current, part);
      const last = pending.length === 0;
      const existing = this.entries.get(candidate);
      if (existing?.type === 'symlink') {
        follow(candidate, existing.target);
        continue;
      }
      if (existing?.type === 'directory') {
        current = candidate;
        continue;
      }
      if (existing !== undefined) {
        if (last && intent === 'copy') return candidate;
        throw new Error(`initramfs: ${candidate} is a file, but ${path} needs it to be a folder`);
      }
      const stat = await this.root.stat(candidate);
      if (stat === undefined) {
        if (intent === 'copy') {
          throw new UserError(
            'initramfs-file-missing',
            `${path} is not in the image's root (${candidate} is missing)`,
          );
        }
        const mode = last ? newDirectoryMode : 0o755;
        this.put({ type: 'directory', path: candidate, meta: this.meta(mode) });
        current = candidate;
      } else if (stat.type === 'symlink') {
        const target = linkTarget(await this.root.readlink(candidate), candidate);
        this.put({ type: 'symlink', path: candidate, meta: this.meta(0o777), target });
        follow(candidate, target);
      } else if (stat.type === 'directory') {
        this.put({ type: 'directory', path: candidate, meta: this.meta(stat.mode) });
        current = candidate;
      } else if (stat.type === 'file' && last && intent === 'copy') {
        const content = await this.root.readFile(candidate);
        if (content === undefined) throw new Error(`cannot read ${candidate} from the image`);
        this.put({ type: 'file', path: candidate, meta: this.meta(stat.mode), content });
        return candidate;
      } else {
        throw new Error(`initramfs: cannot copy ${candidate} (${stat.type}) for ${path}`);
      }
    }
    return current;
  }

  private put(entry: CpioEntry): void {
    const existing = this.entries.get(entry.path);
    if (existing !== undefined && !sameEntry(existing, entry)) {
      throw new Error(`initramfs: ${entry.path} is added twice with different contents`);
    }
    this.entries.set(entry.path, entry);
  }

  private meta(mode: number): CpioMeta {
    return { mode: mode & 0o7777, uid: 0, gid: 0, mtime: this.epoch };
  }
}

function sameEntry(a: CpioEntry, b: CpioEntry): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'symlink' && b.type === 'symlink') return a.target === b.target;
  if (a.type === 'file' && b.type === 'file') {
    return a.content.length === b.content.length && Buffer.from(a.content).equals(b.content);
  }
  return true;
}
