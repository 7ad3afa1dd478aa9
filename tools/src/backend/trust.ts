import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyPinError, checkPin, loadPinnedKey } from '@levitate/distro-spec/keys';
import type { Repository, SigningKey, VariantSpec } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';
import type { Fetcher } from '../fetch/index.ts';

/** A public key file a repository is trusted to be signed with. */
export interface TrustedKey {
  readonly name: string;
  readonly file: string;
  readonly bytes: Uint8Array;
}

export interface TrustOptions {
  /** Folders searched for the variant's pinned keys before they are downloaded. */
  readonly keyDirs: readonly string[];
  readonly fetcher: Fetcher;
}

/**
 * The keys a repository is trusted with. A repository given on the command line with a key
 * folder trusts every key in it. Otherwise each key the variant names is found in a key folder
 * or downloaded once from its URL into the verified cache, and must match its pin.
 */
export async function trustedKeysFor(
  spec: VariantSpec,
  repository: Repository,
  options: TrustOptions,
): Promise<TrustedKey[]> {
  if (repository.keysDir !== undefined) return keysInFolder(repository.keysDir);
  return Promise.all(
    repository.keys.map(async (name) => {
      const key = spec.keys.find((candidate) => candidate.name === name);
      if (!key)
        throw new UserError(
          'key-unknown',
          `repository ${repository.name} names unknown key ${name}`,
        );
      return pinnedKey(key, options);
    }),
  );
}

async function pinnedKey(key: SigningKey, options: TrustOptions): Promise<TrustedKey> {
  try {
    const pinned = await loadPinnedKey(key, options.keyDirs);
    return { name: pinned.name, file: pinned.file, bytes: pinned.bytes };
  } catch (error) {
    if (!(error instanceof KeyPinError) || error.code !== 'key-missing') throw asUserError(error);
  }
  const url = new URL(key.url);
  const slash = url.pathname.lastIndexOf('/');
  const fetched = await options.fetcher.fetch({
    mirrors: [`${url.origin}${url.pathname.slice(0, slash + 1)}`],
    path: url.pathname.slice(slash + 1),
    label: `signing key ${key.name}`,
    ...(key.sha256 === undefined
      ? {}
      : { expected: { digest: { algorithm: 'sha256', hex: key.sha256 } } }),
  });
  const bytes = new Uint8Array(await readFile(fetched.file));
  try {
    checkPin(key, fetched.file, bytes);
  } catch (error) {
    throw asUserError(error);
  }
  return { name: key.name, file: fetched.file, bytes };
}

/** Every key file in a folder (`--keys`), each trusted. */
export async function keysInFolder(dir: string): Promise<TrustedKey[]> {
  const names = await readdir(dir).catch((error: unknown) => {
    throw new UserError('keys-folder-missing', `key folder ${dir} cannot be read`, {
      hint: 'pass --keys with a folder of public keys',
      cause: error,
    });
  });
  const keys: TrustedKey[] = [];
  for (const name of names.sort()) {
    const file = join(dir, name);
    if ((await stat(file)).isFile())
      keys.push({ name, file, bytes: new Uint8Array(await readFile(file)) });
  }
  if (keys.length === 0)
    throw new UserError('keys-folder-empty', `key folder ${dir} holds no keys`);
  return keys;
}

function asUserError(error: unknown): unknown {
  if (error instanceof KeyPinError) {
    return new UserError(error.code, error.message, { hint: error.hint, cause: error });
  }
  return error;
}
