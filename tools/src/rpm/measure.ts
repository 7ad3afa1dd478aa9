import { contentChunks } from '../packages/content.ts';
import { streamRpmEntries } from './stream.ts';

/**
 * Streams every entry of an RPM, verifying as extraction does, and counts what came out:
 * entries yielded and content bytes. Nothing is written anywhere; for benchmarks.
 */
export async function measureRpmExtraction(
  file: string,
): Promise<{ entries: number; bytes: number }> {
  let entries = 0;
  let bytes = 0;
  for await (const { content } of streamRpmEntries(file)) {
    entries += 1;
    for await (const chunk of content === undefined ? [] : contentChunks(content)) {
      bytes += chunk.length;
    }
  }
  return { entries, bytes };
}
