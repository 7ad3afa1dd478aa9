/**
 * Verification against `rpm -K` (Debian's rpm 4.18, one run over every fixture) and the
 * signature policy, with the fixtures' own signatures (whose keys are not available) and with
 * packages signed here by rpmsign with a throw-away GnuPG key.
 *
 * Pinned differences: `rpm -K` does not decompress payloads, so it checks PAYLOADDIGESTALT
 * only when the payload is stored uncompressed; verifyRpm checks it always. rpm 4.18's OpenPGP parser does not know ECDSA, so `rpm -K` calls the
 * signature of rpm-basic-with-ecdsa "BAD"; here it reads as a valid ECDSA signature whose key
 * is not in the keyring, so the package passes without `requireSignature` and fails with it.
 * rpm 4.18 does not know the OPENPGP tag (278) either: v6 signatures are checked against the
 * key ids the rpm-rs test suite used, and against their own issuer fingerprints. Unlike rpm 6,
 * verifyRpm also checks RSAHEADER, DSAHEADER and the legacy tags beside OPENPGP (see verify.ts).
 */

import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { v6SignatureBody, v6SignaturePacket } from '../openpgp/testing/v6-signature.ts';
import { PackageVerifyError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { findPackages, withRpmDatabase } from './rpm-reference.ts';
import { SigTag } from './tags.ts';
import { buildRpm, cpioArchive, packageTags, strs } from './test-builder.ts';
import { ScratchPackages } from './test-scratch.ts';
import { verifyRpm } from './verify.ts';

const runner = createRunner();
/** rpm exits with the number of packages that failed. */
const ANY_FAILURES = Array.from({ length: 255 }, (_, index) => index + 1);
const root = fixture('rpm');
const packages = findPackages(root);

const REJECTED_BY_BOTH = [
  'synthetic/rpm-software-management_rpm/RPMS/hello-2.0-1.x86_64-corrupted.rpm',
  'synthetic/rpmlint/hello-2.0-1.x86_64-signed.rpm',
];
const ECDSA = 'synthetic/rpm-rs_rpm/RPMS/v4/signed/rpm-basic-with-ecdsa-2.3.4-5.el9.noarch.rpm';

const RPM_DIGESTS: Readonly<Record<string, string>> = {
  'Header SHA256 digest': 'header-sha256',
  'Header SHA1 digest': 'header-sha1',
  'Payload SHA256 digest': 'payload-sha256',
  'Payload SHA256 ALT digest': 'payload-sha256-uncompressed',
  'MD5 digest': 'header+payload-md5',
};

/** `rpm -Kv` over every fixture at once, lines grouped by file. */
async function rpmCheckAll(): Promise<Map<string, string[]>> {
  const result = await withRpmDatabase((dbpath) =>
    runner.run(['rpm', '-Kv', '--dbpath', dbpath, ...packages], { allowExitCodes: ANY_FAILURES }),
  );
  const byFile = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of result.stdout.split('\n')) {
    if (line.endsWith(':') && !line.startsWith(' ')) {
      current = [];
      byFile.set(relative(root, line.slice(0, -1)), current);
    } else if (line.trim() !== '') {
      current.push(line.trim());
    }
  }
  return byFile;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('accepted'),
    (error: Error) => error,
  );
}

describe('verifyRpm agrees with rpm -K', () => {
  it('on every fixture', async () => {
    const reference = await rpmCheckAll();
    expect(reference.size).toBe(packages.length);
    for (const file of packages) {
      const name = relative(root, file);
      const lines = reference.get(name) ?? [];
      const rpmRejects = lines.some((line) => line.includes(': BAD'));
      expect(rpmRejects, name).toBe(REJECTED_BY_BOTH.includes(name) || name === ECDSA);
      if (REJECTED_BY_BOTH.includes(name)) {
        const error = await rejection(verifyRpm(file, { requireSignature: false }));
        expect(error, name).toBeInstanceOf(PackageVerifyError);
        expect(error.message, name).toContain(file);
        continue;
      }
      const report = await verifyRpm(file, { requireSignature: false });
      for (const line of lines) {
        const digest = /^(.*): OK$/.exec(line)?.[1];
        if (digest !== undefined) {
          const check = report.digests.find((candidate) => candidate.name === RPM_DIGESTS[digest]);
          expect(check?.ok, `${name}: ${line}`).toBe(true);
        }
        const signature =
          /^(Header )?V(\d) (\w+)\/(\w+) Signature, key ID ([0-9a-f]{8}): NOKEY$/.exec(line);
        if (signature !== null) {
          const [, header, version, algorithm, hash, keyId] = signature;
          const covers = header === undefined ? 'header+payload' : 'header';
          const ours = report.signatures.find(
            (check) => check.signature.covers === covers && check.signature.tag !== 'openpgp',
          )?.signature;
          expect(ours?.keyId?.slice(-8).toLowerCase(), `${name}: ${line}`).toBe(keyId);
          expect(String(ours?.version), line).toBe(version);
          expect(`${ours?.publicKeyAlgorithm}/${ours?.hashAlgorithm}`, line).toBe(
            `${algorithm}/${hash}`.toLowerCase(),
          );
        }
      }
      // rpm -K does not decompress, so it checks PAYLOADDIGESTALT only for uncompressed payloads.
      const rpmChecked = new Set(lines.map((line) => RPM_DIGESTS[line.replace(/: OK$/, '')]));
      const onlyOurs = report.digests
        .map((check) => check.name)
        .filter((check) => Object.values(RPM_DIGESTS).includes(check) && !rpmChecked.has(check));
      expect(
        onlyOurs.filter((check) => check !== 'payload-sha256-uncompressed'),
        name,
      ).toEqual([]);
      expect(report.package, name).toMatch(/\.[a-z0-9_]+$/);
    }
  });

  it('rpm -qp refuses the badly signed packages unless told not to check, as verifyRpm does', async () => {
    const bad = [join(root, 'synthetic/rpmlint/hello-2.0-1.x86_64-signed.rpm'), join(root, ECDSA)];
    const result = await withRpmDatabase((dbpath) =>
      runner.run(['rpm', '-qp', '--dbpath', dbpath, ...bad], { allowExitCodes: ANY_FAILURES }),
    );
    expect(result.exitCode).toBe(2);
    for (const file of bad) expect(result.stderr).toContain(`${file}: not an rpm package`);
    const error = await rejection(verifyRpm(bad[0] ?? '', { requireSignature: false }));
    expect(error.message).toMatch(/rsa-header signature .*malformed/);
    await expect(verifyRpm(bad[1] ?? '', { requireSignature: false })).resolves.toBeDefined();
  });
});

describe('requireSignature', () => {
  it('names the package and the signer when no trusted key made a signature', async () => {
    const bcc = fixture('rpm', 'distro/bcc-lua-0.10.0-86.12.x86_64.rpm');
    const error = await rejection(verifyRpm(bcc, { requireSignature: true }));
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toContain('bcc-lua-0.10.0-86.12.x86_64');
    expect(error.message).toContain(bcc);
    expect(error.message).toContain('88EB5D66E2C0098C');
    const ecdsa = await rejection(verifyRpm(join(root, ECDSA), { requireSignature: true }));
    expect(ecdsa.message).toContain('105C3DB6D139A931');
  });

  it('says so for an unsigned package', async () => {
    const file = fixture(
      'rpm',
      'synthetic/rpm-software-management_rpm/RPMS/hello-2.0-1.x86_64.rpm',
    );
    await expect(verifyRpm(file, { requireSignature: true })).rejects.toThrow(/not signed/);
  });

  it('reads v6 OPENPGP signatures, several per package', async () => {
    const v6 = 'synthetic/rpm-rs_rpm/RPMS/v6/signed/';
    const multiple = await rejection(
      verifyRpm(fixture('rpm', `${v6}rpm-basic-multiple-signatures-2.3.4-5.el9.noarch.rpm`), {
        requireSignature: true,
      }),
    );
    expect(multiple.message).toContain(
      'key 715619AE2365D909: not in the keyring; key 12E1F31E46105918: not in the keyring',
    );
    const report = await verifyRpm(
      fixture('rpm', `${v6}rpm-basic-with-ed25519-2.3.4-5.el9.noarch.rpm`),
      {
        requireSignature: false,
      },
    );
    const [signature] = report.signatures;
    expect(signature?.status).toBe('no-key');
    expect(signature?.signature).toMatchObject({
      tag: 'openpgp',
      version: 6,
      publicKeyAlgorithm: 'ed25519',
    });
    expect(signature?.signature.fingerprint?.startsWith(signature.signature.keyId ?? '-')).toBe(
      true,
    );
    expect(report.digests.map((check) => check.name)).toContain('payload-sha3-256-uncompressed');
  });

  it("reads RSAHEADER next to OPENPGP, listing rpm 6's copy of an OPENPGP signature once", async () => {
    const file = fixture(
      'rpm',
      'synthetic/createrepo_c/packages/empty-signed-v6-multiple-0-0.x86_64.rpm',
    );
    const report = await verifyRpm(file, { requireSignature: false });
    expect(report.signatures.map((check) => [check.signature.tag, check.status])).toEqual([
      ['openpgp', 'no-key'],
      ['openpgp', 'no-key'],
      ['rsa-header', 'ignored'],
      ['pgp', 'no-key'],
    ]);
    expect(report.signatures[2]?.detail).toBe('a copy of OPENPGP signature 1');
  });
});

describe('OPENPGP values these tools cannot check', () => {
  const scratch = new ScratchPackages();
  beforeAll(() => scratch.open('leviso-rpm-openpgp-'));
  afterAll(() => scratch.close());

  const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  const withOpenpgp = (...values: string[]): Promise<string> =>
    scratch.write(
      buildRpm({
        header: packageTags([]),
        payload: cpioArchive(),
        signature: [[SigTag.OPENPGP, strs(...values)]],
      }),
    );

  it('pass without requireSignature and are named when a trusted signature is required', async () => {
    const unknownVersion = Buffer.from(v6SignatureBody());
    unknownVersion[0] = 5;
    const packet = Buffer.concat([Buffer.from([0xc2, 0xff, 0, 0, 0, 0]), unknownVersion]);
    packet.writeUInt32BE(unknownVersion.length, 2);
    const file = await withOpenpgp(
      base64(v6SignaturePacket()),
      base64(v6SignaturePacket({ publicKeyAlgorithmId: 99, signatureBytes: 40 })),
      base64(packet),
    );
    const report = await verifyRpm(file, { requireSignature: false });
    expect(report.signatures.map((check) => check.status)).toEqual([
      'unsupported',
      'unsupported',
      'unsupported',
    ]);
    const error = await rejection(verifyRpm(file, { requireSignature: true }));
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toContain(file);
    expect(error.message).toContain('ML-DSA-87+Ed448 (algorithm 31)');
    expect(error.message).toContain('unknown public-key algorithm 99');
    expect(error.message).toContain('version 5 signatures are not supported');
  });

  it('fail the package when they are broken, or not base64', async () => {
    const broken = await withOpenpgp(base64(v6SignaturePacket({ saltLength: 16 })));
    const error = await rejection(verifyRpm(broken, { requireSignature: false }));
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(/openpgp signature is malformed: .*salt is 16 bytes, not 32/);
    const garbled = await withOpenpgp('not base64!');
    await expect(verifyRpm(garbled, { requireSignature: false })).rejects.toThrow(
      /OPENPGP signature 1: the value is not base64/,
    );
  });
});
