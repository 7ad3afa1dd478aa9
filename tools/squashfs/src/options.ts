import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

import { isUint32 } from './meta.ts';
import type { NativeOptions } from './native.ts';
import type { SquashfsOptions } from './types.ts';

export const DEFAULT_BLOCK_SIZE = 131072;
const MAX_WORKERS = 256;
const LEVELS = { xz: [0, 9], zstd: [1, 22] } as const;

function fail(message: string): never {
  throw new Error(`squashfs: ${message}`);
}

function checkLevel(kind: 'xz' | 'zstd', level: unknown): number | undefined {
  if (level === undefined) return undefined;
  const [min, max] = LEVELS[kind];
  if (typeof level !== 'number' || !Number.isInteger(level) || level < min || level > max) {
    fail(`${kind} level must be an integer from ${min} to ${max}, got ${String(level)}`);
  }
  return level;
}

export function checkOptions(options: SquashfsOptions): NativeOptions {
  if (options === null || typeof options !== 'object') fail('options must be an object');
  const { compressor } = options;
  if (compressor === null || typeof compressor !== 'object') {
    fail('options.compressor must be an object');
  }
  const kind: unknown = compressor.kind;
  if (kind !== 'xz' && kind !== 'zstd') {
    fail(`compressor must be "xz" or "zstd", got ${String(kind)}`);
  }
  const bcj = compressor.kind === 'xz' ? compressor.bcj : undefined;
  if (bcj !== undefined && bcj !== 'x86') fail(`unsupported xz BCJ filter ${String(bcj)}`);
  if ('bcj' in compressor && kind !== 'xz') fail('a BCJ filter needs the xz compressor');

  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (!isUint32(blockSize) || blockSize < 4096 || blockSize > 1048576) {
    fail(`blockSize must be a power of two from 4096 to 1048576, got ${String(blockSize)}`);
  }
  if ((blockSize & (blockSize - 1)) !== 0) {
    fail(`blockSize must be a power of two, got ${blockSize}`);
  }
  if (!isUint32(options.mkfsTime)) {
    fail(`mkfsTime must be an integer from 0 to 4294967295, got ${String(options.mkfsTime)}`);
  }
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    fail(`workers must be an integer from 1 to ${MAX_WORKERS}, got ${String(workers)}`);
  }
  const exportable = options.exportable ?? false;
  if (typeof exportable !== 'boolean') fail('exportable must be a boolean');

  const { blockCache } = options;
  if (blockCache !== undefined && (typeof blockCache !== 'string' || blockCache === '')) {
    fail('blockCache must be the path of a folder');
  }

  const level = checkLevel(kind, compressor.level);
  return {
    compressor: kind,
    ...(level === undefined ? {} : { level }),
    bcjX86: bcj === 'x86',
    blockSize,
    mkfsTime: options.mkfsTime,
    workers,
    exportable,
    ...(blockCache === undefined ? {} : { blockCache: resolve(blockCache) }),
  };
}
