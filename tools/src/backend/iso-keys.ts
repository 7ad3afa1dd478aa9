import { UserError } from '../core/errors.ts';
import { isoImageOf } from '../fetch/index.ts';
import { openIsoImage } from '../iso9660-reader/index.ts';

/** Errors that mean the packages are not signed by a key the build trusts. */
const UNTRUSTED = new Set(['package-unverified', 'keys-folder-empty', 'keys-folder-missing']);

/**
 * An install DVD usually carries its vendor's keys (`RPM-GPG-KEY-*`) at its root. They come
 * from the same medium as the packages, so they are never trusted on their own; when no
 * trusted key verifies a package of an image's repository, the error's hint names them.
 */
export async function withIsoKeyHint(error: unknown, repositoryUrl: string): Promise<unknown> {
  if (!(error instanceof UserError) || !UNTRUSTED.has(error.code)) return error;
  const image = isoImageOf(repositoryUrl);
  if (image === undefined) return error;
  const keys = await keysAtRoot(image).catch(() => []);
  if (keys.length === 0) return error;
  const hint = `${image} carries ${keys.join(', ')} at its root; keys from the same medium as the packages are not trusted on their own: check their fingerprints against the ones the distribution publishes, then pass a folder holding them with --keys`;
  return new UserError(error.code, error.message, {
    hint: error.hint === undefined ? hint : `${error.hint}. ${hint}`,
    cause: error,
  });
}

async function keysAtRoot(file: string): Promise<string[]> {
  const image = await openIsoImage(file);
  try {
    return (await image.list(''))
      .filter((entry) => entry.type === 'file' && entry.name.startsWith('RPM-GPG-KEY'))
      .map((entry) => entry.name)
      .sort();
  } finally {
    await image.close();
  }
}
