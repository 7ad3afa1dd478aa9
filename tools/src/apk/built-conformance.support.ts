import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wholeEntries } from '../packages/content.ts';
import type { WholeEntry } from '../packages/content.ts';
import { testSigningKey } from './apk-builder.support.ts';
import { CHROOT_KEYS } from '../test-support/alpine-chroot.ts';
import type { AlpineChroot } from '../test-support/alpine-chroot.ts';
import { ApkKeys, readApkPackage, streamPackageData } from './index.ts';

/** The names the throwaway test key is trusted under, in apk's keys folder and in ours. */
export const TEST_KEY_NAMES = ['conformance.rsa.pub', 'second.rsa.pub'] as const;

/** A signer for buildApk: the trusted test key, or (`other`) a key nobody trusts under that name. */
export function signer(
  scheme: 'RSA' | 'RSA256' | 'RSA512' = 'RSA256',
  which: 'main' | 'other' = 'main',
  keyName: string = TEST_KEY_NAMES[0],
) {
  return { keyName, scheme, privateKey: testSigningKey(which).privateKey };
}

/** Puts the test public key into the chroot's keys folder and returns the same trust for us. */
export async function trustTestKey(chroot: AlpineChroot): Promise<ApkKeys> {
  const { publicKey } = testSigningKey();
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  for (const name of TEST_KEY_NAMES) {
    await writeFile(chroot.host(join(CHROOT_KEYS, name)), pem);
  }
  return new ApkKeys(TEST_KEY_NAMES.map((name) => [name, publicKey] as const));
}

/** Verifies a package and collects all its entries. */
export async function entriesOf(file: string, keys: ApkKeys): Promise<WholeEntry[]> {
  const out: WholeEntry[] = [];
  const pkg = await readApkPackage(file, { keys, requireSignature: true });
  for await (const item of wholeEntries(streamPackageData(pkg))) {
    out.push(item);
  }
  return out;
}
