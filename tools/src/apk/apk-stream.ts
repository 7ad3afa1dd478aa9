import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { InternalError } from '../core/errors.ts';
import { ContentStream } from '../packages/content.ts';
import type { StreamedEntry } from '../packages/model.ts';
import { PackageFormatError, PackageVerifyError, UnsafeEntryError } from '../packages/errors.ts';
import { packageEntries } from './apk-entries.ts';
import { hashData, readApkPackage } from './apk-package.ts';
import type { ApkPackage, ReadApkOptions } from './apk-package.ts';
import { ByteReader } from '../core/byte-reader.ts';
import { apkLimits } from './limits.ts';
import type { ApkLimits, ApkSource } from './limits.ts';
import { streamTarEntries } from './tar-reader.ts';

async function changedSince(handle: FileHandle, pkg: ApkPackage): Promise<boolean> {
  const { size } = await handle.stat();
  return (
    size !== pkg.dataOffset + pkg.dataLength ||
    (await hashData(handle, pkg.dataOffset, size)) !== pkg.datahash
  );
}

function changedError(source: ApkSource, cause?: unknown): PackageVerifyError {
  return new PackageVerifyError({
    ...source,
    message: 'the data part changed after the package was verified',
    hint: 'something rewrote the file while it was being read; fetch it again',
    cause,
  });
}

/**
 * The entries of a package already verified by readApkPackage, streamed out of its data part,
 * large files' contents in chunks (see FileContent). The data part is hashed again while it is
 * read; if the file changed since it was verified, the stream ends with a PackageVerifyError.
 */
export async function* streamPackageData(
  pkg: ApkPackage,
  overrides?: Partial<ApkLimits>,
): AsyncGenerator<StreamedEntry> {
  const limits = apkLimits(overrides);
  const source: ApkSource = { file: pkg.file, package: pkg.label };
  const handle = await open(pkg.file, 'r');
  const raw = handle.createReadStream({
    start: pkg.dataOffset,
    highWaterMark: 1024 * 1024,
    autoClose: false,
  });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const hash = createHash('sha256');
  let hashed = 0;
  const piping = pipeline(
    raw,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        hashed += chunk.length;
        yield chunk;
      }
    },
    gunzip,
  );
  let failure: unknown;
  piping.catch((error: unknown) => {
    failure = error;
  });
  /** Errors already told apart, so that one that passes twice is not looked at again. */
  const explained = new WeakSet<object>();
  /** What a failure means: a file changed since it was verified, a corrupt data part, ... */
  const explain = async (error: unknown): Promise<unknown> => {
    if (error instanceof Object && explained.has(error)) {
      return error;
    }
    const cause = failure ?? error;
    const meaning = (await changedSince(handle, pkg))
      ? changedError(source, cause)
      : cause instanceof PackageFormatError ||
          cause instanceof PackageVerifyError ||
          cause instanceof UnsafeEntryError ||
          cause instanceof InternalError
        ? cause
        : new PackageFormatError({ ...source, message: 'corrupt data part', cause });
    explained.add(meaning);
    return meaning;
  };
  /** A streamed content whose failures are explained as those of the entries are. */
  const explaining = async function* (content: ContentStream): AsyncGenerator<Uint8Array> {
    try {
      yield* content;
    } catch (error) {
      throw await explain(error);
    }
  };
  try {
    const queue = new ByteReader(gunzip);
    const archive = streamTarEntries(queue, source, {
      maxEntries: limits.maxEntries,
      maxFileBytes: limits.maxFileBytes,
      maxPaxBytes: limits.maxPaxBytes,
      maxPaxRecords: limits.maxPaxRecords,
      maxLongNameBytes: limits.maxLongNameBytes,
      maxArchiveBytes: limits.maxDataBytes,
    });
    for await (const item of packageEntries(archive, source)) {
      if (item.content instanceof ContentStream) {
        const content = new ContentStream(explaining(item.content));
        yield { entry: item.entry, content };
        await content.settle();
      } else {
        yield item;
      }
    }
    const allowance = limits.maxDataBytes - queue.position;
    if ((await queue.drain(allowance)) > allowance) {
      throw new PackageFormatError({
        ...source,
        message: `data part inflates past ${limits.maxDataBytes} bytes`,
      });
    }
    await piping;
  } catch (error) {
    throw await explain(error);
  } finally {
    raw.destroy();
    gunzip.destroy();
    await handle.close();
  }
  const digest = hash.digest('hex');
  if (hashed !== pkg.dataLength || digest !== pkg.datahash) {
    throw changedError(source);
  }
}

/** Verifies a package (see readApkPackage) and streams the entries of its data part. */
export async function* streamApkEntries(
  file: string,
  options: ReadApkOptions,
): AsyncGenerator<StreamedEntry> {
  const pkg = await readApkPackage(file, options);
  yield* streamPackageData(pkg, options.limits);
}
