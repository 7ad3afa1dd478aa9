/**
 * Signatures that do verify: a fixture is signed here with rpmsign and a throw-away Ed25519
 * GnuPG key (header signature, and with --rpmv3 also the legacy header+payload one), and
 * verifyRpm must accept exactly what `rpm -K` accepts once that key is imported, and refuse
 * what it refuses. Needs gpg and rpmsign (see RPMSIGN).
 *
 * Packages laid out as RHEL 10.1 signs them are assembled from that signature: OPENPGP holding
 * it and an ML-DSA-87+Ed448 signature (well-formed, with stand-in bytes, since nothing here can
 * make or check one), and DSAHEADER holding the same v4 signature for rpm 4. The host's rpm 4.18
 * does not know OPENPGP, so it is the reference for the v4 part only.
 */

import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { createKeyring, readPublicKeys, type Keyring } from '../openpgp/index.ts';
import { PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { hostTool, reference } from '../test-support/reference.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { v6SignaturePacket } from '../openpgp/testing/v6-signature.ts';
import { readRpmHeaders } from './package-headers.ts';
import { SigTag } from './tags.ts';
import { assembleRpm, bin, buildHeader, sha256, str, strs, type TagSpec } from './test-builder.ts';
import { verifyRpm } from './verify.ts';

const runner = createRunner();
const RPMSIGN = reference('rpmsign and rpm -K, with GnuPG to make the key', [
  hostTool('gpg'),
  hostTool('rpmsign'),
  hostTool('rpmkeys'),
]);
const SOURCE = fixture('rpm', 'synthetic/rpm-software-management_rpm/RPMS/hello-2.0-1.x86_64.rpm');

let work = '';
const keyring: Record<'signer' | 'other', Keyring> = {} as Record<'signer' | 'other', Keyring>;
let signerId = '';

async function gpg(home: string, ...args: string[]) {
  return runner.run(['gpg', '--batch', '--homedir', home, ...args]);
}

async function newKey(name: string): Promise<string> {
  const home = join(work, name);
  await mkdir(home, { mode: 0o700 });
  await gpg(
    home,
    '--passphrase',
    '',
    '--quick-gen-key',
    `${name} <${name}@example.invalid>`,
    'ed25519',
    'sign',
    'never',
  );
  await writeFile(join(work, `${name}.asc`), (await gpg(home, '--armor', '--export')).stdout);
  return home;
}

async function sign(home: string, name: string, legacy: boolean): Promise<string> {
  const file = join(work, `${name}.rpm`);
  await copyFile(SOURCE, file);
  const macros = [
    '--define',
    `_gpg_path ${home}`,
    '--define',
    '_gpg_name signer',
    '--define',
    '__gpg /usr/bin/gpg',
  ];
  await runner.run(['rpmsign', ...macros, '--addsign', ...(legacy ? ['--rpmv3'] : []), file]);
  return file;
}

/** `rpm -K` with only `key` imported into a scratch database; true when rpm accepts. */
async function rpmAccepts(
  file: string,
  key: 'signer' | 'other',
): Promise<{ ok: boolean; output: string }> {
  const dbpath = await mkdtemp(join(work, 'db-'));
  await runner.run(['rpmkeys', '--dbpath', dbpath, '--import', join(work, `${key}.asc`)]);
  const result = await runner.run(['rpm', '-Kv', '--dbpath', dbpath, file], {
    allowExitCodes: [1],
  });
  return { ok: result.exitCode === 0, output: result.stdout };
}

const signed: Record<string, string> = {};

beforeAll(async () => {
  if (!RPMSIGN.available) return;
  work = await mkdtemp(join(tmpdir(), 'leviso-rpm-sign-'));
  const signerHome = await newKey('signer');
  await newKey('other');
  for (const name of ['signer', 'other'] as const) {
    keyring[name] = createKeyring(readPublicKeys(await readFile(join(work, `${name}.asc`))));
  }
  signerId = keyring.signer.keys[0]?.keyId ?? '';
  signed.header = await sign(signerHome, 'header-only', false);
  signed.legacy = await sign(signerHome, 'with-legacy', true);
  for (const name of ['signer', 'other']) {
    await runner.run(['gpgconf', '--homedir', join(work, name), '--kill', 'gpg-agent']);
  }
}, 60_000);

afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true });
});

describeWithReference(RPMSIGN, 'packages signed with rpmsign', () => {
  it('verify with the signing key, like rpm -K', async () => {
    for (const file of [signed.header ?? '', signed.legacy ?? '']) {
      expect((await rpmAccepts(file, 'signer')).ok).toBe(true);
      const report = await verifyRpm(file, { keyring: keyring.signer, requireSignature: true });
      const verified = report.signatures.filter((check) => check.status === 'verified');
      expect(verified.length).toBe(file === signed.legacy ? 2 : 1);
      expect(verified[0]?.signer?.keyId).toBe(signerId);
    }
    const legacy = await verifyRpm(signed.legacy ?? '', {
      keyring: keyring.signer,
      requireSignature: true,
    });
    expect(legacy.signatures.map((check) => [check.signature.tag, check.signature.covers])).toEqual(
      [
        ['dsa-header', 'header'],
        ['gpg', 'header+payload'],
      ],
    );
  });

  it('are refused without the signing key, naming it, like rpm -K', async () => {
    const file = signed.legacy ?? '';
    const rpm = await rpmAccepts(file, 'other');
    expect(rpm.ok).toBe(false);
    expect(rpm.output).toContain(`key ID ${signerId.slice(-8).toLowerCase()}: NOKEY`);
    const error = await verifyRpm(file, { keyring: keyring.other, requireSignature: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect((error as Error).message).toContain(`key ${signerId}`);
    expect((error as Error).message).toContain('hello-2.0-1.x86_64');
    await expect(
      verifyRpm(file, { keyring: keyring.other, requireSignature: false }),
    ).resolves.toBeDefined();
  });

  it('are refused once the header changes, like rpm -K', async () => {
    // Keep only the header signature, so that no digest stops verification before it.
    const headers = await readRpmHeaders(signed.header ?? '');
    const signature = headers.signature.binary(SigTag.DSA) ?? new Uint8Array();
    const header = Buffer.from(headers.header.bytes);
    const at = header.indexOf('hello');
    header[at] = 'j'.charCodeAt(0);
    const payload = (await readFile(SOURCE)).subarray(headers.layout.payload.offset);
    const file = join(work, 'tampered.rpm');
    await writeFile(
      file,
      assembleRpm(buildHeader([[SigTag.DSA, bin(signature)]], 62), header, payload),
    );
    const rpm = await rpmAccepts(file, 'signer');
    expect(rpm.ok).toBe(false);
    expect(rpm.output).toMatch(/Signature, key ID [0-9a-f]{8}: BAD/);
    const error = await verifyRpm(file, { keyring: keyring.signer, requireSignature: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect((error as Error).message).toMatch(/dsa-header signature .* is bad-signature/);
    expect((error as Error).message).toContain(file);
  });
});

describeWithReference(RPMSIGN, 'packages with a post-quantum signature beside the v4 one', () => {
  const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  const pqc = v6SignaturePacket({ seed: 'rhel' });

  /** The rpmsign'd package with another signature header, and optionally another main header. */
  async function repackage(
    name: string,
    signature: (v4: Uint8Array, header: Uint8Array) => TagSpec[],
    changeHeader?: (header: Buffer) => void,
  ): Promise<string> {
    const headers = await readRpmHeaders(signed.header ?? '');
    const v4 = headers.signature.binary(SigTag.DSA) ?? new Uint8Array();
    const header = Buffer.from(headers.header.bytes);
    changeHeader?.(header);
    const payload = (await readFile(signed.header ?? '')).subarray(headers.layout.payload.offset);
    const file = join(work, `${name}.rpm`);
    await writeFile(file, assembleRpm(buildHeader(signature(v4, header), 62), header, payload));
    return file;
  }

  const rhelLayout = (v4: Uint8Array, header: Uint8Array): TagSpec[] => [
    [SigTag.DSA, bin(v4)],
    [SigTag.SHA256, str(sha256(header))],
    [SigTag.OPENPGP, strs(base64(v4), base64(pqc))],
  ];

  it('verify by the v4 signature, passing over the one these tools cannot check', async () => {
    const file = await repackage('rhel-layout', rhelLayout);
    expect((await rpmAccepts(file, 'signer')).ok).toBe(true);
    const report = await verifyRpm(file, { keyring: keyring.signer, requireSignature: true });
    expect(
      report.signatures.map((check) => [check.signature.tag, check.status, check.detail ?? '']),
    ).toEqual([
      ['openpgp', 'verified', ''],
      [
        'openpgp',
        'unsupported',
        'ML-DSA-87+Ed448 (algorithm 31) is not a signature algorithm these tools can check',
      ],
      ['dsa-header', 'ignored', 'a copy of OPENPGP signature 1'],
    ]);
    expect(report.signatures[0]?.signer?.keyId).toBe(signerId);
    expect(report.signatures[1]?.signature).toMatchObject({
      version: 6,
      algorithm: 'ML-DSA-87+Ed448 (algorithm 31)',
    });
  });

  it('verify when only the legacy tag holds the v4 signature, as rpm 4 does', async () => {
    const file = await repackage('legacy-v4', (v4, header) => [
      [SigTag.DSA, bin(v4)],
      [SigTag.SHA256, str(sha256(header))],
      [SigTag.OPENPGP, strs(base64(pqc))],
    ]);
    expect((await rpmAccepts(file, 'signer')).ok).toBe(true);
    const report = await verifyRpm(file, { keyring: keyring.signer, requireSignature: true });
    expect(report.signatures.map((check) => check.status)).toEqual(['unsupported', 'verified']);
  });

  it('are refused with only the post-quantum signature, naming its algorithm and the file', async () => {
    const file = await repackage('pqc-only', (_, header) => [
      [SigTag.SHA256, str(sha256(header))],
      [SigTag.OPENPGP, strs(base64(pqc))],
    ]);
    const error = await verifyRpm(file, { keyring: keyring.signer, requireSignature: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PackageVerifyError);
    const { message } = error as Error;
    expect(message).toContain(file);
    expect(message).toContain('hello-2.0-1.x86_64');
    expect(message).toContain('no signature made by a trusted key');
    expect(message).toContain('ML-DSA-87+Ed448 (algorithm 31)');
    const report = await verifyRpm(file, { keyring: keyring.signer, requireSignature: false });
    expect(report.signatures.map((check) => check.status)).toEqual(['unsupported']);
  });

  it('are refused when the v4 signature is bad, whatever else is there, like rpm -K', async () => {
    // No digest in the signature header, so that the signatures are what stops verification.
    const file = await repackage(
      'bad-v4',
      (v4) => [
        [SigTag.DSA, bin(v4)],
        [SigTag.OPENPGP, strs(base64(v4), base64(pqc))],
      ],
      (header) => {
        header[header.indexOf('hello')] = 'j'.charCodeAt(0);
      },
    );
    const rpm = await rpmAccepts(file, 'signer');
    expect(rpm.ok).toBe(false);
    expect(rpm.output).toMatch(/Signature, key ID [0-9a-f]{8}: BAD/);
    for (const requireSignature of [true, false]) {
      const error = await verifyRpm(file, { keyring: keyring.signer, requireSignature }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PackageVerifyError);
      expect((error as Error).message).toMatch(/openpgp signature .* is bad-signature/);
      expect((error as Error).message).toContain(file);
    }
  });
});
