import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { PackageFormatError } from '../packages/errors.ts';
import { tarBytes } from '../apk/apk-builder.support.ts';
import { rewriteIndexWithApk, seededRandom, shuffled } from '../apk/apk-index.support.ts';
import type { IndexedFile } from '../apk/apk-index.support.ts';
import { alpineChrootReference, useAlpineChroot } from '../test-support/alpine-chroot.ts';
import { describeWithReference } from '../test-support/reference-suite.ts';
import { parseApkIndexText } from './parse-index.ts';
import { viewOfRecord } from './test-support/apk-index-view.ts';
import type { ApkIndexView } from './test-support/apk-index-view.ts';

const APK = alpineChrootReference("Alpine's apk 2.14");

type Line = readonly [string, string];

function checksum(random: () => number): string {
  const bytes = Buffer.from(Array.from({ length: 20 }, () => Math.floor(random() * 256)));
  return `Q1${bytes.toString('base64')}`;
}

/** Lines a generated record draws from: repeats of single fields, lists, unknown letters. */
function linePool(n: number, random: () => number): Line[] {
  return [
    ['C', checksum(random)],
    ['C', checksum(random)],
    ['P', `rec-${n}`],
    ['P', `rec-${n}-renamed`],
    ['V', `1.${n}-r0`],
    ['V', `2.${n}-r1`],
    ['A', 'x86_64'],
    ['A', 'noarch'],
    ['S', String(n + 1)],
    ['S', String(n + 40)],
    ['I', '4096'],
    ['I', '8192'],
    ['T', 'first description'],
    ['T', 'second: with a colon'],
    ['U', 'https://one.example/'],
    ['U', ''],
    ['L', 'MIT'],
    ['L', 'Apache-2.0'],
    ['L', 'GPL-2.0-only'],
    ['o', `rec-${n}`],
    ['o', 'other-origin'],
    ['m', 'A <a@example.org>'],
    ['m', 'B <b@example.org>'],
    ['t', '1600000000'],
    ['t', '1700000000'],
    ['c', 'a'.repeat(40)],
    ['c', 'b'.repeat(40)],
    ['k', '10'],
    ['k', '20'],
    ['D', 'so:libc.musl-x86_64.so.1'],
    ['D', 'cmd:sh busybox>=1.36'],
    ['D', '!conflicting'],
    ['p', `cmd:rec-${n}=1`],
    ['p', `so:librec${n}.so.1=1`],
    ['i', 'base docs'],
    ['i', 'extra'],
    ['x', 'unknown lower case'],
    ['z', 'another'],
    ['X', 'unknown upper case'],
    ['r', 'old'],
    ['q', '5'],
    ['F', 'etc'],
    ['R', 'file'],
  ];
}

/** A random subset of the pool in a random order, with the fields apk needs to match a file. */
function generated(n: number): { text: string; file: IndexedFile } {
  const random = seededRandom(n);
  const pool = linePool(n, random);
  const lines = pool.filter(() => random() < 0.75);
  for (const letter of ['C', 'P', 'V', 'S']) {
    if (!lines.some(([l]) => l === letter)) {
      lines.push(pool.find(([l]) => l === letter) as Line);
    }
  }
  const order = shuffled(lines, random);
  const last = (letter: string) => order.filter(([l]) => l === letter).at(-1)?.[1] ?? '';
  return {
    text: `${order.map(([letter, value]) => `${letter}:${value}\n`).join('')}\n`,
    // The file apk matches the record to: named by the last P: and V:, sized by the last S:.
    file: { name: last('P'), version: last('V'), size: Number(last('S')) },
  };
}

const byChecksum = (text: string): Map<string | undefined, ApkIndexView> =>
  new Map(
    parseApkIndexText(text, { repository: 'test', file: 'APKINDEX' }).map((record) => [
      record.checksum,
      viewOfRecord(record),
    ]),
  );

interface BrokenIndex {
  readonly name: string;
  readonly text: string;
  /** What `apk update` says of the index: measured, and checked again here. */
  readonly apk: 'OK' | 'format error';
  /** Why we refuse what apk reads. */
  readonly reason?: string;
}

const BROKEN: readonly BrokenIndex[] = [
  { name: 'a record without P:', text: 'V:1\nS:1\n\n', apk: 'format error' },
  { name: 'a record without V:', text: 'P:a\nS:1\n\n', apk: 'format error' },
  { name: 'a line without a colon', text: 'P:a\nV:1\nnonsense\n\n', apk: 'format error' },
  { name: 'an unknown upper-case field', text: 'P:a\nV:1\nX:future\n\n', apk: 'OK' },
  {
    name: 'a one-character line',
    text: 'P:a\nV:1\nx\nP:b\nV:2\n\n',
    apk: 'OK',
    reason: 'apk takes any line shorter than two bytes for a record separator',
  },
  {
    name: 'a number with letters',
    text: 'P:a\nV:1\nS:12k\n\n',
    apk: 'OK',
    reason: 'apk reads the leading digits and drops the rest',
  },
];

describeWithReference(APK, 'APKINDEX fields against Alpine apk 2.14 (chroot)', () => {
  const chroot = useAlpineChroot();

  it('reads every generated record as apk reads and writes it back', async () => {
    const records = Array.from({ length: 24 }, (_, n) => generated(n + 1));
    const text = records.map((record) => record.text).join('');
    const rewritten = await rewriteIndexWithApk(
      chroot(),
      text,
      records.map((record) => record.file),
      '/tmp/index-fields',
    );
    const ours = byChecksum(text);
    expect(ours.size).toBe(records.length);
    expect(ours).toEqual(byChecksum(rewritten));
  });

  for (const [n, entry] of BROKEN.entries()) {
    it(`gives an index with ${entry.name} apk's verdict or a pinned refusal`, async () => {
      const repository = `/tmp/broken-index-${n}`;
      await mkdir(chroot().host(join(repository, 'x86_64')), { recursive: true });
      await writeFile(
        chroot().host(join(repository, 'x86_64', 'APKINDEX.tar.gz')),
        gzipSync(tarBytes([{ name: 'APKINDEX', content: entry.text }])),
      );
      const result = await chroot().apk([
        '--allow-untrusted',
        '--repository',
        repository,
        'update',
      ]);
      const apk = (result.stdout + result.stderr).includes('format error') ? 'format error' : 'OK';
      let ours = 'OK';
      try {
        parseApkIndexText(entry.text, { repository, file: 'APKINDEX' });
      } catch (error) {
        if (!(error instanceof PackageFormatError)) throw error;
        ours = 'format error';
      }
      expect({ apk, ours }).toEqual({
        apk: entry.apk,
        ours: entry.reason === undefined ? entry.apk : 'format error',
      });
    });
  }
});
