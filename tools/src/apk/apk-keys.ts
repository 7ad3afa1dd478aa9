import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PackageFormatError } from '../packages/errors.ts';

/** Trusted signing keys by file name (`alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub`). */
export class ApkKeys extends Map<string, KeyObject> {
  /** The folders and files the keys were loaded from, for naming them in errors. */
  readonly sources: readonly string[];

  constructor(
    entries: Iterable<readonly [string, KeyObject]> = [],
    sources: readonly string[] = [],
  ) {
    super(entries);
    this.sources = Object.freeze([...sources]);
  }
}

const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Where a key set came from, for messages: its `sources` when it has them. */
export function describeKeySources(keys: ReadonlyMap<string, KeyObject>): string {
  const sources = keys instanceof ApkKeys ? keys.sources : [];
  return sources.length === 0 ? 'the trusted key set' : sources.join(', ');
}

function parseKey(file: string, pem: Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new PackageFormatError({
      file,
      message: 'not a PEM public key',
      hint: 'apk keys are PEM RSA public keys (*.rsa.pub)',
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new PackageFormatError({
      file,
      message: `an ${String(key.asymmetricKeyType)} key, but apk v2 signatures are RSA`,
    });
  }
  return key;
}

async function loadKeyFile(file: string): Promise<KeyObject> {
  const info = await stat(file);
  if (info.size > MAX_KEY_FILE_BYTES) {
    throw new PackageFormatError({
      file,
      message: `key file larger than ${MAX_KEY_FILE_BYTES} bytes`,
    });
  }
  return parseKey(file, await readFile(file));
}

/**
 * Loads trusted keys from folders (every `*.pub` file in them, as apk's keys folder) and
 * individual files (any name). A key is known by its file name, which is what a `.SIGN.*`
 * entry names.
 */
export async function loadApkKeys(paths: string | readonly string[]): Promise<ApkKeys> {
  const list = typeof paths === 'string' ? [paths] : paths;
  const entries = new Map<string, KeyObject>();
  for (const path of list) {
    const info = await stat(path);
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((name) => name.endsWith('.pub')).sort();
      for (const name of names) {
        const file = join(path, name);
        if ((await stat(file)).isFile()) {
          entries.set(name, await loadKeyFile(file));
        }
      }
    } else {
      entries.set(basename(path), await loadKeyFile(path));
    }
  }
  return new ApkKeys(entries, list);
}
