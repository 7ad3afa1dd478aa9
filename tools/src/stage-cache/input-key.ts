import { createHash } from 'node:crypto';
import type { ArtifactInput } from './artifact-cache.ts';

const DOMAIN = 'levitate stage artifact v1';

function lengthOf(size: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(size));
  return bytes;
}

/**
 * The key of an artifact: SHA-256 over its name, the builder's fingerprint and every input,
 * each input tagged with its type and length so that no two lists of inputs run together.
 */
export function artifactKey(
  artifact: string,
  fingerprint: string,
  inputs: readonly ArtifactInput[],
): Buffer {
  const hash = createHash('sha256');
  for (const part of [DOMAIN, artifact, fingerprint, ...inputs]) {
    const [tag, bytes] =
      typeof part === 'string'
        ? ['s', Buffer.from(part, 'utf8')]
        : typeof part === 'number'
          ? ['n', Buffer.from(String(part), 'utf8')]
          : ['b', part];
    hash.update(tag).update(lengthOf(bytes.length)).update(bytes);
  }
  return hash.digest();
}
