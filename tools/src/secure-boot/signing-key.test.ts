import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { HOST_TOOLS } from '../core/host-tools.ts';
import { describeWithReference, hostTool, reference } from '../test-support/index.ts';
import { loadSigningKey } from './signing-key.ts';
import { makeTestCertificate } from './test-keys.support.ts';

const OPENSSL = reference('openssl and the ovmf test key', [
  hostTool('openssl'),
  hostTool('secureBootTestKey'),
  hostTool('secureBootTestCert'),
]);

let dir: string;
const at = (name: string) => join(dir, name);

function certificateFor(key: string, out: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-new',
      '-x509',
      '-key',
      key,
      '-sha256',
      '-days',
      '30',
      '-subj',
      '/CN=test/',
      '-out',
      out,
    ],
    { stdio: 'ignore' },
  );
}

async function refusal(source: { key: string; cert: string }): Promise<UserError> {
  const error = await loadSigningKey(source).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UserError))
    throw new Error(`not refused with a UserError: ${String(error)}`);
  return error;
}

describeWithReference(OPENSSL, 'loadSigningKey', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signing-key-'));
    makeTestCertificate(dir, 'db');
    makeTestCertificate(dir, 'other');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(at('ec.key'), ec.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    certificateFor(at('ec.key'), at('ec.crt'));
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await writeFile(at('small.key'), small.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    certificateFor(at('small.key'), at('small.crt'));
    await writeFile(at('garbage'), 'not a key\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a key and its certificate, with the issuer and serial a signature names', async () => {
    const key = await loadSigningKey({ key: at('db.key'), cert: at('db.crt') });
    expect(key.certificate.subject).toBe('CN=db');
    expect(key.certificate.issuer[0]).toBe(0x30);
    expect(key.certificate.serialNumber[0]).toBe(0x02);
    const serial = execFileSync('openssl', ['x509', '-in', at('db.crt'), '-noout', '-serial'], {
      encoding: 'utf8',
    });
    const hex = Buffer.from(key.certificate.serialNumber.subarray(2))
      .toString('hex')
      .replace(/^00/, '');
    expect(serial.trim().toLowerCase()).toBe(`serial=${hex}`);
  });

  it('refuses a certificate of another key, naming both files', async () => {
    const error = await refusal({ key: at('db.key'), cert: at('other.crt') });
    expect(error.code).toBe('secure-boot-key');
    expect(error.message).toContain(at('other.crt'));
    expect(error.message).toContain(at('db.key'));
  });

  it('refuses an encrypted key with the command that decrypts it (the ovmf test key)', async () => {
    const error = await refusal({
      key: HOST_TOOLS.secureBootTestKey.path,
      cert: HOST_TOOLS.secureBootTestCert.path,
    });
    expect(error.message).toMatch(/encrypted with a passphrase/);
    expect(error.hint).toContain('openssl pkey');
  });

  it.each([
    ['ec.key', 'ec.crt', /ec key; UEFI firmware verifies RSA keys/],
    ['small.key', 'small.crt', /rsa-1024 key/],
    ['garbage', 'db.crt', /not a PEM private key/],
    ['db.key', 'garbage', /not an X.509 certificate/],
    ['missing.key', 'db.crt', /cannot read the private key/],
  ])('refuses %s with %s', async (key, cert, message) => {
    const error = await refusal({ key: at(key), cert: at(cert) });
    expect(error.message).toMatch(message);
    expect(error.message).toContain(dir);
  });

  it('recognises a PKCS #11 URI and says it is not supported yet', async () => {
    const error = await refusal({ key: 'pkcs11:token=db;object=db', cert: at('db.crt') });
    expect(error.message).toMatch(/PKCS #11 token are not supported yet/);
  });
});
