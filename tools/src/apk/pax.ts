import { PackageFormatError } from '../packages/errors.ts';
import { decodeUtf8 } from './tar-header.ts';
import type { ApkSource } from './limits.ts';

/** Pax extended header records, keyed by name, values as raw bytes (xattrs are binary). */
export type PaxRecords = Map<string, Uint8Array>;

const SPACE = 0x20;
const EQUALS = 0x3d;
const NEWLINE = 0x0a;

/**
 * Parses `LENGTH KEY=VALUE\n` records into `into`, later records overriding earlier ones. A
 * record with an empty value deletes the key, as POSIX specifies.
 */
export function parsePaxRecords(
  bytes: Uint8Array,
  into: PaxRecords,
  source: ApkSource,
  maxRecords: number,
): void {
  const fail = (message: string) => new PackageFormatError({ ...source, message });
  let at = 0;
  let count = 0;
  while (at < bytes.length) {
    if (bytes[at] === 0) {
      break;
    }
    count += 1;
    if (count > maxRecords) {
      throw fail(`more than ${maxRecords} pax records for one entry`);
    }
    const space = bytes.indexOf(SPACE, at);
    if (space < 0 || space - at > 12) {
      throw fail('malformed pax record length');
    }
    const lengthText = String.fromCharCode(...bytes.subarray(at, space));
    if (!/^[1-9][0-9]*$/.test(lengthText)) {
      throw fail('malformed pax record length');
    }
    const length = Number(lengthText);
    const end = at + length;
    if (end > bytes.length || bytes[end - 1] !== NEWLINE || end <= space + 1) {
      throw fail('pax record runs past its header or lacks its newline');
    }
    const record = bytes.subarray(space + 1, end - 1);
    const equals = record.indexOf(EQUALS);
    if (equals <= 0) {
      throw fail('pax record without a key');
    }
    const key = decodeUtf8(record.subarray(0, equals), source, 'a pax record key');
    const value = record.subarray(equals + 1);
    if (value.length === 0) {
      into.delete(key);
    } else {
      into.set(key, value);
    }
    at = end;
  }
}

export function paxText(records: PaxRecords, key: string, source: ApkSource): string | undefined {
  const value = records.get(key);
  return value === undefined ? undefined : decodeUtf8(value, source, `pax record ${key}`);
}

/** A non-negative integer record (`size`, `uid`, `gid`). */
export function paxInteger(
  records: PaxRecords,
  key: string,
  source: ApkSource,
): number | undefined {
  const value = paxText(records, key, source);
  if (value === undefined) {
    return undefined;
  }
  const number = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(number)) {
    throw new PackageFormatError({
      ...source,
      message: `malformed pax ${key} ${JSON.stringify(value)}`,
    });
  }
  return number;
}

/** A time record (`mtime`), seconds with an optional fraction; whole seconds are kept. */
export function paxSeconds(
  records: PaxRecords,
  key: string,
  source: ApkSource,
): number | undefined {
  const value = paxText(records, key, source);
  if (value === undefined) {
    return undefined;
  }
  const match = /^(-?[0-9]+)(?:\.[0-9]*)?$/.exec(value);
  const seconds = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(seconds)) {
    throw new PackageFormatError({
      ...source,
      message: `malformed pax ${key} ${JSON.stringify(value)}`,
    });
  }
  return seconds;
}
