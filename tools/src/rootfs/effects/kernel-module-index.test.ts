import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageTree } from '../image-tree.ts';
import { makeTempDir, newTree, syntheticPackage, text } from '../rootfs.support.ts';
import type { TempDir } from '../rootfs.support.ts';
import { kernelModuleIndexEffect } from './kernel-module-index.ts';
import { runScriptEffects } from './registry.ts';
import type { EffectSpec } from './types.ts';

const LEVITATE: EffectSpec = { id: 'levitateos', family: 'rpm', init: 'systemd', services: [] };
const HOST_MODULES = '/lib/modules';
/** sr_mod needs cdrom, scsi_mod and scsi_common. */
const MODULES = [
  'kernel/drivers/scsi/sr_mod.ko',
  'kernel/drivers/cdrom/cdrom.ko',
  'kernel/drivers/scsi/scsi_mod.ko',
  'kernel/drivers/scsi/scsi_common.ko',
  'kernel/fs/isofs/isofs.ko',
];

let temp: TempDir;
let tree: ImageTree;
beforeEach(() => {
  temp = makeTempDir('depmod');
  tree = newTree(temp.dir);
});
afterEach(() => temp.cleanup());

/** How Rocky (xz, CRC32 check) and others compress modules, by the suffix they add. */
const COMPRESSORS: Record<string, readonly string[]> = {
  '.xz': ['xz', '--check=crc32', '--stdout'],
  '.zst': ['zstd', '--quiet', '--stdout'],
};

/** Rocky's layout: /lib → usr/lib, the kernel's modules without any index file. */
async function kernelPackage(version: string, suffix = '') {
  const modules = await Promise.all(
    MODULES.map(async (path) => {
      const plain = join(HOST_MODULES, version, path);
      const [command, ...args] = COMPRESSORS[suffix] ?? [];
      const bytes =
        command === undefined
          ? await readFile(plain)
          : execFileSync(command, [...args, plain], { maxBuffer: 64 << 20 });
      return {
        path: `/usr/lib/modules/${version}/${path}${suffix}`,
        content: new Uint8Array(bytes),
        rpm: true,
      };
    }),
  );
  return syntheticPackage(
    'kernel-core',
    [{ path: '/usr' }, { path: '/usr/lib' }, { path: '/lib', linkTarget: 'usr/lib' }, ...modules],
    [
      {
        phase: 'posttrans',
        interpreter: '/bin/sh',
        body: `/usr/sbin/depmod -a ${version}\n/bin/kernel-install add ${version} /lib/modules/${version}/vmlinuz || exit $?\n`,
      },
    ],
  );
}

describe('kernel module indexes', async () => {
  const version = (await readdir(HOST_MODULES))[0] ?? '';

  it('writes modules.dep and the binary indexes for a kernel that ships none', async () => {
    const pkg = await kernelPackage(version);
    await tree.addPackage(pkg);
    const report = await runScriptEffects(tree, [pkg], LEVITATE, [kernelModuleIndexEffect]);

    const dir = `/usr/lib/modules/${version}`;
    const dep = text(await tree.readFile(`${dir}/modules.dep`));
    expect(dep).toMatch(/^kernel\/fs\/isofs\/isofs\.ko:/m);
    expect(dep).toMatch(/^kernel\/drivers\/scsi\/sr_mod\.ko: .*kernel\/drivers\/cdrom\/cdrom\.ko/m);
    for (const index of ['modules.dep.bin', 'modules.alias.bin', 'modules.symbols.bin']) {
      expect(tree.get(`${dir}/${index}`)?.kind, index).toBe('file');
    }
    expect(report.effects[0]?.notes).toEqual([expect.stringContaining(`${version}: 5 modules`)]);
    // depmod stands in for its line of the script; kernel-install does not happen.
    expect(report.scripts).toEqual([
      {
        package: 'kernel-core',
        phase: 'posttrans',
        status: 'partly-covered',
        coveredBy: ['kernel-module-index'],
      },
    ]);
  });

  it.each(Object.keys(COMPRESSORS))(
    'indexes %s-compressed modules under their own names',
    async (suffix) => {
      const pkg = await kernelPackage(version, suffix);
      await tree.addPackage(pkg);
      await runScriptEffects(tree, [pkg], LEVITATE, [kernelModuleIndexEffect]);
      const dep = text(await tree.readFile(`/usr/lib/modules/${version}/modules.dep`));
      const ko = `\\.ko${suffix.replace('.', '\\.')}`;
      expect(dep).toMatch(new RegExp(`^kernel/fs/isofs/isofs${ko}:`, 'm'));
      expect(dep).toMatch(
        new RegExp(`^kernel/drivers/scsi/sr_mod${ko}: .*kernel/drivers/cdrom/cdrom${ko}`, 'm'),
      );
    },
  );

  it('gives the same indexes on every build', async () => {
    const pkg = await kernelPackage(version);
    await tree.addPackage(pkg);
    await runScriptEffects(tree, [pkg], LEVITATE, [kernelModuleIndexEffect]);
    const first = await tree.readFile(`/usr/lib/modules/${version}/modules.dep.bin`);

    const other = newTree(join(temp.dir, 'other'));
    const again = await kernelPackage(version);
    await other.addPackage(again);
    await runScriptEffects(other, [again], LEVITATE, [kernelModuleIndexEffect]);
    expect(await other.readFile(`/usr/lib/modules/${version}/modules.dep.bin`)).toEqual(first);
  });

  it('does nothing without kernel modules', () => {
    expect(kernelModuleIndexEffect.applies({ tree, packages: [], spec: LEVITATE })).toBe(false);
  });
});
