/** Streaming a response body onto the end of a partial file, watching for silence. */

import type { IncomingMessage } from 'node:http';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { SilenceFailure } from './http-request.ts';
import { messageOf } from '../core/errors.ts';

/** The partial file could not be written: a local problem no mirror can solve. */
export class CacheWriteError extends Error {
  override name = 'CacheWriteError';
  readonly file: string;
  constructor(file: string, cause: unknown) {
    super(`cannot write ${file}: ${messageOf(cause)}`, {
      cause,
    });
    this.file = file;
  }
}

/** The server sent more bytes than the metadata says the file has. */
export class TooLongFailure extends Error {
  override name = 'TooLongFailure';
}

export interface BodyTarget {
  readonly file: string;
  /** Where the body starts in the file: 0 truncates it, otherwise the body is appended. */
  readonly start: number;
  readonly stallMs: number;
  /** Most bytes the finished file may have. */
  readonly limit?: number;
  readonly onBytes?: (bytesOnDisk: number) => void;
}

/** Bytes received but not yet written beyond which the connection is paused. */
const QUEUE_LIMIT = 1024 * 1024;

async function guarded<T>(file: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw new CacheWriteError(file, err);
  }
}

/**
 * Writes the body and returns the file's length afterwards. Rejects when the connection
 * breaks, when no byte arrives for `stallMs`, or when the file would exceed `limit`. Every
 * byte received before a break is written first, for the next attempt to resume from.
 */
export async function writeBody(response: IncomingMessage, target: BodyTarget): Promise<number> {
  const queue: Buffer[] = [];
  let queuedBytes = 0;
  let ended = false;
  let failure: { readonly error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  const timer = setTimeout(() => {
    response.destroy(new SilenceFailure(`no data received for ${target.stallMs} ms`));
  }, target.stallMs);
  // Listeners go on before anything is awaited, so that no event is missed. Chunks are taken
  // as soon as they are parsed: a stream destroyed by a broken connection would otherwise drop
  // what it had buffered, and those bytes would be fetched twice.
  response.on('data', (chunk: Buffer) => {
    timer.refresh();
    queue.push(chunk);
    queuedBytes += chunk.length;
    if (queuedBytes > QUEUE_LIMIT) {
      response.pause();
    }
    notify();
  });
  let sawEnd = false;
  response.on('end', () => {
    sawEnd = true;
    ended = true;
    notify();
  });
  response.on('error', (error) => {
    failure ??= { error };
    notify();
  });
  response.on('close', () => {
    if (!sawEnd) {
      failure ??= { error: new Error('the connection closed before the body ended') };
    }
    ended = true;
    notify();
  });
  if (response.destroyed) {
    ended = true;
    failure = response.errored === null ? undefined : { error: response.errored };
  }
  let handle: FileHandle;
  try {
    handle = await guarded(target.file, () => open(target.file, target.start === 0 ? 'w' : 'a'));
  } catch (err) {
    clearTimeout(timer);
    throw err;
  }
  let position = target.start;
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        queuedBytes -= chunk.length;
        if (target.limit !== undefined && position + chunk.length > target.limit) {
          throw new TooLongFailure(`the server sent more than the expected ${target.limit} bytes`);
        }
        await guarded(target.file, () => handle.write(chunk));
        // Writing counts as progress too: a slow disk pausing the connection is not a stall.
        timer.refresh();
        position += chunk.length;
        target.onBytes?.(position);
        continue;
      }
      if (failure !== undefined) {
        throw failure.error;
      }
      if (ended) {
        return position;
      }
      response.resume();
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    clearTimeout(timer);
    await handle.close();
  }
}
