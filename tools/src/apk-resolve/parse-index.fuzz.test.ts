import { readFileSync } from 'node:fs';
import { describe } from 'vitest';
import { PackageFormatError } from '../packages/errors.ts';
import { fixture } from '../test-support/fixtures.ts';
import { fc, fuzzTest, mutatedLines } from '../test-support/fuzz.ts';
import { parseApkIndexText } from './parse-index.ts';

const SOURCE = { repository: 'https://example.org/main', file: 'main/x86_64/APKINDEX' };

/** The plain-text indexes of the fixtures, and the first records of each. */
const SEEDS = ['apko-base-image/x86_64', 'apko-base-image/aarch64', 'go-apk-sample/extracted'].map(
  (dir) => readFileSync(fixture('apkindex', 'synthetic', dir, 'APKINDEX'), 'utf8'),
);

const LETTERS = 'CPVASITULomtcDpirkqFMRaZXz';
const depWord = fc.oneof(
  fc.stringMatching(
    /^!?[a-z][a-z0-9._+-]{0,8}(:[a-z0-9._-]{1,8})?([<>=~]{1,2}[0-9][0-9a-z._-]{0,6})?$/,
  ),
  fc.string({ maxLength: 12 }),
);
/** Lines of the APKINDEX grammar with plausible and hostile values. */
const fieldLine = fc.oneof(
  fc
    .tuple(fc.constantFrom(...LETTERS), fc.string({ maxLength: 30 }))
    .map(([letter, value]) => `${letter}:${value}`),
  fc
    .tuple(fc.constantFrom('D', 'p', 'i', 'r'), fc.array(depWord, { maxLength: 4 }))
    .map(([letter, words]) => `${letter}:${words.join(' ')}`),
  fc
    .tuple(
      fc.constantFrom('S', 'I', 't', 'k', 'q'),
      fc.oneof(fc.nat().map(String), fc.constantFrom('9007199254740993', '-1', '1e3', '')),
    )
    .map(([letter, value]) => `${letter}:${value}`),
  fc.constant(''),
);

describe('APKINDEX text fuzz', () => {
  fuzzTest('APKINDEX text parses into records or is refused with the line', {
    parser: 'APKINDEX text',
    runs: 5000,
    inputs: mutatedLines(SEEDS, fieldLine, { maxMutations: 8 }),
    parse: (text) => parseApkIndexText(text, SOURCE),
    errors: [PackageFormatError],
  });
});
