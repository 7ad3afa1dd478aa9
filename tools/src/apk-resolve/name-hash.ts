/**
 * apk-tools 2 keeps names in a hash table (MurmurHash3, seed 5381, 20000 buckets) and builds
 * its reverse-dependency lists by walking that table, so the order in which it looks at
 * dependents, and therefore the order it installs install_if packages in, follows the hash.
 * Reproducing the walk lets the install order match apk's exactly.
 */

const SEED = 5381;
const BUCKETS = 20000;

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    bytes[i] = text.charCodeAt(i);
  }
  return bytes;
}

/** MurmurHash3 (x86, 32-bit) of the UTF-8 bytes of `text`. */
export function murmur3(text: string, seed: number = SEED): number {
  const bytes = /^[\x00-\x7f]*$/.test(text) ? asciiBytes(text) : new TextEncoder().encode(text);
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let hash = seed >>> 0;
  const blocks = bytes.length >>> 2;
  for (let i = 0; i < blocks; i++) {
    const at = i * 4;
    let k =
      (bytes[at] ?? 0) |
      ((bytes[at + 1] ?? 0) << 8) |
      ((bytes[at + 2] ?? 0) << 16) |
      ((bytes[at + 3] ?? 0) << 24);
    k = Math.imul(rotateLeft(Math.imul(k, c1), 15), c2);
    hash ^= k;
    hash = (Math.imul(rotateLeft(hash, 13), 5) + 0xe6546b64) | 0;
  }
  const tail = blocks * 4;
  const rest = bytes.length & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) {
      k ^= (bytes[tail + 2] ?? 0) << 16;
    }
    if (rest >= 2) {
      k ^= (bytes[tail + 1] ?? 0) << 8;
    }
    k ^= bytes[tail] ?? 0;
    k = Math.imul(rotateLeft(Math.imul(k, c1), 15), c2);
    hash ^= k;
  }
  hash ^= bytes.length;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The bucket apk puts a name in. */
export function nameBucket(name: string): number {
  return murmur3(name) % BUCKETS;
}

/**
 * Sorts items into apk's table walk: by bucket, and within a bucket the most recently created
 * first. `created` is the creation position of each item.
 */
export function inHashOrder<T>(items: readonly T[], name: (item: T) => string): T[] {
  const keyed = items.map((item, created) => ({ item, created, bucket: nameBucket(name(item)) }));
  keyed.sort((a, b) => a.bucket - b.bucket || b.created - a.created);
  return keyed.map((k) => k.item);
}
