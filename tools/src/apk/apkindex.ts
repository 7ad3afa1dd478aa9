import type { KeyObject } from 'node:crypto';
import { PackageFormatError } from '../packages/errors.ts';
import { SignatureCheck } from './apk-signature.ts';
import { scanApkHead, tarEntriesOf, tarLimitsFor } from './apk-head.ts';
import { inflateGzipMember } from './gzip-members.ts';
import { apkLimits } from './limits.ts';
import type { ApkLimits, ApkSource } from './limits.ts';
import { decodeUtf8 } from './tar-header.ts';

export interface ReadApkIndexOptions {
  readonly keys: ReadonlyMap<string, KeyObject>;
  /** Refuse an index that no trusted key signed. */
  readonly requireSignature: boolean;
  /** The file or URL the bytes came from, for errors. */
  readonly file: string;
  readonly limits?: Partial<ApkLimits>;
}

export interface ApkIndex {
  /** The APKINDEX file, to be parsed into package records elsewhere. */
  readonly text: string;
  /** The DESCRIPTION file (`v3.16.3-13-g4d933a1fa3`), when present. */
  readonly description?: string;
  /** The trusted key that verified the index. */
  readonly signer?: string;
}

/**
 * Reads an APKINDEX.tar.gz: the signature member(s), then the index. The signature covers the
 * raw bytes of everything after the signature members, as apk checks it.
 */
export async function readApkIndex(
  bytes: Uint8Array,
  options: ReadApkIndexOptions,
): Promise<ApkIndex> {
  const source: ApkSource = { file: options.file };
  const limits = apkLimits(options.limits);
  const head = await scanApkHead(bytes, true, source, limits, limits.maxMemberBytes, 'index');
  if (head === undefined) {
    throw new PackageFormatError({ ...source, message: 'truncated index' });
  }
  const check = new SignatureCheck(head.signatures, options, source);
  check.update(bytes.subarray(head.signedStart));
  const signer = check.finish();

  const contents: Uint8Array[] = [head.body.content];
  let total = head.body.inflatedSize;
  for (let offset = head.body.end, members = 1; offset < bytes.length; members += 1) {
    if (members >= limits.maxGzipMembers) {
      throw new PackageFormatError({
        ...source,
        message: `more than ${limits.maxGzipMembers} gzip members`,
      });
    }
    const member = inflateGzipMember(bytes, offset, source, limits.maxMemberBytes);
    total += member.inflatedSize;
    if (total > limits.maxMemberBytes) {
      throw new PackageFormatError({
        ...source,
        message: `index inflates past ${limits.maxMemberBytes} bytes`,
      });
    }
    contents.push(member.content);
    offset = member.end;
  }
  const entries = await tarEntriesOf(
    Buffer.concat(contents),
    source,
    tarLimitsFor(limits, limits.maxIndexBytes),
  );
  let text: string | undefined;
  let description: string | undefined;
  for (const entry of entries) {
    if (entry.kind !== 'file') {
      continue;
    }
    if (entry.name === 'APKINDEX') {
      text = decodeUtf8(entry.content ?? new Uint8Array(), source, 'APKINDEX');
    } else if (entry.name === 'DESCRIPTION') {
      description = decodeUtf8(entry.content ?? new Uint8Array(), source, 'DESCRIPTION').trim();
    }
  }
  if (text === undefined) {
    throw new PackageFormatError({ ...source, message: 'no APKINDEX file in the index archive' });
  }
  return {
    text,
    ...(description === undefined || description === '' ? {} : { description }),
    ...(signer === undefined ? {} : { signer }),
  };
}
