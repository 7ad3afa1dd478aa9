import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageVerifyError } from '../packages/errors.ts';
import { streamRpmEntries } from './stream.ts';
import { verifyRpm } from './verify.ts';
import { contentBytes } from '../packages/content.ts';
import { SigTag, Tag } from './tags.ts';
import {
  buildRpm,
  cpioArchive,
  i64,
  newcMember,
  packageTags,
  sha256,
  str,
  strippedMember,
  strs,
  type TagSpec,
  type TestFile,
} from './test-builder.ts';
import { ScratchPackages } from './test-scratch.ts';

const scratch = new ScratchPackages();
beforeAll(() => scratch.open('leviso-rpm-layouts-'));
afterAll(() => scratch.close());
const extract = scratch.extract.bind(scratch);
const failure = scratch.failure.bind(scratch);

const text = (value: string) => Buffer.from(value);
const FILE_A: TestFile = { path: '/a', content: text('hello') };

describe('streaming a stripped payload', () => {
  const files: TestFile[] = [
    FILE_A,
    { path: '/d', mode: 0o040755 },
    { path: '/l', mode: 0o120777, linkTo: 'a', size: 1 },
  ];

  it('takes sizes from the header', async () => {
    const archive = cpioArchive(
      strippedMember(1, text('')),
      strippedMember(0, text('hello')),
      strippedMember(2, text('a')),
    );
    const { items } = await extract(files, archive);
    expect(items).toEqual([
      ['directory /d', undefined],
      ['file /a', 'hello'],
      ['symlink /l', undefined],
    ]);
  });

  it('refuses file indexes outside the header', async () => {
    const error = await failure(files, cpioArchive(strippedMember(7, text(''))));
    expect(error.message).toMatch(/file index 7, which the header does not list/);
  });
});

describe('hardlinks', () => {
  it('attributes hardlink content to the set member listed last, whatever the archive order', async () => {
    const content = text('shared');
    const files: TestFile[] = [
      { path: '/h1', content, inode: 9 },
      { path: '/h2', content, inode: 9 },
    ];
    const { items } = await extract(
      files,
      cpioArchive(newcMember('./h1', 0o100644, content), newcMember('./h2', 0o100644, text(''))),
    );
    expect(items).toEqual([
      ['file /h2', 'shared'],
      ['hardlink /h1', undefined],
    ]);
  });

  it('takes the content from the carrier in a stripped payload and defers the other members', async () => {
    const content = text('shared');
    const files: TestFile[] = [
      { path: '/h1', content, inode: 9 },
      { path: '/h2', content, inode: 9 },
    ];
    const archive = cpioArchive(strippedMember(0, text('')), strippedMember(1, content));
    const { items } = await extract(files, archive);
    expect(items).toEqual([
      ['file /h2', 'shared'],
      ['hardlink /h1', undefined],
    ]);
  });

  it('refuses a set whose content never comes', async () => {
    const files: TestFile[] = [
      { path: '/h1', content: text('x'), inode: 9 },
      { path: '/h2', content: text('x'), inode: 9 },
    ];
    const archive = cpioArchive(
      newcMember('./h1', 0o100644, text('')),
      newcMember('./h2', 0o100644, text('')),
    );
    expect((await failure(files, archive)).message).toMatch(
      /holds no content for the hardlinks of "\/h2"/,
    );
  });
});

describe('digests around the payload', () => {
  const archive = cpioArchive(newcMember('./a', 0o100644, text('hello')));

  it('checks PAYLOADDIGEST and PAYLOADDIGESTALT', async () => {
    const good: TagSpec[] = [
      [Tag.PAYLOADDIGEST, strs(sha256(archive))],
      [Tag.PAYLOADDIGESTALT, strs(sha256(archive))],
    ];
    expect((await extract([FILE_A], archive, { extra: good })).items).toHaveLength(1);
    const bad: TagSpec[] = [[Tag.PAYLOADDIGESTALT, strs('0'.repeat(64))]];
    const error = await failure([FILE_A], archive, { extra: bad });
    expect(error).toBeInstanceOf(PackageVerifyError);
    expect(error.message).toMatch(/payload-sha256-uncompressed is [0-9a-f]{64}, expected 0{64}/);
  });

  it('leaves the uncompressed digest to extraction only when asked to, and extraction checks it', async () => {
    const tags: TagSpec[] = [
      [Tag.PAYLOADDIGEST, strs(sha256(archive))],
      [Tag.PAYLOADDIGESTALT, strs('0'.repeat(64))],
    ];
    const file = await scratch.write(
      buildRpm({ header: packageTags([FILE_A], tags), payload: archive }),
    );
    const uncompressed = /payload-sha256-uncompressed is [0-9a-f]{64}, expected 0{64}/;
    await expect(verifyRpm(file, { requireSignature: false })).rejects.toThrow(uncompressed);
    const report = await verifyRpm(file, {
      requireSignature: false,
      uncompressedCheckedOnExtraction: true,
    });
    expect(report.digests.map((check) => check.name)).toEqual(
      expect.arrayContaining(['header-sha256', 'payload-sha256']),
    );
    expect(report.digests.map((check) => check.name)).not.toContain('payload-sha256-uncompressed');
    const extraction = async () => {
      for await (const { content } of streamRpmEntries(file))
        if (content) await contentBytes(content);
    };
    await expect(extraction()).rejects.toThrow(uncompressed);
  });

  it('checks the header digest before yielding anything', async () => {
    const signature: TagSpec[] = [[SigTag.SHA256, str('1'.repeat(64))]];
    const file = await scratch.write(
      buildRpm({ header: packageTags([FILE_A]), payload: archive, signature, headerDigest: false }),
    );
    const seen: string[] = [];
    const run = async () => {
      for await (const { entry } of streamRpmEntries(file)) seen.push(entry.path);
    };
    await expect(run()).rejects.toThrow(/header-sha256 is [0-9a-f]{64}, expected 1{64}/);
    expect(seen).toEqual([]);
  });

  it('checks the v6 payload sizes', async () => {
    const sizes: TagSpec[] = [[Tag.PAYLOADSIZE, i64(archive.length + 1)]];
    const error = await failure([FILE_A], archive, { extra: sizes });
    expect(error.message).toContain(
      `payload-size is ${archive.length}, expected ${archive.length + 1}`,
    );
  });
});
