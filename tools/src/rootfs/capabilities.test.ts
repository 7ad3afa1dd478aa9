import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFileCapabilities } from '../apk/index.ts';
import { CapabilityTextError, encodeFileCapabilities } from './capabilities.ts';
import { asRoot, hostProgram, reference } from '../test-support/reference.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { makeTempDir, runner } from './rootfs.support.ts';

const SETCAP = reference('setcap of libcap, as root, with python3 to read the xattr back', [
  asRoot(),
  hostProgram('/usr/sbin/setcap', 'libcap2-bin'),
  hostProgram('/usr/bin/python3', 'python3'),
]);

const hex = (value: Uint8Array | undefined) =>
  Buffer.from(value ?? new Uint8Array()).toString('hex');

describe('encodeFileCapabilities', () => {
  it('writes vfs_cap_data revision 2, little endian, with the effective flag', () => {
    // What setcap cap_net_raw=ep stores: magic 0x02000001, permitted bit 13.
    expect(hex(encodeFileCapabilities('cap_net_raw=ep'))).toBe(
      '0100000200200000000000000000000000000000',
    );
    expect(hex(encodeFileCapabilities('cap_net_bind_service=p'))).toBe(
      '0000000200040000000000000000000000000000',
    );
  });

  it('reads the forms getcap and rpm write, and round-trips through the APK decoder', () => {
    const cases: [string, string][] = [
      ['cap_net_raw=ep', 'cap_net_raw=ep'],
      ['= cap_net_raw+ep', 'cap_net_raw=ep'],
      ['cap_net_admin,cap_net_raw+ep', 'cap_net_admin,cap_net_raw=ep'],
      ['CAP_SYS_ADMIN=eip', 'cap_sys_admin=eip'],
      ['cap_perfmon,cap_bpf=ep', 'cap_perfmon,cap_bpf=ep'],
      ['cap_chown=ip', 'cap_chown=ip'],
      ['cap_setuid,cap_setgid=p cap_setgid-p', 'cap_setuid=p'],
      ['13=ep', 'cap_net_raw=ep'],
    ];
    for (const [input, decoded] of cases) {
      expect(decodeFileCapabilities(encodeFileCapabilities(input) as Uint8Array), input).toBe(
        decoded,
      );
    }
  });

  it('grants nothing for empty sets and refuses what a file cannot carry', () => {
    expect(encodeFileCapabilities('=')).toBeUndefined();
    expect(encodeFileCapabilities('cap_kill=ep cap_kill-eip')).toBeUndefined();
    for (const bad of [
      'cap_flying=ep',
      'net_raw=ep',
      '+ep',
      'cap_chown=p cap_kill=ep',
      'cap_64=p',
      'cap_kill=x',
    ]) {
      expect(() => encodeFileCapabilities(bad), bad).toThrow(CapabilityTextError);
    }
  });
});

describeWithReference(SETCAP, 'encodeFileCapabilities against libcap (root only)', () => {
  it('stores the same bytes as setcap', async () => {
    const temp = makeTempDir('setcap');
    try {
      const file = join(temp.dir, 'probe');
      writeFileSync(file, '');
      const texts = [
        'cap_net_raw=ep',
        'cap_net_admin,cap_net_raw+ep',
        'cap_perfmon=eip',
        'cap_chown=i',
        'cap_sys_admin,cap_bpf=p',
      ];
      for (const text of texts) {
        await runner.run(['setcap', text, file]);
        const read = `import os,sys;print(os.getxattr(sys.argv[1],'security.capability').hex())`;
        const { stdout } = await runner.run(['python3', '-c', read, file]);
        expect(hex(encodeFileCapabilities(text)), text).toBe(stdout.trim());
      }
    } finally {
      temp.cleanup();
    }
  });
});
