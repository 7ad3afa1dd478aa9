import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UserError } from '../core/errors.ts';
import { createRunner } from '../core/run.ts';
import { describeWithReference, hostTool, reference } from '../test-support/index.ts';
import { makeSecureBootKeys } from './sb-keys.ts';
import type { SecureBootKeys } from './sb-keys.ts';
import { loadSigningKey } from './signing-key.ts';

const TOOLS = reference('openssl and efitools', [
  hostTool('openssl'),
  hostTool('certToEfiSigList'),
  hostTool('signEfiSigList'),
]);

/** EFI_CERT_TYPE_PKCS7_GUID, which every time-based authenticated variable update carries. */
const PKCS7_GUID = Buffer.from('9dd2af4adf68ee498aa9347d375665a7', 'hex');
const WIN_CERT_TYPE_EFI_GUID = 0x0ef1;

let dir: string;
let keys: SecureBootKeys;

describeWithReference(TOOLS, 'makeSecureBootKeys', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sb-keys-'));
    keys = await makeSecureBootKeys(createRunner(), { out: join(dir, 'keys'), owner: 'AcornOS' });
  }, 60_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes PK, KEK and db with their certificates, lists and .auth files, keys private', async () => {
    const names = (await readdir(keys.dir)).sort();
    for (const key of ['PK', 'KEK', 'db']) {
      for (const suffix of ['key', 'crt', 'cer', 'esl', 'auth']) {
        expect(names).toContain(`${key}.${suffix}`);
      }
      expect((await stat(join(keys.dir, `${key}.key`))).mode & 0o077).toBe(0);
    }
    expect((await stat(keys.dir)).mode & 0o077).toBe(0);
    expect((await readFile(join(keys.dir, 'GUID.txt'), 'utf8')).trim()).toBe(keys.owner);
    expect(names.filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('makes a db key the builds sign with, named after the owner', async () => {
    const signing = await loadSigningKey({ key: keys.dbKey, cert: keys.dbCert });
    expect(signing.certificate.subject).toBe('CN=AcornOS Signature Database key');
  });

  it.each(['PK', 'KEK', 'db'])(
    '%s.auth is a time-based authenticated update of the list holding its certificate',
    async (key) => {
      const auth = await readFile(join(keys.dir, `${key}.auth`));
      const esl = await readFile(join(keys.dir, `${key}.esl`));
      const der = await readFile(join(keys.dir, `${key}.cer`));
      // EFI_TIME (16 bytes), then WIN_CERTIFICATE_UEFI_GUID: length, revision, type, GUID.
      const length = auth.readUInt32LE(16);
      expect(auth.readUInt16LE(20)).toBe(0x0200);
      expect(auth.readUInt16LE(22)).toBe(WIN_CERT_TYPE_EFI_GUID);
      expect(auth.subarray(24, 40).equals(PKCS7_GUID)).toBe(true);
      expect(auth.subarray(16 + length).equals(esl)).toBe(true);
      expect(esl.includes(der)).toBe(true);
      expect(esl.includes(Buffer.from(keys.owner.replaceAll('-', ''), 'hex'))).toBe(false);
    },
  );

  it('never writes into a folder that holds something, and leaves it as it was', async () => {
    const out = join(dir, 'taken');
    await mkdir(out);
    await writeFile(join(out, 'db.key'), 'precious\n');
    const error = await makeSecureBootKeys(createRunner(), { out, owner: 'AcornOS' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(out);
    expect(await readdir(out)).toEqual(['db.key']);
    expect(await readFile(join(out, 'db.key'), 'utf8')).toBe('precious\n');
    expect((await readdir(dir)).filter((name) => name.includes('partial'))).toEqual([]);
  });
});
