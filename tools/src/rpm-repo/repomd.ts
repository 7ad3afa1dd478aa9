import type { Keyring, VerifiedSignature } from '../openpgp/api.ts';
import { verifySignature } from '../openpgp/index.ts';
import { MAX_REPOMD_BYTES, MAX_SIGNATURE_BYTES } from './limits.ts';
import { asMetadataError, malformedMetadata, verifyError } from './problem.ts';
import type { MetadataContext } from './problem.ts';
import { parseRepomd } from './repomd-parse.ts';
import type { ParsedRepomd } from './repomd-parse.ts';
import { isMissingFile, joinUrl, readBounded } from './source.ts';
import type { RepoSource } from './source.ts';
import { messageOf } from '../core/errors.ts';

export const REPOMD_PATH = 'repodata/repomd.xml';
export const REPOMD_SIGNATURE_PATH = 'repodata/repomd.xml.asc';

export interface ReadRepomdOptions {
  /**
   * Keys trusted to sign repomd.xml. With them, `repomd.xml.asc` is verified when present.
   * Given as a function, the keys are loaded only when there is a signature to check.
   */
  readonly keyring?: Keyring | (() => Promise<Keyring>);
  /** Refuse the repository unless repomd.xml carries a signature that verifies. */
  readonly requireSignature: boolean;
  /** The repository's name, for messages; the source URL when not given. */
  readonly name?: string;
}

export interface Repomd extends ParsedRepomd {
  /** Who signed repomd.xml, when a keyring was given and the signature verified. */
  readonly signature?: VerifiedSignature;
}

async function readSmallFile(
  source: RepoSource,
  path: string,
  maxBytes: number,
  context: MetadataContext,
): Promise<Uint8Array | undefined> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await source.open(path);
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw malformedMetadata(context, `cannot be opened: ${String(error)}`, { cause: error });
  }
  try {
    return await readBounded(stream, maxBytes, () =>
      malformedMetadata(context, `is larger than ${maxBytes} bytes`),
    );
  } catch (error) {
    throw asMetadataError(context, error);
  }
}

/**
 * Reads `repodata/repomd.xml`: the list of metadata files with their checksums. With a keyring,
 * `repodata/repomd.xml.asc` is verified over the exact bytes read before anything is parsed.
 */
export async function readRepomd(source: RepoSource, options: ReadRepomdOptions): Promise<Repomd> {
  const repository = options.name ?? source.url;
  const context: MetadataContext = {
    repository,
    file: joinUrl(source.url, REPOMD_PATH),
    kind: 'repomd.xml',
  };
  if (options.requireSignature && options.keyring === undefined) {
    throw verifyError(context, 'a signed repomd.xml is required, but no keys were given', {
      hint: 'give the repository the OpenPGP keys that sign its metadata',
    });
  }
  const bytes = await readSmallFile(source, REPOMD_PATH, MAX_REPOMD_BYTES, context);
  if (bytes === undefined) {
    throw malformedMetadata(context, 'not found: this is not an RPM repository', {
      hint: 'the repository URL must be the folder that holds repodata/',
    });
  }
  const signature =
    options.keyring === undefined
      ? undefined
      : await checkSignature(source, bytes, options.keyring, options.requireSignature, context);
  const parsed = await parseRepomd(bytes, context);
  return signature === undefined ? parsed : { ...parsed, signature };
}

async function checkSignature(
  source: RepoSource,
  repomd: Uint8Array,
  keyring: Keyring | (() => Promise<Keyring>),
  required: boolean,
  context: MetadataContext,
): Promise<VerifiedSignature | undefined> {
  const signatureContext = { ...context, file: joinUrl(source.url, REPOMD_SIGNATURE_PATH) };
  const signature = await readSmallFile(
    source,
    REPOMD_SIGNATURE_PATH,
    MAX_SIGNATURE_BYTES,
    signatureContext,
  );
  if (signature === undefined) {
    if (!required) return undefined;
    throw verifyError(context, 'is not signed (no repomd.xml.asc), but a signature is required', {
      hint: 'use a mirror that publishes repomd.xml.asc, or turn signedMetadata off for this repository in the variant',
    });
  }
  const keys = typeof keyring === 'function' ? await keyring() : keyring;
  const subject = context.file;
  try {
    return verifySignature(signature, repomd, keys, subject);
  } catch (error) {
    const full = messageOf(error);
    const message = full.startsWith(`${subject}: `) ? full.slice(subject.length + 2) : full;
    const hint = (error as { hint?: unknown }).hint;
    throw verifyError(context, `signature does not verify: ${message}`, {
      cause: error,
      ...(typeof hint === 'string' ? { hint } : {}),
    });
  }
}
