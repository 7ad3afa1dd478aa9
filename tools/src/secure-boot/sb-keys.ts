import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { assertHost, checkHost } from '../core/host.ts';
import { requirementsOf } from '../core/host-uses.ts';
import type { Runner } from '../core/run.ts';

/** The three Secure Boot keys, each signing the next one's enrolment: PK → KEK → db. */
const KEYS = [
  { name: 'PK', title: 'Platform Key', signer: 'PK' },
  { name: 'KEK', title: 'Key Exchange Key', signer: 'PK' },
  { name: 'db', title: 'Signature Database key', signer: 'KEK' },
] as const;

export interface SecureBootKeysRequest {
  /** The folder to create; it must not exist yet (or be empty). */
  readonly out: string;
  /** Put in each certificate's common name, e.g. `AcornOS`. */
  readonly owner: string;
  readonly validDays?: number;
}

export interface SecureBootKeys {
  readonly dir: string;
  /** The EFI signature owner GUID written into every signature list. */
  readonly owner: string;
  /** What to sign with: `--sb-key` and `--sb-cert`. */
  readonly dbKey: string;
  readonly dbCert: string;
}

/** `openssl req` making an RSA-2048 key (unencrypted) and its self-signed certificate. */
export function selfSignedCertificateArgv(
  commonName: string,
  keyOut: string,
  certOut: string,
  validDays = 3650,
): string[] {
  return [
    'openssl',
    'req',
    '-new',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-sha256',
    '-days',
    String(validDays),
    '-noenc',
    '-subj',
    `/CN=${commonName}/`,
    '-keyout',
    keyOut,
    '-out',
    certOut,
  ];
}

async function assertFreshFolder(out: string): Promise<void> {
  const entries = await readdir(out).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw new UserError('sb-keys-out', `cannot use ${out} for the keys: ${error.message}`, {
      hint: 'give a new folder for the keys',
      cause: error,
    });
  });
  if (entries.length > 0) {
    throw new UserError('sb-keys-out', `${out} is not empty; keys already there are kept`, {
      hint: 'give a new folder: sb-keys never overwrites keys',
    });
  }
}

/**
 * Makes a PK, KEK and db key pair with self-signed certificates (openssl), and the signed
 * EFI signature lists that enrol them (efitools): PK.auth and KEK.auth signed by the PK,
 * db.auth by the KEK, as firmware in setup mode and systemd-boot's secure-boot-enroll take
 * them. Everything is written to a sibling folder first and renamed into place, private
 * keys readable by their owner only.
 */
export async function makeSecureBootKeys(
  runner: Runner,
  request: SecureBootKeysRequest,
): Promise<SecureBootKeys> {
  assertHost(
    await checkHost(requirementsOf(['openssl', 'certToEfiSigList', 'signEfiSigList'], 'sign')),
  );
  const out = resolve(request.out);
  await assertFreshFolder(out);
  const staging = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  await mkdir(dirname(out), { recursive: true });
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  const owner = randomUUID();
  try {
    const file = (name: string) => join(staging, name);
    for (const key of KEYS) {
      await runner.run(
        selfSignedCertificateArgv(
          `${request.owner} ${key.title}`,
          file(`${key.name}.key`),
          file(`${key.name}.crt`),
          request.validDays,
        ),
      );
      await chmod(file(`${key.name}.key`), 0o600);
      await runner.run([
        'openssl',
        'x509',
        '-in',
        file(`${key.name}.crt`),
        '-outform',
        'DER',
        '-out',
        file(`${key.name}.cer`),
      ]);
      await runner.run([
        'cert-to-efi-sig-list',
        '-g',
        owner,
        file(`${key.name}.crt`),
        file(`${key.name}.esl`),
      ]);
    }
    for (const key of KEYS) {
      await runner.run([
        'sign-efi-sig-list',
        '-g',
        owner,
        '-k',
        file(`${key.signer}.key`),
        '-c',
        file(`${key.signer}.crt`),
        key.name,
        file(`${key.name}.esl`),
        file(`${key.name}.auth`),
      ]);
    }
    await writeFile(file('GUID.txt'), `${owner}\n`);
    // An empty folder at `out` is replaced; a folder that gained entries meanwhile is not.
    await rename(staging, out);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { dir: out, owner, dbKey: join(out, 'db.key'), dbCert: join(out, 'db.crt') };
}
