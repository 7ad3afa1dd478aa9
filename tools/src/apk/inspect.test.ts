import { describe, expect, it } from 'vitest';
import { fixture } from '../test-support/fixtures.ts';
import { inspectApk, loadApkKeys, measureApkExtraction } from './index.ts';

describe('inspectApk', () => {
  it('describes a package as stable JSON with its entries sorted by path', async () => {
    const file = fixture('apk', 'alpine', 'test_alpine.apk');
    const first = await inspectApk(file);
    expect(JSON.stringify(await inspectApk(file))).toBe(JSON.stringify(first));
    expect(first).toEqual({
      package: {
        name: 'apache2-ctl',
        version: '2.4.43-r0',
        arch: 'x86_64',
        description: 'Apache control script',
        url: 'https://httpd.apache.org/',
        license: 'Apache-2.0',
        origin: 'apache2',
        commit: 'd6095f7dc165058ba032d27622224dc4ed2a78cc',
        maintainer: 'Kaarle Ritvanen <kaarle.ritvanen@datakunkku.fi>',
        packager: 'Buildozer <alpine-devel@lists.alpinelinux.org>',
        buildDate: 1_585_768_977,
        installedSize: 16_384,
        depends: ['lynx'],
        provides: ['cmd:apachectl'],
        installIf: [],
        replaces: [],
        triggers: [],
        pkginfo: expect.objectContaining({ pkgname: ['apache2-ctl'], depend: ['lynx'] }) as unknown,
        signatures: ['alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub'],
        signer: 'alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub',
        verified: false,
        controlHash: 'Q1MMRN4Hsck311jEm7UhXLcpcMVyg=',
        datahash: '57eeeb3d7f989848d7021487fe831384a14c5cddd3a39a5d1722c685a2615e36',
      },
      scripts: [],
      entries: [
        {
          path: '/usr',
          type: 'directory',
          mode: 0o755,
          user: 'root',
          group: 'root',
          uid: 0,
          gid: 0,
          size: 0,
          mtime: 1_585_768_977,
          flags: [],
        },
        {
          path: '/usr/sbin',
          type: 'directory',
          mode: 0o755,
          user: 'root',
          group: 'root',
          uid: 0,
          gid: 0,
          size: 0,
          mtime: 1_585_768_977,
          flags: [],
        },
        {
          path: '/usr/sbin/apachectl',
          type: 'file',
          mode: 0o755,
          user: 'root',
          group: 'root',
          uid: 0,
          gid: 0,
          size: 3398,
          mtime: 1_585_768_891,
          digest: { algorithm: 'sha1', hex: 'b42514402b5c10c076c18b0100c0ca2449684cf7' },
          flags: [],
        },
      ],
    });
  });

  it('reports a verified signer when given trusted keys', async () => {
    const keys = await loadApkKeys(fixture('keys', 'alpine'));
    const result = await inspectApk(fixture('apk', 'alpine', 'test_alpine.apk'), {
      keys,
      requireSignature: true,
    });
    expect(result.package.verified).toBe(true);
  });

  it('sorts entries by path', async () => {
    const { entries } = await inspectApk(
      fixture('apk', 'alpine', 'alpine-baselayout-3.2.0-r23.apk'),
    );
    const paths = entries.map((e) => e.path);
    expect(paths).toEqual([...paths].sort());
    expect(entries.find((e) => e.path === '/var/run')).toMatchObject({
      type: 'symlink',
      linkTarget: '/run',
    });
  });
});

describe('measureApkExtraction', () => {
  it('counts entries and content bytes', async () => {
    const result = await measureApkExtraction(
      fixture('apk', 'synthetic', 'apko', 'tzdata-2023c-r0.apk'),
    );
    expect(result.entries).toBe(1248);
    expect(result.bytes).toBeGreaterThan(1_000_000);
  });
});
