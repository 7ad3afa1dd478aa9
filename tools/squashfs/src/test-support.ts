import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NodeMeta, SquashfsOptions, SquashfsSummary } from './types.ts';
import { SquashfsWriter } from './writer.ts';

export const MKFS_TIME = 1_700_000_000;
export const BLOCK_SIZE = 131072;

/** Raw vfs_cap_data v2 (VFS_CAP_REVISION_2 | EFFECTIVE) granting cap_net_raw (bit 13). */
export const CAP_NET_RAW_EP = Uint8Array.from([
  0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);

export type FixtureNode =
  | { kind: 'dir'; path: string; meta: NodeMeta }
  | {
      kind: 'file';
      path: string;
      meta: NodeMeta;
      data: Uint8Array;
      feed: 'whole' | 'sync' | 'async';
    }
  | { kind: 'symlink'; path: string; target: string; meta: NodeMeta }
  | { kind: 'hardlink'; path: string; existing: string }
  | { kind: 'char' | 'block'; path: string; major: number; minor: number; meta: NodeMeta }
  | { kind: 'fifo' | 'socket'; path: string; meta: NodeMeta };

export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(length / 4));
  let state = seed >>> 0 || 1;
  for (let index = 0; index < words.length; index += 1) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    words[index] = state;
  }
  return new Uint8Array(words.buffer, 0, length);
}

function meta(mode: number, uid: number, gid: number, mtime: number, extra?: Partial<NodeMeta>) {
  return { mode, uid, gid, mtime, ...extra };
}

/** A tree touching every feature: types, odd modes, owners, xattrs, block edge cases. */
export function fixtureNodes(): FixtureNode[] {
  const t = 1_600_000_000;
  const text = (value: string) => new TextEncoder().encode(value);
  const sparse = new Uint8Array(3 * BLOCK_SIZE + 77);
  sparse.set(pseudoRandomBytes(BLOCK_SIZE, 7), 0);
  sparse.set(pseudoRandomBytes(BLOCK_SIZE + 77, 8), 2 * BLOCK_SIZE);
  return [
    { kind: 'dir', path: '/', meta: meta(0o755, 0, 0, t) },
    { kind: 'dir', path: '/etc', meta: meta(0o755, 0, 0, t + 1) },
    {
      kind: 'file',
      path: '/etc/empty',
      meta: meta(0o644, 0, 0, t + 2),
      data: new Uint8Array(0),
      feed: 'whole',
    },
    {
      kind: 'file',
      path: '/etc/hostname',
      meta: meta(0o644, 0, 0, t + 3),
      data: text('levitate\n'),
      feed: 'whole',
    },
    {
      kind: 'symlink',
      path: '/etc/localtime',
      target: '/usr/share/zoneinfo/UTC',
      meta: meta(0o777, 0, 0, t + 4),
    },
    { kind: 'symlink', path: '/bin', target: 'usr/bin', meta: meta(0o777, 0, 0, t + 5) },
    { kind: 'dir', path: '/usr/lib/deep/er/still', meta: meta(0o750, 1000, 1000, t + 6) },
    {
      kind: 'file',
      path: '/usr/lib/exact-block',
      meta: meta(0o644, 0, 0, t + 7),
      data: pseudoRandomBytes(BLOCK_SIZE, 1),
      feed: 'whole',
    },
    {
      kind: 'file',
      path: '/usr/lib/blocks-and-tail',
      meta: meta(0o644, 0, 0, t + 8),
      data: pseudoRandomBytes(3 * BLOCK_SIZE + 1000, 2),
      feed: 'sync',
    },
    {
      kind: 'file',
      path: '/usr/lib/random.bin',
      meta: meta(0o600, 0, 0, t + 9),
      data: pseudoRandomBytes(5 * 1024 * 1024, 3),
      feed: 'async',
    },
    {
      kind: 'file',
      path: '/usr/lib/sparse.img',
      meta: meta(0o644, 0, 0, t + 10),
      data: sparse,
      feed: 'async',
    },
    {
      kind: 'file',
      path: '/usr/share/doc/a.txt',
      meta: meta(0o644, 0, 0, t + 11),
      data: text('same\n'.repeat(999)),
      feed: 'whole',
    },
    {
      kind: 'file',
      path: '/usr/share/doc/b.txt',
      meta: meta(0o644, 0, 0, t + 12),
      data: text('same\n'.repeat(999)),
      feed: 'sync',
    },
    {
      kind: 'file',
      path: '/usr/bin/ping',
      meta: meta(0o755, 0, 0, t + 13, {
        xattrs: {
          'security.capability': CAP_NET_RAW_EP,
          'user.comment': text('needs raw sockets'),
        },
      }),
      data: text('#!/bin/sh\necho ping\n'),
      feed: 'whole',
    },
    {
      kind: 'file',
      path: '/usr/bin/su',
      meta: meta(0o4755, 0, 0, t + 14),
      data: text('su'),
      feed: 'whole',
    },
    {
      kind: 'file',
      path: '/usr/bin/wall',
      meta: meta(0o2755, 0, 5, t + 15),
      data: text('wall'),
      feed: 'whole',
    },
    {
      kind: 'file',
      path: '/usr/bin/gzip',
      meta: meta(0o755, 0, 0, t + 16),
      data: pseudoRandomBytes(70_000, 4),
      feed: 'whole',
    },
    { kind: 'hardlink', path: '/usr/bin/gunzip', existing: '/usr/bin/gzip' },
    { kind: 'dir', path: '/tmp', meta: meta(0o1777, 0, 0, t + 17) },
    { kind: 'dir', path: '/srv/shared', meta: meta(0o2775, 1000, 1000, t + 18) },
    { kind: 'dir', path: '/home/user', meta: meta(0o700, 1000, 1000, t + 19) },
    {
      kind: 'file',
      path: '/home/user/notes',
      meta: meta(0o600, 1000, 1000, t + 20),
      data: text('hi\n'),
      feed: 'whole',
    },
    {
      kind: 'dir',
      path: '/var/lib/nobody',
      meta: meta(0o755, 65534, 65534, t + 21, { xattrs: { 'user.owner': text('nobody') } }),
    },
    {
      kind: 'file',
      path: '/var/lib/nobody/state',
      meta: meta(0o640, 65534, 65534, t + 22),
      data: text('x'),
      feed: 'whole',
    },
    { kind: 'char', path: '/dev/null', major: 1, minor: 3, meta: meta(0o666, 0, 0, t + 23) },
    { kind: 'block', path: '/dev/sda', major: 8, minor: 0, meta: meta(0o660, 0, 6, t + 24) },
    { kind: 'char', path: '/dev/ttyS300', major: 4, minor: 300, meta: meta(0o620, 0, 5, t + 25) },
    { kind: 'fifo', path: '/run/initctl', meta: meta(0o600, 0, 0, t + 26) },
    { kind: 'socket', path: '/run/daemon.sock', meta: meta(0o666, 0, 0, t + 27) },
  ];
}

function* syncChunks(data: Uint8Array): Generator<Uint8Array> {
  for (let offset = 0; offset < data.byteLength; offset += 1000) {
    yield data.subarray(offset, offset + 1000);
  }
}

async function* asyncChunks(data: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.byteLength; offset += 65536) {
    await Promise.resolve();
    yield data.slice(offset, offset + 65536);
  }
}

export function addNodes(writer: SquashfsWriter, nodes: readonly FixtureNode[]): Promise<void>[] {
  const pending: Promise<void>[] = [];
  for (const node of nodes) {
    switch (node.kind) {
      case 'dir':
        writer.directory(node.path, node.meta);
        break;
      case 'file': {
        const feeds = {
          whole: node.data,
          sync: syncChunks(node.data),
          async: asyncChunks(node.data),
        };
        pending.push(writer.file(node.path, node.meta, feeds[node.feed]));
        break;
      }
      case 'symlink':
        writer.symlink(node.path, node.target, node.meta);
        break;
      case 'hardlink':
        writer.hardlink(node.path, node.existing);
        break;
      case 'char':
      case 'block':
        writer.device(node.path, node.kind, node.major, node.minor, node.meta);
        break;
      default:
        writer[node.kind](node.path, node.meta);
    }
  }
  return pending;
}

export async function buildImage(
  image: string,
  options: SquashfsOptions,
  nodes: readonly FixtureNode[] = fixtureNodes(),
): Promise<SquashfsSummary> {
  const writer = new SquashfsWriter(image, options);
  await Promise.all(addNodes(writer, nodes));
  return writer.finish();
}

export function run(command: string, args: readonly string[]): Buffer {
  return execFileSync(command, args, {
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `squashfs-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
