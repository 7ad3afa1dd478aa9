import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findFirmware } from './firmware.ts';
import { hostDirectoryRoot } from './host-root.ts';

const VERSION = '6.12.0-55.el10.x86_64';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firmware-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, content = 'firmware bytes') {
  await mkdir(dirname(join(dir, path)), { recursive: true });
  await writeFile(join(dir, path), content);
}

describe('firmware for the initramfs modules', () => {
  it('finds each file as the kernel searches: updates first, compressed names too', async () => {
    await mkdir(join(dir, 'usr/lib'), { recursive: true });
    await symlink('usr/lib', join(dir, 'lib'));
    await put('usr/lib/firmware/rtl_nic/rtl8125b-2.fw.zst');
    await put('usr/lib/firmware/rtl_nic/rtl8125a-3.fw');
    await put('usr/lib/firmware/updates/rtl_nic/rtl8125a-3.fw.xz');
    await put(`usr/lib/firmware/${VERSION}/intel/ibt.sfi`);
    const found = await findFirmware(hostDirectoryRoot(dir), VERSION, [
      {
        name: 'r8169',
        firmware: ['rtl_nic/rtl8125b-2.fw', 'rtl_nic/rtl8125a-3.fw', 'rtl_nic/rtl8107e-2.fw'],
      },
      { name: 'btintel', firmware: ['intel/ibt.sfi'] },
    ]);
    expect(found).toEqual([
      {
        module: 'r8169',
        name: 'rtl_nic/rtl8125b-2.fw',
        path: '/lib/firmware/rtl_nic/rtl8125b-2.fw.zst',
      },
      {
        module: 'r8169',
        name: 'rtl_nic/rtl8125a-3.fw',
        path: '/lib/firmware/updates/rtl_nic/rtl8125a-3.fw.xz',
      },
      { module: 'r8169', name: 'rtl_nic/rtl8107e-2.fw', path: undefined },
      { module: 'btintel', name: 'intel/ibt.sfi', path: `/lib/firmware/${VERSION}/intel/ibt.sfi` },
    ]);
  });

  it('ignores a dangling link', async () => {
    await mkdir(join(dir, 'lib/firmware'), { recursive: true });
    await symlink('gone.bin', join(dir, 'lib/firmware/a.bin'));
    const found = await findFirmware(hostDirectoryRoot(dir), VERSION, [
      { name: 'm', firmware: ['a.bin'] },
    ]);
    expect(found).toEqual([{ module: 'm', name: 'a.bin', path: undefined }]);
  });
});
