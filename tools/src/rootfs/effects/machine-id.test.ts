import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageTree } from '../image-tree.ts';
import { EPOCH, makeTempDir, newTree } from '../rootfs.support.ts';
import type { TempDir } from '../rootfs.support.ts';
import { packageOf } from './effects.support.ts';
import { machineIdEffect } from './machine-id.ts';
import type { EffectSpec } from './types.ts';

const LEVITATE: EffectSpec = { id: 'levitateos', family: 'rpm', init: 'systemd', services: [] };

let temp: TempDir;
let tree: ImageTree;

beforeEach(() => {
  temp = makeTempDir('machine-id');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

describe('the machine-id effect', () => {
  it('leaves an empty 0444 root:root /etc/machine-id, replacing a packaged one', async () => {
    const pkg = packageOf('systemd', { '/etc/machine-id': '0123456789abcdef0123456789abcdef\n' });
    await tree.addPackage(pkg);
    const notes = await machineIdEffect.apply({ tree, packages: [pkg], spec: LEVITATE });
    expect(tree.get('/etc/machine-id')).toMatchObject({
      kind: 'file',
      mode: 0o444,
      uid: 0,
      gid: 0,
      mtime: EPOCH,
      origin: 'machine-id',
      content: { size: 0 },
    });
    expect(notes[0]).toBe('replaced /etc/machine-id of systemd (a 33-byte file) with an empty one');
    const again = await machineIdEffect.apply({ tree, packages: [pkg], spec: LEVITATE });
    expect(again).toHaveLength(1);
  });

  it('claims the lines that run systemd-machine-id-setup', () => {
    const pkg = packageOf('systemd', {});
    expect(
      machineIdEffect.claims(pkg, {
        phase: 'post-install',
        body: '# first boot\nsystemd-machine-id-setup &>/dev/null || :\nsystemctl daemon-reexec &>/dev/null || :\n',
      }),
    ).toEqual([1]);
  });
});
