import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContentStoreError, FINGERPRINTS_FILE, createContentStore } from './content-store.ts';
import type { ContentStore } from './content-store.ts';
import { makeTempDir } from './rootfs.support.ts';
import type { TempDir } from './rootfs.support.ts';

let temp: TempDir;
let store: ContentStore;

beforeEach(() => {
  temp = makeTempDir('store');
  store = createContentStore(join(temp.dir, 'cas'));
});
afterEach(() => temp.cleanup());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('createContentStore', () => {
  it('stores content as a plain file named by its SHA-256 and reads it back', async () => {
    const bytes = Buffer.from('root:x:0:0:root:/root:/bin/sh\n');
    const ref = await store.put(bytes);
    expect(ref).toEqual({ sha256: sha256(bytes), size: bytes.length });
    expect(store.path(ref.sha256)).toBe(join(temp.dir, 'cas', ref.sha256));
    expect(statSync(store.path(ref.sha256)).size).toBe(bytes.length);
    expect(Buffer.from(await store.read(ref.sha256)).equals(bytes)).toBe(true);
    expect(await store.has(ref.sha256)).toBe(true);
    expect(await store.has(sha256(Buffer.from('other')))).toBe(false);
    expect(readdirSync(join(temp.dir, 'cas'))).toEqual([ref.sha256]);
  });

  it('does not write content that is already there, and stores empty and large contents', async () => {
    const bytes = Buffer.alloc(3 << 20, 7);
    const ref = await store.put(bytes);
    const before = statSync(store.path(ref.sha256));
    await store.put(bytes);
    expect(statSync(store.path(ref.sha256)).ino).toBe(before.ino);
    expect((await collect(store.stream(ref.sha256))).equals(bytes)).toBe(true);
    const empty = await store.put(new Uint8Array());
    expect(empty.size).toBe(0);
    expect((await store.read(empty.sha256)).length).toBe(0);
  });

  it('replaces a truncated copy and leaves no temporary files behind, even with concurrent writers', async () => {
    const bytes = Buffer.from('a complete file\n');
    const digest = sha256(bytes);
    await store.put(Buffer.from('seed'));
    writeFileSync(store.path(digest), bytes.subarray(0, 4));
    await Promise.all([store.put(bytes), store.put(bytes), store.put(bytes)]);
    expect(Buffer.from(await store.read(digest)).equals(bytes)).toBe(true);
    expect(readdirSync(join(temp.dir, 'cas')).filter((name) => name.startsWith('.tmp'))).toEqual(
      [],
    );
  });

  it('refuses content that no longer matches its name when nothing can supply it again', async () => {
    const ref = await store.put(Buffer.from('genuine'));
    writeFileSync(store.path(ref.sha256), 'forged!');
    const error = await store.read(ref.sha256).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ContentStoreError);
    expect(error).toMatchObject({
      code: 'content-store-damaged',
      hint: `remove ${store.path(ref.sha256)} and build again`,
    });
    await expect(collect(store.stream(ref.sha256))).rejects.toThrow(/store was modified/);
    expect(() => store.path('../../etc/passwd')).toThrow(ContentStoreError);
  });
});

describe('content stored by an earlier build', () => {
  it('holds: true for a sound copy, of a large content too; false when missing or damaged, left as it is', async () => {
    const small = Buffer.from('small');
    const large = Buffer.alloc(3 << 20, 9);
    const smallRef = await createContentStore(join(temp.dir, 'cas')).put(small);
    const largeRef = await createContentStore(join(temp.dir, 'cas')).put(large);
    expect(await store.holds(smallRef)).toBe(true);
    expect(await store.holds(largeRef)).toBe(true);
    expect(await store.holds({ sha256: sha256(Buffer.from('absent')), size: 6 })).toBe(false);
    const fresh = createContentStore(join(temp.dir, 'cas'));
    writeFileSync(fresh.path(smallRef.sha256), 'SMALL');
    expect(await fresh.holds(smallRef)).toBe(false);
    expect(readdirSync(join(temp.dir, 'cas'))).toContain(smallRef.sha256);
  });

  it('claim: writes a lost or damaged content again from its source, and refuses without one', async () => {
    const bytes = Buffer.from('/usr/lib64\n');
    const ref = await createContentStore(join(temp.dir, 'cas')).put(bytes);
    writeFileSync(store.path(ref.sha256), 'damaged!!!!');
    const warnings: string[] = [];
    const later = createContentStore(join(temp.dir, 'cas'), { warn: (m) => warnings.push(m) });
    await later.claim(ref, {
      describe: 'glibc (glibc.rpm), /etc/ld.so.conf',
      content: () => bytes,
    });
    expect(Buffer.from(await later.read(ref.sha256)).equals(bytes)).toBe(true);
    expect(warnings.join('\n')).toContain('wrote it again from glibc (glibc.rpm)');
    writeFileSync(store.path(ref.sha256), 'damaged!!!!');
    await expect(createContentStore(join(temp.dir, 'cas')).claim(ref)).rejects.toThrow(
      ContentStoreError,
    );
  });
});

describe('fingerprints kept for the next build', () => {
  const cas = () => join(temp.dir, 'cas');
  const fingerprints = () =>
    JSON.parse(readFileSync(join(cas(), FINGERPRINTS_FILE), 'utf8')) as {
      files: Record<string, string>;
    };

  it('keeps those of settled files only, and a later store trusts them until the file changes', async () => {
    const ref = await store.put(Buffer.from('settled'));
    await store.remember();
    expect(fingerprints().files).toEqual({});

    const settledStore = createContentStore(cas(), { settledMs: 0 });
    expect(await settledStore.holds(ref)).toBe(true);
    await settledStore.remember();
    expect(Object.keys(fingerprints().files)).toEqual([ref.sha256]);

    // Same size, other bytes: the change time moves, so the file is hashed again and refused.
    writeFileSync(store.path(ref.sha256), 'SETTLED');
    expect(await createContentStore(cas()).holds(ref)).toBe(false);
  });

  it('trusts a kept fingerprint without reading the file, and ignores a damaged record', async () => {
    const ref = await store.put(Buffer.from('trusted'));
    // A record that names another digest for this very file: only its fingerprint is compared.
    const other = sha256(Buffer.from('other'));
    renameSync(store.path(ref.sha256), store.path(other));
    const info = statSync(store.path(other));
    const print = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    writeFileSync(
      join(cas(), FINGERPRINTS_FILE),
      JSON.stringify({ version: 1, files: { [other]: print } }),
    );
    expect(await createContentStore(cas()).holds({ sha256: other, size: ref.size })).toBe(true);

    writeFileSync(join(cas(), FINGERPRINTS_FILE), '{"version":1,"files":');
    expect(await createContentStore(cas()).holds({ sha256: other, size: ref.size })).toBe(false);
    expect(readdirSync(cas()).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });
});
