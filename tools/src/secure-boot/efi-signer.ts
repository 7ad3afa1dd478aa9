import { X509Certificate } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecureBoot, SecureBootEnrolment } from '@levitate/distro-spec';
import { messageOf, UserError } from '../core/errors.ts';
import { assertHost, checkHost } from '../core/host.ts';
import { requirementsOf } from '../core/host-uses.ts';
import type { Runner } from '../core/run.ts';
import { signPeImage } from './authenticode.ts';
import { loadSigningKey } from './signing-key.ts';
import type { SigningKey } from './signing-key.ts';

/** The firmware variables an enrolment writes, in the order systemd-boot writes them. */
export const ENROLMENT_FILES = ['db.auth', 'KEK.auth', 'PK.auth'] as const;

/** Keys for systemd-boot to enrol, checked to be there. */
export interface Enrolment extends SecureBootEnrolment {
  /** Each `.auth` file by its name on the ESP. */
  readonly files: Readonly<Record<(typeof ENROLMENT_FILES)[number], string>>;
}

/** Signs the EFI images of a build and checks each signature with sbverify. */
export interface EfiSigner {
  readonly key: SigningKey;
  readonly enrolment: Enrolment | undefined;
  /** What it has signed so far, by label, in order. */
  readonly signed: readonly string[];
  /** The signed form of an unsigned EFI image, checked with sbverify; `label` names it. */
  sign(image: Uint8Array, label: string): Promise<Uint8Array>;
  /** Signs `file` in place (through a temporary file), checked with sbverify. */
  signFile(file: string, label: string): Promise<void>;
}

async function checkEnrolment(enroll: SecureBootEnrolment): Promise<Enrolment> {
  const files = Object.fromEntries(
    ENROLMENT_FILES.map((name) => [name, join(enroll.keys, name)]),
  ) as Record<(typeof ENROLMENT_FILES)[number], string>;
  const missing: string[] = [];
  for (const file of Object.values(files)) {
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile() || info.size === 0) missing.push(file);
  }
  if (missing.length > 0) {
    throw new UserError(
      'secure-boot-enrolment',
      `the keys to enrol are incomplete: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing or empty`,
      { hint: 'give the folder that sb-keys --out wrote, with PK.auth, KEK.auth and db.auth' },
    );
  }
  return { ...enroll, files };
}

/**
 * Everything Secure Boot signing needs, checked before the build does any work: sbverify on
 * the host, the key and its certificate, and the keys to enrol.
 */
export async function checkSecureBootSettings(
  settings: SecureBoot,
): Promise<{ key: SigningKey; enrolment: Enrolment | undefined }> {
  assertHost(await checkHost(requirementsOf(['sbverify'], 'sign')));
  const key = await loadSigningKey(settings);
  const enrolment =
    settings.enroll === undefined ? undefined : await checkEnrolment(settings.enroll);
  return { key, enrolment };
}

/** The signer of one build, whose scratch files go to `workDir`. */
export async function prepareEfiSigner(
  settings: SecureBoot,
  runner: Runner,
  workDir: string,
): Promise<EfiSigner> {
  const { key, enrolment } = await checkSecureBootSettings(settings);
  const certificate = join(workDir, 'secure-boot-db.pem');
  await writeFile(certificate, new X509Certificate(key.certificate.der).toString());
  /** Signs into `temporary` and checks the result there. */
  const signInto = async (image: Uint8Array, label: string, temporary: string) => {
    let signed: Uint8Array;
    try {
      signed = signPeImage(image, key);
    } catch (error) {
      throw new UserError('secure-boot-sign', `cannot sign ${label}: ${messageOf(error)}`, {
        hint: 'give an unsigned EFI image (PE32+) to sign',
        cause: error,
      });
    }
    await writeFile(temporary, signed);
    await runner.run(['sbverify', '--cert', certificate, temporary]);
    labels.push(label);
    return signed;
  };
  const labels: string[] = [];
  let count = 0;
  return {
    key,
    enrolment,
    signed: labels,
    async sign(image, label) {
      const temporary = join(workDir, `secure-boot-${count++}.efi`);
      try {
        return await signInto(image, label, temporary);
      } finally {
        await rm(temporary, { force: true });
      }
    },
    async signFile(file, label) {
      const temporary = `${file}.signing`;
      await signInto(new Uint8Array(await readFile(file)), label, temporary);
      await rename(temporary, file);
    },
  };
}
