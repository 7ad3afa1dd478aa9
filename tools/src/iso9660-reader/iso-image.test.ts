import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsoFormatError, IsoPathError, openIsoImage } from './index.ts';
import type { IsoImage } from './index.ts';
import {
  continuationEntry,
  handmadeIso,
  makeIso,
  makeRelocatedIso,
  suspEntry,
} from './test-images.support.ts';

const LONG_NAME = 'A-Rather-Long-Mixed-Case-Name-Only-Rock-Ridge-Keeps.Intact.txt';
/** Too long for a record's system use area: its NM entry goes on in a continuation area. */
const LONGEST_NAME = `${'Continued-'.repeat(24)}.txt`;
const DEEP = 'deep/a/b/c/d/e/f/g/h/i/j';
const MANY = 300;

let work: string;
let source: string;
/** Every regular file of the source tree, relative to it. */
let files: string[];

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function withImage<T>(file: string, use: (image: IsoImage) => Promise<T>): Promise<T> {
  const image = await openIsoImage(file);
  try {
    return await use(image);
  } finally {
    await image.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'iso9660-'));
  source = join(work, 'tree');
  await mkdir(join(source, 'BaseOS', 'repodata'), { recursive: true });
  await mkdir(join(source, DEEP), { recursive: true });
  await mkdir(join(source, 'many'));
  await writeFile(join(source, 'BaseOS', 'repodata', 'repomd.xml'), '<repomd/>\n');
  await writeFile(join(source, LONG_NAME), 'long name\n');
  await mkdir(join(source, 'longest'));
  await writeFile(join(source, 'longest', LONGEST_NAME), 'longest name\n');
  await writeFile(join(source, DEEP, 'Deep-File.txt'), 'at the bottom\n');
  await writeFile(join(source, 'empty'), '');
  // Many sectors, not a multiple of the block size.
  await writeFile(join(source, 'big.bin'), randomBytes(300 * 2048 + 123));
  for (let index = 0; index < MANY; index += 1) {
    await writeFile(
      join(source, 'many', `file-${String(index).padStart(4, '0')}.txt`),
      `${index}\n`,
    );
  }
  await symlink('BaseOS/repodata', join(source, 'to-repodata'));
  await symlink('/etc/os-release', join(source, 'absolute-link'));
  const entries = await readdir(source, { recursive: true, withFileTypes: true });
  files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(source, join(entry.parentPath, entry.name)))
    .sort();
  await makeIso(source, join(work, 'rr-joliet.iso'), ['-R', '-J', '-joliet-long']);
  await makeIso(source, join(work, 'joliet.iso'), ['--norock', '-J', '-joliet-long']);
  await makeIso(source, join(work, 'plain.iso'), ['--norock', '-iso-level', '3']);
  await makeRelocatedIso(source, join(work, 'relocated.iso'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.each([
  ['rr-joliet.iso', 'rock-ridge'],
  ['joliet.iso', 'joliet'],
  ['relocated.iso', 'rock-ridge'],
] as const)('%s', (name, naming) => {
  it(`reads ${naming} names and every file's bytes`, async () => {
    await withImage(join(work, name), async (image) => {
      expect(image.naming).toBe(naming);
      // Joliet names stop at 103 characters.
      const named = files.filter((file) => naming === 'rock-ridge' || !file.includes(LONGEST_NAME));
      expect(named.length).toBeGreaterThan(MANY);
      for (const file of named) {
        const entry = await image.stat(file);
        expect(entry.type, file).toBe('file');
        const original = await readFile(join(source, file));
        expect(entry.size, file).toBe(original.length);
        const read = await collect(await image.createReadStream(file, { chunkSize: 4096 }));
        expect(read.equals(original), file).toBe(true);
      }
    });
  });

  it('lists a directory whose records fill several sectors', async () => {
    await withImage(join(work, name), async (image) => {
      const names = (await image.list('many')).map((entry) => entry.name);
      expect(names).toHaveLength(MANY);
      expect(names).toContain('file-0299.txt');
      expect((await image.list('/')).map((entry) => entry.name)).toEqual(
        expect.arrayContaining(['BaseOS', 'big.bin', 'deep', 'empty', LONG_NAME]),
      );
    });
  });
});

describe('Rock Ridge', () => {
  it('reports symlinks with their targets and refuses to read them', async () => {
    await withImage(join(work, 'rr-joliet.iso'), async (image) => {
      expect(await image.stat('to-repodata')).toMatchObject({
        type: 'symlink',
        target: 'BaseOS/repodata',
      });
      expect(await image.stat('absolute-link')).toMatchObject({
        type: 'symlink',
        target: '/etc/os-release',
      });
      const error = await failure(image.createReadStream('to-repodata'));
      expect((error as IsoPathError).code).toBe('EINVAL');
    });
  });

  it('finds directories moved out of a deep tree through their child links', async () => {
    expect((await readFile(join(work, 'relocated.iso'))).includes('RR_MOVED')).toBe(true);
    await withImage(join(work, 'relocated.iso'), async (image) => {
      expect((await image.list(DEEP)).map((entry) => entry.name)).toEqual(['Deep-File.txt']);
    });
  });

  it('looks names up case-sensitively', async () => {
    await withImage(join(work, 'rr-joliet.iso'), async (image) => {
      expect((await image.stat('BaseOS/repodata/repomd.xml')).size).toBe(10);
      const error = await failure(image.stat('baseos/repodata/repomd.xml'));
      expect(error).toBeInstanceOf(IsoPathError);
      expect((error as IsoPathError).code).toBe('ENOENT');
    });
  });
});

describe('SUSP entries written by hand', () => {
  it('honours the SP skip length, split NM and SL entries and continuation areas', async () => {
    const text = (value: string) => new TextEncoder().encode(value);
    const nm = (flags: number, value: string) =>
      suspEntry('NM', Uint8Array.of(flags, ...text(value)));
    const component = (flags: number, value: string) => [flags, value.length, ...text(value)];
    // SL entries: `/usr/lib` then `64/x` continuing the last component → `/usr/lib64/x`.
    const slFirst = suspEntry(
      'SL',
      Uint8Array.of(
        0x01,
        ...component(0x08, ''),
        ...component(0, 'usr'),
        ...component(0x01, 'lib'),
      ),
    );
    const slSecond = suspEntry('SL', Uint8Array.of(0, ...component(0, '64'), ...component(0, 'x')));
    // The area starts 8 bytes into its block, after bytes that belong to something else.
    const continuation = Buffer.concat([
      Buffer.alloc(8, 0xff),
      slFirst,
      slSecond,
      suspEntry('ST', new Uint8Array(0)),
    ]);
    const skip = Uint8Array.of(0xaa, 0xbb);
    const file = join(work, 'susp.iso');
    await writeFile(
      file,
      handmadeIso(
        [
          {
            identifier: 'MIXED.TXT;1',
            extents: [Buffer.from('mixed\n')],
            systemUse: Buffer.concat([skip, nm(0x01, 'Mixed-Case'), nm(0, '-Name.txt')]),
          },
          {
            identifier: 'LINK.;1',
            extents: [new Uint8Array(0)],
            systemUse: Buffer.concat([
              skip,
              nm(0, 'Link'),
              continuationEntry(8, continuation.length - 8),
            ]),
          },
        ],
        {
          rootSystemUse: suspEntry('SP', Uint8Array.of(0xbe, 0xef, skip.length)),
          continuation,
        },
      ),
    );
    await withImage(file, async (image) => {
      expect(image.naming).toBe('rock-ridge');
      expect((await image.list('')).map((entry) => entry.name)).toEqual([
        'Mixed-Case-Name.txt',
        'Link',
      ]);
      expect((await collect(await image.createReadStream('Mixed-Case-Name.txt'))).toString()).toBe(
        'mixed\n',
      );
      expect(await image.stat('Link')).toMatchObject({ type: 'symlink', target: '/usr/lib64/x' });
    });
  });
});

describe('plain ISO 9660', () => {
  it('strips versions and trailing dots from the names', async () => {
    await withImage(join(work, 'plain.iso'), async (image) => {
      expect(image.naming).toBe('iso9660');
      const root = (await image.list('')).map((entry) => entry.name);
      expect(root).toEqual(expect.arrayContaining(['BASEOS', 'BIG.BIN', 'EMPTY', 'MANY']));
      expect(root.some((entry) => entry.includes(';') || entry.endsWith('.'))).toBe(false);
      const repomd = await collect(await image.createReadStream('BASEOS/REPODATA/REPOMD.XML'));
      expect(repomd.toString()).toBe('<repomd/>\n');
      const big = await collect(await image.createReadStream('BIG.BIN'));
      expect(big.equals(await readFile(join(source, 'big.bin')))).toBe(true);
      expect((await image.stat('EMPTY')).size).toBe(0);
      expect(await collect(await image.createReadStream('EMPTY'))).toHaveLength(0);
    });
  });
});

describe('multi-extent files', () => {
  it('joins the extents of a file in the order of its records', async () => {
    const parts = [randomBytes(2048 * 3), randomBytes(2048), randomBytes(777)];
    const file = join(work, 'multi.iso');
    await writeFile(
      file,
      handmadeIso([
        { identifier: 'BIG.;1', extents: parts },
        { identifier: 'SMALL.TXT;1', extents: [Buffer.from('small\n')] },
      ]),
    );
    await withImage(file, async (image) => {
      expect((await image.list('')).map((entry) => entry.name)).toEqual(['BIG', 'SMALL.TXT']);
      const big = await image.stat('BIG');
      expect(big.extents).toHaveLength(3);
      expect(big.size).toBe(2048 * 4 + 777);
      const read = await collect(await image.createReadStream(big, { chunkSize: 1000 }));
      expect(read.equals(Buffer.concat(parts))).toBe(true);
      expect((await collect(await image.createReadStream('SMALL.TXT'))).toString()).toBe('small\n');
    });
  });
});

describe('errors', () => {
  it('refuses a file that is not an ISO 9660 image, naming it', async () => {
    for (const [name, bytes] of [
      ['random.bin', randomBytes(40 * 2048)],
      ['tiny.bin', Buffer.from('not an image')],
    ] as const) {
      const file = join(work, name);
      await writeFile(file, bytes);
      const error = await failure(openIsoImage(file));
      expect(error).toBeInstanceOf(IsoFormatError);
      expect((error as IsoFormatError).code).toBe('iso-not-iso9660');
      expect((error as IsoFormatError).message).toContain(file);
    }
  });

  it('reports missing paths and paths through files like the file system does', async () => {
    await withImage(join(work, 'rr-joliet.iso'), async (image) => {
      const missing = await failure(image.stat('AppStream/repodata/repomd.xml'));
      expect((missing as IsoPathError).code).toBe('ENOENT');
      expect((missing as Error).message).toContain(join(work, 'rr-joliet.iso'));
      expect((missing as Error).message).toContain('AppStream');
      const through = await failure(image.stat('empty/x'));
      expect((through as IsoPathError).code).toBe('ENOTDIR');
      const directory = await failure(image.createReadStream('BaseOS'));
      expect((directory as IsoPathError).code).toBe('EISDIR');
    });
  });

  it('names the image when a directory record is damaged', async () => {
    const cases: [string, (records: Uint8Array[]) => Uint8Array[]][] = [
      ['short-record.iso', (records) => [Uint8Array.of(10, ...new Uint8Array(9)), ...records]],
      ['cut-multi-extent.iso', (records) => records.slice(0, 1)],
    ];
    for (const [name, damage] of cases) {
      const file = join(work, name);
      await writeFile(
        file,
        handmadeIso([{ identifier: 'BIG.BIN;1', extents: [randomBytes(10), randomBytes(10)] }], {
          damage,
        }),
      );
      const error = await failure(withImage(file, (image) => image.list('')));
      expect(error, name).toBeInstanceOf(IsoFormatError);
      expect((error as IsoFormatError).code, name).toBe('iso-corrupt');
      expect((error as IsoFormatError).message, name).toContain(file);
    }
  });

  it('fails reading a file that runs past the end of a truncated image', async () => {
    const whole = handmadeIso([{ identifier: 'DATA.BIN;1', extents: [randomBytes(5000)] }]);
    const file = join(work, 'truncated.iso');
    await writeFile(file, whole.subarray(0, whole.length - 2048));
    const error = await failure(
      withImage(file, async (image) => collect(await image.createReadStream('DATA.BIN'))),
    );
    expect((error as IsoFormatError).code).toBe('iso-corrupt');
    expect((error as Error).message).toContain(file);
  });
});
