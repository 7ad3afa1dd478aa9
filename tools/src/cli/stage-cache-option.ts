import { UserError } from '../core/errors.ts';
import { DEFAULT_STAGE_CACHE_BYTES, stageCacheDirOf } from '../stage-cache/index.ts';
import type { StageCacheSettings } from '../stage-cache/index.ts';

const UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
const SIZE = /^(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?$/i;

/** `--stage-cache <size>`: bytes, or with K, M or G (binary units); 0 turns the cache off. */
export function parseCacheSize(text: string): number {
  const match = SIZE.exec(text.trim());
  if (match === null) {
    throw new UserError('stage-cache-size', `--stage-cache ${JSON.stringify(text)} is not a size`, {
      hint: 'give a size such as 2G, 500M or 0 (no stage cache)',
    });
  }
  return Math.floor(Number(match[1]) * (UNITS[(match[2] ?? '').toUpperCase()] ?? 1));
}

/** The stage cache in the cache folder, bounded by `--stage-cache` (2 GiB by default). */
export function stageCacheSettingsFrom(
  cacheDir: string,
  size: string | undefined,
): StageCacheSettings | undefined {
  const maxBytes = size === undefined ? DEFAULT_STAGE_CACHE_BYTES : parseCacheSize(size);
  return maxBytes === 0 ? undefined : { dir: stageCacheDirOf(cacheDir), maxBytes };
}
