import { MetadataProblem } from './problem.ts';
import type { RpmComparison, RpmDependency, RpmEvr } from './types.ts';
import type { XmlAttributes } from './xml-stream.ts';

/** Checksum types found in repodata, by the name Node's crypto knows, with their hex length. */
const DIGESTS: ReadonlyMap<string, { readonly algorithm: string; readonly hexLength: number }> =
  new Map([
    ['sha', { algorithm: 'sha1', hexLength: 40 }],
    ['sha1', { algorithm: 'sha1', hexLength: 40 }],
    ['sha224', { algorithm: 'sha224', hexLength: 56 }],
    ['sha256', { algorithm: 'sha256', hexLength: 64 }],
    ['sha384', { algorithm: 'sha384', hexLength: 96 }],
    ['sha512', { algorithm: 'sha512', hexLength: 128 }],
  ]);

export interface Checksum {
  /** `sha1`, `sha256`, ...: usable with `createHash`. */
  readonly type: string;
  /** Lowercase hex. */
  readonly value: string;
}

/** A checksum element's type and value, checked and normalised (`sha` is SHA-1). */
export function parseChecksum(type: string | undefined, value: string, what: string): Checksum {
  const digest = DIGESTS.get((type ?? '').toLowerCase());
  if (digest === undefined) {
    throw new MetadataProblem(
      `${what}: checksum type ${JSON.stringify(type ?? '')} is not supported (supported: ${[...DIGESTS.keys()].join(', ')})`,
    );
  }
  const hex = value.trim().toLowerCase();
  if (hex.length !== digest.hexLength || !/^[0-9a-f]+$/.test(hex)) {
    throw new MetadataProblem(`${what}: ${type} checksum ${JSON.stringify(value)} is not valid`);
  }
  return { type: digest.algorithm, value: hex };
}

/** A non-negative decimal integer attribute or text. */
export function parseCount(value: string | undefined, what: string): number {
  const text = (value ?? '').trim();
  const number = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number)) {
    throw new MetadataProblem(`${what}: ${JSON.stringify(value ?? '')} is not a count`);
  }
  return number;
}

/** Like {@link parseCount}, but 0 when the value is absent. */
export function parseOptionalCount(value: string | undefined, what: string): number {
  return value === undefined ? 0 : parseCount(value, what);
}

/** An RPM epoch: absent or empty means 0; RPM stores it as an unsigned 32-bit integer. */
export function parseEpoch(value: string | undefined, what: string): number {
  if (value === undefined || value === '') return 0;
  const epoch = parseCount(value, what);
  if (epoch > 0xffffffff) throw new MetadataProblem(`${what}: epoch ${epoch} is out of range`);
  return epoch;
}

/** Version and release of a `<version epoch ver rel>` element. */
export function parseEvr(attributes: XmlAttributes, what: string): RpmEvr {
  const version = attributes.get('ver') ?? '';
  const release = attributes.get('rel') ?? '';
  if (version === '') throw new MetadataProblem(`${what}: <version> has no ver`);
  return { epoch: parseEpoch(attributes.get('epoch'), what), version, release };
}

const COMPARISONS: ReadonlySet<string> = new Set(['EQ', 'LT', 'LE', 'GT', 'GE']);

/** One `<rpm:entry>` of a dependency list. Rich dependencies stay raw strings. */
export function parseDependency(attributes: XmlAttributes, what: string): RpmDependency {
  const name = attributes.get('name') ?? '';
  if (name === '') throw new MetadataProblem(`${what}: dependency entry without a name`);
  const flags = attributes.get('flags');
  if (flags !== undefined && !COMPARISONS.has(flags)) {
    throw new MetadataProblem(
      `${what}: dependency ${name} has unknown flags ${JSON.stringify(flags)}`,
    );
  }
  const dependency: { -readonly [K in keyof RpmDependency]: RpmDependency[K] } = { name };
  if (flags !== undefined) dependency.flags = flags as RpmComparison;
  const epoch = attributes.get('epoch');
  if (epoch !== undefined) dependency.epoch = epoch;
  const version = attributes.get('ver');
  if (version !== undefined) dependency.version = version;
  const release = attributes.get('rel');
  if (release !== undefined) dependency.release = release;
  const pre = attributes.get('pre');
  if (pre === '1' || pre === 'true') dependency.pre = true;
  return dependency;
}

/** `name-[epoch:]version-release.arch`, as people write a package. */
export function nevra(name: string, evr: RpmEvr, arch: string): string {
  const epoch = evr.epoch === 0 ? '' : `${evr.epoch}:`;
  return `${name}-${epoch}${evr.version}-${evr.release}.${arch}`;
}
