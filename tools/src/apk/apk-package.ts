import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { PackageScript } from '../packages/model.ts';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { scanApkHead } from './apk-head.ts';
import type { ApkHead } from './apk-head.ts';
import { SignatureCheck } from './apk-signature.ts';
import { checkControlHash, formatControlHash } from './control-hash.ts';
import { readControl } from './control.ts';
import { isGzipMagic } from './gzip-members.ts';
import { apkLimits } from './limits.ts';
import type { ApkLimits, ApkSource } from './limits.ts';
import type { ApkPackageInfo } from './pkginfo.ts';

export interface ReadApkOptions {
  readonly keys: ReadonlyMap<string, KeyObject>;
  /** Refuse a package that no trusted key signed. */
  readonly requireSignature: boolean;
  /** The index's `C:` value for this package (`Q1` and the base64 SHA1 of the control member). */
  readonly expectedControlHash?: string;
  readonly limits?: Partial<ApkLimits>;
  /**
   * Compare the data part with `.PKGINFO`'s datahash (the default). Off only to describe a
   * package that failed verification, as `inspect --no-verify` does.
   */
  readonly checkDatahash?: boolean;
}

/** A verified v2 package: its metadata, scripts, and where its data part lies in the file. */
export interface ApkPackage {
  readonly file: string;
  /** `name-version`. */
  readonly label: string;
  readonly info: ApkPackageInfo;
  readonly scripts: readonly PackageScript[];
  /** Key names of every `.SIGN.*` file, trusted or not. */
  readonly signatures: readonly string[];
  /** The trusted key that verified the package; undefined when accepted unsigned. */
  readonly signer?: string;
  /** `Q1` + base64 SHA1 of the control member: the `C:` field of an APKINDEX. */
  readonly controlHash: string;
  /** SHA-256 (hex) of the raw data part, equal to `.PKGINFO`'s datahash when it has one. */
  readonly datahash: string;
  readonly dataOffset: number;
  readonly dataLength: number;
}

const FIRST_READ = 256 * 1024;
const DATA_CHUNK = 1024 * 1024;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) {
      break;
    }
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

async function readHead(
  handle: FileHandle,
  size: number,
  source: ApkSource,
  limits: ApkLimits,
): Promise<{ head: ApkHead; bytes: Uint8Array }> {
  let length = Math.min(size, FIRST_READ, limits.maxHeadBytes);
  for (;;) {
    const bytes = await readAt(handle, 0, length);
    const complete = bytes.length >= size;
    const head = await scanApkHead(
      bytes,
      complete,
      source,
      limits,
      limits.maxControlBytes,
      'package',
    );
    if (head !== undefined) {
      return { head, bytes };
    }
    if (length >= limits.maxHeadBytes) {
      throw new PackageFormatError({
        ...source,
        message: `signature and control members exceed ${limits.maxHeadBytes} bytes`,
      });
    }
    length = Math.min(size, length * 4, limits.maxHeadBytes);
  }
}

/** Feeds the data part to `sink` chunk by chunk and returns its SHA-256. */
export async function hashData(
  handle: FileHandle,
  offset: number,
  size: number,
  sink: (chunk: Uint8Array) => void = () => {},
): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(DATA_CHUNK);
  for (let position = offset; position < size;) {
    const { bytesRead } = await handle.read(
      buffer,
      0,
      Math.min(DATA_CHUNK, size - position),
      position,
    );
    if (bytesRead === 0) {
      break;
    }
    const chunk = buffer.subarray(0, bytesRead);
    hash.update(chunk);
    sink(chunk);
    position += bytesRead;
  }
  return hash.digest('hex');
}

/**
 * Whether the gzip stream of the data part stops before its end: the file was cut short (an
 * interrupted download or copy) rather than changed.
 */
async function dataEndsEarly(handle: FileHandle, offset: number): Promise<boolean> {
  const stream = handle.createReadStream({ start: offset, autoClose: false });
  try {
    await pipeline(stream, createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) void chunk;
    });
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'Z_BUF_ERROR';
  } finally {
    stream.destroy();
  }
}

function truncatedError(source: ApkSource, size: number, detail: string): PackageVerifyError {
  return new PackageVerifyError({
    ...source,
    message: `truncated: the data part's gzip stream ends early, at byte ${size} of the file, so ${detail}`,
    hint: 'the file was cut short (an interrupted download or copy?); fetch it again',
  });
}

/**
 * Reads and verifies a v2 .apk: the signature over the control member (over control and data
 * for old packages without a datahash), the control hash against the index, `.PKGINFO`, the
 * install scripts, and the datahash against the data part.
 */
export async function readApkPackage(file: string, options: ReadApkOptions): Promise<ApkPackage> {
  const limits = apkLimits(options.limits);
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const unnamed: ApkSource = { file };
    const { head, bytes } = await readHead(handle, size, unnamed, limits);
    const { info, scripts } = await readControl(head.body.content, unnamed, limits);
    const label = `${info.name}-${info.version}`;
    const source: ApkSource = { file, package: label };
    const control = bytes.subarray(head.body.start, head.body.end);
    const dataOffset = head.body.end;
    const check = new SignatureCheck(head.signatures, options, source);
    check.update(control);
    let signer = info.datahash === undefined ? undefined : check.finish();
    const controlHash = formatControlHash(control);
    if (options.expectedControlHash !== undefined) {
      checkControlHash(control, options.expectedControlHash, source);
    }
    const lead = await readAt(handle, dataOffset, 2);
    if (!isGzipMagic(lead, 0)) {
      throw new PackageFormatError({
        ...source,
        message:
          dataOffset >= size
            ? `truncated: the file ends after the control member, at byte ${size}, without a data part`
            : 'no gzip data member after the control member',
      });
    }
    const sink =
      info.datahash === undefined ? (chunk: Uint8Array) => check.update(chunk) : () => {};
    const datahash = await hashData(handle, dataOffset, size, sink);
    if (info.datahash === undefined) {
      try {
        signer = check.finish();
      } catch (error) {
        if (!(await dataEndsEarly(handle, dataOffset))) throw error;
        throw truncatedError(source, size, 'the signature over control and data does not verify');
      }
    } else if (datahash !== info.datahash && options.checkDatahash !== false) {
      const mismatch = `the data part's SHA-256 ${datahash} does not match the datahash ${info.datahash} in .PKGINFO`;
      if (await dataEndsEarly(handle, dataOffset)) throw truncatedError(source, size, mismatch);
      throw new PackageVerifyError({ ...source, message: mismatch });
    }
    return {
      file,
      label,
      info,
      scripts,
      signatures: head.signatures.map((signature) => signature.keyName),
      ...(signer === undefined ? {} : { signer }),
      controlHash,
      datahash,
      dataOffset,
      dataLength: size - dataOffset,
    };
  } finally {
    await handle.close();
  }
}
