import type { KeyObject } from 'node:crypto';
import { contentChunks } from '../packages/content.ts';
import { streamApkEntries } from './apk-stream.ts';

/**
 * Reads a whole package the way an image build does (verification, inflation, tar parsing,
 * per-file checksums) without writing anything, for benchmarks.
 */
export async function measureApkExtraction(
  file: string,
  keys: ReadonlyMap<string, KeyObject> = new Map(),
): Promise<{ entries: number; bytes: number }> {
  let entries = 0;
  let bytes = 0;
  for await (const { content } of streamApkEntries(file, {
    keys,
    requireSignature: keys.size > 0,
  })) {
    entries += 1;
    for await (const chunk of content === undefined ? [] : contentChunks(content)) {
      bytes += chunk.length;
    }
  }
  return { entries, bytes };
}
