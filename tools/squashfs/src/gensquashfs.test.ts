import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { FixtureNode } from './test-support.ts';
import { MKFS_TIME, buildImage, fixtureNodes, makeTempDir, run } from './test-support.ts';

const temp = makeTempDir('gensquashfs');
const nodes = fixtureNodes();
const ours = join(temp.dir, 'ours.sqfs');
const oursWithoutXattrs = join(temp.dir, 'ours-without-xattrs.sqfs');

/** gensquashfs 1.2 applies --xattr-file only with --pack-dir, so compare without xattrs. */
function withoutXattrs(list: readonly FixtureNode[]): FixtureNode[] {
  return list.map((node) => {
    if (node.kind === 'hardlink') return node;
    const { xattrs: _dropped, ...meta } = node.meta;
    return { ...node, meta };
  });
}

function octal(mode: number): string {
  return `0${mode.toString(8)}`;
}

/** The fixture as a gensquashfs pack file, with file data staged next to it. */
function packFile(list: readonly FixtureNode[]): string {
  const lines = list.map((node, index) => {
    if (node.kind === 'hardlink') return `link ${node.path} 0777 0 0 ${node.existing}`;
    const { mode, uid, gid } = node.meta;
    const head = `${octal(mode)} ${uid} ${gid}`;
    switch (node.kind) {
      case 'dir':
        return `dir ${node.path} ${head}`;
      case 'file': {
        const staged = join(temp.dir, `data-${index}`);
        writeFileSync(staged, node.data);
        return `file ${node.path} ${head} ${staged}`;
      }
      case 'symlink':
        return `slink ${node.path} ${head} ${node.target}`;
      case 'char':
      case 'block':
        return `nod ${node.path} ${head} ${node.kind[0]} ${node.major} ${node.minor}`;
      case 'fifo':
        return `pipe ${node.path} ${head}`;
      default:
        return `sock ${node.path} ${head}`;
    }
  });
  return `${lines.join('\n')}\n`;
}

function gensquashfs(image: string): void {
  const pack = join(temp.dir, 'pack.txt');
  writeFileSync(pack, packFile(nodes));
  run('gensquashfs', [
    '--pack-file',
    pack,
    '--compressor',
    'zstd',
    '--defaults',
    `mode=0755,uid=0,gid=0,mtime=${MKFS_TIME}`,
    '--quiet',
    '--force',
    image,
  ]);
}

function sqfsdiff(
  a: string,
  b: string,
  extra: readonly string[] = [],
): { status: number | null; report: string } {
  const result = spawnSync('sqfsdiff', [...extra, '--old', a, '--new', b], { encoding: 'utf8' });
  return { status: result.status, report: `${result.stdout}${result.stderr}` };
}

beforeAll(async () => {
  const options = { compressor: { kind: 'zstd' }, mkfsTime: MKFS_TIME, workers: 2 } as const;
  await buildImage(ours, options);
  await buildImage(oursWithoutXattrs, options, withoutXattrs(nodes));
}, 120_000);

afterAll(() => temp.cleanup());

describe('compared with gensquashfs', () => {
  const theirs = join(temp.dir, 'theirs.sqfs');

  it('matches an image gensquashfs packs from an equivalent pack file (sqfsdiff)', () => {
    gensquashfs(theirs);
    expect(sqfsdiff(oursWithoutXattrs, theirs)).toEqual({ status: 0, report: '' });
  });

  it('with xattrs kept, differs only in the two inodes that carry them', () => {
    const { status, report } = sqfsdiff(ours, theirs);
    expect(status).toBe(1);
    expect(report.trim().split('\n').sort()).toEqual([
      '/usr/bin/ping has a basic type',
      '/var/lib/nobody has a basic type',
    ]);
  });
});
