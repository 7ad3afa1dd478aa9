import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadApkKeys,
  readApkPackage,
  splitGzipMembers,
  streamApkEntries,
} from '@levitate/tools/apk';
import { writeApkPackage } from './apk-writer.ts';
import { NO_RELATIONS, parentDirectories, rootOwned } from './package-spec.ts';
import type { ApkEntry, ApkPackageSpec } from './package-spec.ts';
import { generateSigningKey } from './signing-key.ts';
import type { ApkSigningKey } from './signing-key.ts';
import { TAR_END_OF_ARCHIVE, tarMember } from './tar-writer.ts';
import { FIXTURE_EPOCH } from './control-text.ts';
import {
  alpineChrootReference,
  describeWithReference,
  hostRunner,
  useAlpineChroot,
} from '@levitate/tools/test-support';

const APK = alpineChrootReference("Alpine's apk 2.14");

const encoder = new TextEncoder();
const LONG_DIR = `/usr/share/${'d'.repeat(120)}`;
const LONGEST = `${LONG_DIR}/${'f'.repeat(140)}`;

const FILES: ApkEntry[] = [
  rootOwned({
    type: 'file',
    path: '/usr/bin/hello',
    mode: 0o755,
    content: encoder.encode('#!/bin/sh\necho hello\n'),
  }),
  rootOwned({ type: 'symlink', path: '/usr/bin/hi', mode: 0o777, target: 'hello' }),
  rootOwned({ type: 'file', path: LONGEST, mode: 0o644, content: encoder.encode('far away\n') }),
  {
    type: 'file',
    path: '/etc/hello.conf',
    mode: 0o640,
    uid: 0,
    gid: 42,
    user: 'root',
    group: 'shadow',
    content: encoder.encode('x=1\n'),
  },
];

const SPEC: ApkPackageSpec = {
  ...NO_RELATIONS,
  name: 'hello',
  version: '1.0-r0',
  arch: 'x86_64',
  description: 'Says hello',
  url: 'https://example.invalid/hello',
  license: 'MIT',
  origin: 'hello',
  depends: ['/bin/sh'],
  provides: ['cmd:hello=1.0-r0'],
  scripts: [{ phase: 'post-install', body: '#!/bin/sh\necho installed\n' }],
  entries: [...FILES, ...parentDirectories(FILES)],
};

let work: string;
const keys: Record<'RSA' | 'RSA256' | 'other', ApkSigningKey> = {
  RSA: generateSigningKey('RSA'),
  RSA256: generateSigningKey('RSA256'),
  other: generateSigningKey('RSA256'),
};

async function build(key: ApkSigningKey, name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, key.keyName), key.publicKeyPem);
  return join(dir, (await writeApkPackage(SPEC, key, dir)).fileName);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'apk-writer-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('writeApkPackage', () => {
  it('writes three gzip members that differ between keys only in the signature', async () => {
    const a = new Uint8Array(await readFile(await build(keys.RSA256, 'a')));
    const b = new Uint8Array(await readFile(await build(keys.other, 'b')));
    const [sigA, controlA, dataA] = splitGzipMembers(a);
    const [sigB, controlB, dataB] = splitGzipMembers(b);
    expect(splitGzipMembers(a)).toHaveLength(3);
    expect(a.subarray(sigA?.end)).toEqual(b.subarray(sigB?.end));
    expect(a.subarray(0, sigA?.end)).not.toEqual(b.subarray(0, sigB?.end));
    expect(a.subarray(controlA?.start, controlA?.end)).toEqual(
      b.subarray(controlB?.start, controlB?.end),
    );
    expect(a.subarray(dataA?.start)).toEqual(b.subarray(dataB?.start));
    // No file name and no timestamp in any gzip header.
    for (const member of [sigA, controlA, dataA]) {
      expect(a.subarray(member?.start, (member?.start ?? 0) + 8)).toEqual(
        Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]),
      );
    }
  });

  it('is read back and verified by the project reader, entries and owners intact', async () => {
    const file = await build(keys.RSA, 'reader');
    const options = { keys: await loadApkKeys(join(work, 'reader')), requireSignature: true };
    const pkg = await readApkPackage(file, options);
    expect(pkg.signer).toBe(keys.RSA.keyName);
    expect(pkg.info).toMatchObject({ name: 'hello', version: '1.0-r0', depends: ['/bin/sh'] });
    expect(pkg.scripts.map((script) => script.phase)).toEqual(['post-install']);
    const entries = new Map<string, { type: string; mode: number; group: string; size: number }>();
    for await (const { entry } of streamApkEntries(file, options)) entries.set(entry.path, entry);
    expect(entries.get(LONGEST)).toMatchObject({ type: 'file', size: 9 });
    expect(entries.get('/usr/bin/hi')).toMatchObject({ type: 'symlink' });
    expect(entries.get('/etc/hello.conf')).toMatchObject({ mode: 0o640, group: 'shadow' });
    expect(entries.get(LONG_DIR)).toMatchObject({ type: 'directory' });
  });

  it('writes .PKGINFO with the datahash of the data member', async () => {
    const file = await build(keys.RSA256, 'pkginfo');
    const pkg = await readApkPackage(file, {
      keys: await loadApkKeys(join(work, 'pkginfo')),
      requireSignature: true,
    });
    expect(pkg.info.datahash).toBe(pkg.datahash);
    expect(pkg.info.fields).toMatchObject({
      pkgname: ['hello'],
      pkgver: ['1.0-r0'],
      arch: ['x86_64'],
      builddate: [String(FIXTURE_EPOCH)],
      depend: ['/bin/sh'],
      provides: ['cmd:hello=1.0-r0'],
      datahash: [pkg.datahash],
    });
  });
});

describe('tar members', () => {
  it('are listed by GNU tar with ustar prefixes, pax paths, owners and modes', async () => {
    const member = (name: string, mode: number) =>
      tarMember(
        {
          name,
          type: 'file',
          mode,
          uid: 0,
          gid: 42,
          uname: 'root',
          gname: 'shadow',
          size: 2,
          mtime: FIXTURE_EPOCH,
        },
        encoder.encode('hi'),
      );
    const tar = join(work, 'members.tar');
    await writeFile(
      tar,
      Buffer.concat([
        member(LONG_DIR.slice(1) + '/x', 0o640),
        member(LONGEST.slice(1), 0o4755),
        TAR_END_OF_ARCHIVE,
      ]),
    );
    const { stdout } = await hostRunner.run(['tar', '-tvf', tar, '--numeric-owner']);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^-rw-r----- 0/42 +2 2024-09-06 00:00 ${LONG_DIR.slice(1)}/x$`),
    );
    expect(lines[1]).toMatch(
      new RegExp(`^-rwsr-xr-x 0/42 +2 2024-09-06 00:00 ${LONGEST.slice(1)}$`),
    );
  });
});

describeWithReference(APK, "Alpine's apk verify", () => {
  const alpine = useAlpineChroot();

  async function verify(key: ApkSigningKey, trust: ApkSigningKey | undefined) {
    const file = await build(key, `verify-${key.scheme}-${trust?.keyName ?? 'none'}`);
    await hostRunner.run(['cp', file, alpine().host('/tmp/hello.apk')]);
    const keysDir = alpine().host('/tmp/keys');
    await rm(keysDir, { recursive: true, force: true });
    await mkdir(keysDir);
    if (trust !== undefined) await writeFile(join(keysDir, trust.keyName), trust.publicKeyPem);
    return alpine().apk(['verify', '--keys-dir', '/tmp/keys', '/tmp/hello.apk']);
  }

  it.each(['RSA', 'RSA256'] as const)(
    'accepts .SIGN.%s signatures from the trusted key',
    async (scheme) => {
      const result = await verify(keys[scheme], keys[scheme]);
      expect(result.stdout).toContain('/tmp/hello.apk: 0 - OK');
      expect(result.exitCode).toBe(0);
    },
  );

  it('calls a package untrusted without its key', async () => {
    const result = await verify(keys.RSA256, keys.other);
    expect(result.stdout).toContain('UNTRUSTED');
    expect(result.exitCode).not.toBe(0);
  });
});
