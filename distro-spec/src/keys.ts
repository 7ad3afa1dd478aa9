import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openpgpFingerprint } from './openpgp-key.ts';
import type { SigningKey } from './spec.ts';

/** A signing key read from disk whose bytes matched the variant's pin. */
export interface PinnedKey {
  readonly name: string;
  readonly file: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly fingerprint?: string;
}

export class KeyPinError extends Error {
  readonly code: 'key-missing' | 'key-mismatch';
  readonly hint: string;
  constructor(code: KeyPinError['code'], message: string, hint: string) {
    super(message);
    this.name = 'KeyPinError';
    this.code = code;
    this.hint = hint;
  }
}

/**
 * Finds `key` by name in the first of `dirs` that holds it and checks it against the pinned
 * SHA-256 and/or fingerprint. A key that does not match its pin is never returned.
 */
export async function loadPinnedKey(key: SigningKey, dirs: readonly string[]): Promise<PinnedKey> {
  for (const dir of dirs) {
    const file = join(dir, key.name);
    const bytes = await readFile(file).catch(() => undefined);
    if (bytes) return checkPin(key, file, new Uint8Array(bytes));
  }
  throw new KeyPinError(
    'key-missing',
    `signing key ${key.name} was not found in ${dirs.length > 0 ? dirs.join(', ') : '(no key folders)'}`,
    `download it from ${key.url} into one of those folders`,
  );
}

export function checkPin(key: SigningKey, file: string, bytes: Uint8Array): PinnedKey {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (key.sha256 !== undefined && key.sha256 !== sha256) {
    throw new KeyPinError(
      'key-mismatch',
      `signing key ${file} has SHA-256 ${sha256}, but the variant pins ${key.sha256}`,
      `the file is not the key published at ${key.url}; replace it or check the pin`,
    );
  }
  let fingerprint: string | undefined;
  if (key.fingerprint !== undefined) {
    try {
      fingerprint = openpgpFingerprint(bytes);
    } catch (error) {
      throw new KeyPinError(
        'key-mismatch',
        `signing key ${file} is not a readable OpenPGP public key: ${(error as Error).message}`,
        `the variant pins fingerprint ${key.fingerprint}; fetch the key again from ${key.url}`,
      );
    }
    if (fingerprint !== key.fingerprint) {
      throw new KeyPinError(
        'key-mismatch',
        `signing key ${file} has fingerprint ${fingerprint}, but the variant pins ${key.fingerprint}`,
        `the file is not the key published at ${key.url}; replace it or check the pin`,
      );
    }
  }
  return {
    name: key.name,
    file,
    bytes,
    sha256,
    ...(fingerprint === undefined ? {} : { fingerprint }),
  };
}
