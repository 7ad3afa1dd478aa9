import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PackageFormatError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { splitGzipMembers } from './index.ts';

const bytes = (...parts: string[]) => readFileSync(fixture(...parts));

describe('splitGzipMembers', () => {
  it('splits a signed package into signature, control and data members', () => {
    const members = splitGzipMembers(bytes('apk', 'alpine', 'test_alpine.apk'));
    expect(members).toEqual([
      { start: 0, end: 407, inflatedSize: 1024 },
      { start: 407, end: 905, inflatedSize: 1536 },
      { start: 905, end: 2874, inflatedSize: 10240 },
    ]);
  });

  it('finds data spread over several members (melange splits at 1 MiB)', () => {
    const members = splitGzipMembers(bytes('apk', 'synthetic', 'apko', 'tzdata-2023c-r0.apk'));
    expect(members).toHaveLength(6);
    expect(members.at(-1)?.end).toBe(536_352);
    members.slice(1).forEach((member, index) => expect(member.start).toBe(members[index]?.end));
  });

  it('splits an APKINDEX into signature and index members', () => {
    const index = bytes('apkindex', 'alpine-316', 'APKINDEX.tar.gz');
    expect(splitGzipMembers(index).map((m) => [m.start, m.end])).toEqual([
      [0, 667],
      [667, 655_754],
    ]);
  });

  it('reads member headers with a file name, comment and extra field', () => {
    const plain = gzipSync(Buffer.from('hello'));
    const flagged = Buffer.concat([
      Buffer.from([0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3, 2, 0, 0xaa, 0xbb]),
      Buffer.from('name\0comment\0'),
      plain.subarray(10),
    ]);
    const members = splitGzipMembers(Buffer.concat([flagged, plain]));
    expect(members).toEqual([
      { start: 0, end: flagged.length, inflatedSize: 5 },
      { start: flagged.length, end: flagged.length + plain.length, inflatedSize: 5 },
    ]);
  });

  it.each([
    ['an empty input', Buffer.alloc(0)],
    ['a truncated member', gzipSync(Buffer.from('x'.repeat(1000))).subarray(0, 20)],
    ['trailing garbage', Buffer.concat([gzipSync(Buffer.from('a')), Buffer.from('garbage!!!!!')])],
    ['a non-gzip input', Buffer.from('this is not gzip data at all')],
  ])('refuses %s', (_what, input) => {
    expect(() => splitGzipMembers(input, { file: 'x.apk' })).toThrow(PackageFormatError);
  });

  it('checks the CRC of each member', () => {
    const member = Buffer.from(gzipSync(Buffer.from('payload')));
    member[member.length - 8] = (member[member.length - 8] ?? 0) ^ 0xff;
    expect(() => splitGzipMembers(member)).toThrow(/CRC/);
  });

  it('bounds the member count and the inflated size', () => {
    const one = gzipSync(Buffer.from('a'));
    expect(() => splitGzipMembers(Buffer.concat([one, one, one]), { maxMembers: 2 })).toThrow(
      /more than 2 gzip members/,
    );
    const bomb = gzipSync(Buffer.alloc(1 << 20));
    expect(() => splitGzipMembers(bomb, { maxMemberBytes: 1024 })).toThrow(/inflates past 1024/);
  });
});
