import { describe, expect, it } from 'vitest';
import { formatIndexRecord } from './control-text.ts';
import { alpineVersionOf, libraryPackageName } from './debian-version.ts';
import { listField, parseInstalledDb } from './installed-db.ts';
import { parseLdd } from '../debian/library-closure.ts';
import { NO_RELATIONS } from './package-spec.ts';
import { generateSigningKey, privateKeyPem, signingKeyFromPem } from './signing-key.ts';
import { paxRecords } from './tar-writer.ts';

describe('alpineVersionOf', () => {
  it.each([
    ['6.1.192-2', '6.1.192-r2'],
    ['1:3.9.0-4', '3.9.0-r4'],
    ['0.45.2-2+deb12u1', '0.45.2-r2'],
    ['2.4+really2.3-3', '2.3-r3'],
    ['9.65+ds-1', '9.65-r1'],
    ['30+20221128-1', '30-r1'],
    ['1.0', '1.0-r0'],
  ])('turns Debian %s into %s', (debian, alpine) => {
    expect(alpineVersionOf(debian)).toBe(alpine);
  });

  it('names library packages without their soname versions', () => {
    expect(libraryPackageName('libsgutils2-1.46-2')).toBe('debian-libsgutils2');
    expect(libraryPackageName('libstdc++6')).toBe('debian-libstdc++6');
  });
});

describe('parseInstalledDb', () => {
  it('reads records, directory and file owners and checksums', () => {
    const [pkg, other] = parseInstalledDb(
      [
        'C:Q1abc=',
        'P:busybox',
        'V:1.36.1-r29',
        'D:so:libc.musl-x86_64.so.1 /bin/sh',
        'F:bin',
        'R:busybox',
        'a:0:0:755',
        'Z:Q1yruMWf/xR4E7SrT+sI2840hEWQk=',
        'F:tmp',
        'M:0:0:1777',
        '',
        'P:zlib',
        '',
      ].join('\n'),
    );
    expect(pkg?.directories).toEqual([
      { path: 'bin' },
      { path: 'tmp', owner: { uid: 0, gid: 0, mode: 0o1777 } },
    ]);
    expect(pkg?.files).toEqual([
      {
        path: 'bin/busybox',
        owner: { uid: 0, gid: 0, mode: 0o755 },
        checksum: 'Q1yruMWf/xR4E7SrT+sI2840hEWQk=',
      },
    ]);
    expect(pkg && listField(pkg, 'D')).toEqual(['so:libc.musl-x86_64.so.1', '/bin/sh']);
    expect(other?.fields.get('P')).toBe('zlib');
  });
});

describe('parseLdd', () => {
  it('collects libraries and the loader of several programs, skipping the vDSO', () => {
    const stdout = [
      '/x/sbin/openrc:',
      '\tlinux-vdso.so.1 (0x00007ffd)',
      '\tlibrc.so.1 => /cache/librc1/lib/x86_64-linux-gnu/librc.so.1 (0x00007f2b)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2a)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f2c)',
      '/x/sbin/static:',
      '\tstatically linked',
      '',
    ].join('\n');
    expect(parseLdd(stdout, ['/x/sbin/openrc', '/x/sbin/static'])).toEqual([
      { soname: 'librc.so.1', hostPath: '/cache/librc1/lib/x86_64-linux-gnu/librc.so.1' },
      { soname: 'libc.so.6', hostPath: '/lib/x86_64-linux-gnu/libc.so.6' },
      { soname: '/lib64/ld-linux-x86-64.so.2', hostPath: '/lib64/ld-linux-x86-64.so.2' },
    ]);
  });

  it('refuses a program whose library nothing provides', () => {
    expect(() => parseLdd('\tlibnope.so.1 => not found\n', ['/x/bin/tool'])).toThrow(
      '/x/bin/tool needs libnope.so.1',
    );
  });
});

describe('index records and pax records', () => {
  it('writes APKINDEX fields in the order apk index does', () => {
    const spec = {
      ...NO_RELATIONS,
      name: 'openrc',
      version: '0.45.2-r2',
      arch: 'x86_64',
      description: 'OpenRC',
      url: 'https://github.com/OpenRC/openrc',
      license: 'BSD-2-Clause',
      origin: 'openrc',
      buildDate: 1,
      depends: ['debian-libc6', 'debian-librc1'],
      entries: [],
    };
    const record = formatIndexRecord({
      spec,
      fileName: 'openrc-0.45.2-r2.apk',
      fileSize: 10,
      installedSize: 4096,
      controlHash: 'Q1xyz=',
      datahash: '00',
    });
    expect(record).toBe(
      'C:Q1xyz=\nP:openrc\nV:0.45.2-r2\nA:x86_64\nS:10\nI:4096\nT:OpenRC\n' +
        'U:https://github.com/OpenRC/openrc\nL:BSD-2-Clause\no:openrc\nt:1\n' +
        'D:debian-libc6 debian-librc1\n\n',
    );
  });

  it('counts the length digits of each pax record in the record', () => {
    const records = new TextDecoder().decode(paxRecords({ path: 'a'.repeat(91), x: 'y' }));
    expect(records).toBe(`101 path=${'a'.repeat(91)}\n6 x=y\n`);
  });
});

describe('signing keys', () => {
  it('round-trip through PEM with the same key name', () => {
    const key = generateSigningKey();
    const again = signingKeyFromPem(privateKeyPem(key));
    expect(again.keyName).toBe(key.keyName);
    expect(again.scheme).toBe('RSA256');
    expect(key.keyName).toMatch(/^acorn-fixture-[0-9a-f]{8}\.rsa\.pub$/);
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });
});
