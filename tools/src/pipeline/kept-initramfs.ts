import type { InitramfsReport } from '../initramfs/index.ts';
import type { TreeRead } from './tree-reads.ts';

/** An initramfs as the stage cache keeps it: what it read from the image, its report, its bytes. */
export interface KeptInitramfs {
  readonly reads: readonly TreeRead[];
  readonly report: InitramfsReport;
  readonly bytes: Uint8Array;
}

/** `u32 length of the JSON (LE) | JSON { reads, report } | the initramfs`. */
export function encodeKeptInitramfs(kept: KeptInitramfs): Buffer {
  const json = Buffer.from(JSON.stringify({ reads: kept.reads, report: kept.report }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([length, json, kept.bytes]);
}

function isTreeRead(value: unknown): value is TreeRead {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    ['file', 'link', 'stat', 'list'].includes(value[0] as string) &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string'
  );
}

/** The kept initramfs, or undefined for nothing or anything that is not one. */
export function decodeKeptInitramfs(payload: Buffer | undefined): KeptInitramfs | undefined {
  if (payload === undefined || payload.length < 4) return undefined;
  const length = payload.readUInt32LE(0);
  if (length > payload.length - 4) return undefined;
  try {
    const parsed = JSON.parse(payload.subarray(4, 4 + length).toString('utf8')) as {
      reads?: unknown;
      report?: unknown;
    };
    if (!Array.isArray(parsed.reads) || !parsed.reads.every(isTreeRead)) return undefined;
    if (typeof parsed.report !== 'object' || parsed.report === null) return undefined;
    return {
      reads: parsed.reads,
      report: parsed.report as InitramfsReport,
      bytes: new Uint8Array(payload.subarray(4 + length)),
    };
  } catch {
    return undefined;
  }
}
