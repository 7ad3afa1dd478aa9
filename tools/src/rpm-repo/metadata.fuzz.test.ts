import { describe } from 'vitest';
import { PackageFormatError } from '../packages/errors.ts';
import { chunkCuts, chunked, fc, fuzzTest, mutatedLines } from '../test-support/fuzz.ts';
import { parseComps } from './comps.ts';
import { COMPS, FILELISTS, PRIMARY, REPOMD } from './metadata-fuzz.support.ts';
import { parseFilelists } from './filelists.ts';
import { parsePrimary } from './primary.ts';
import { parseRepomd } from './repomd-parse.ts';

/** Lines that XML parsers and these visitors have to cope with. */
const xmlLine = fc.oneof(
  fc.constantFrom(
    '<package type="rpm"><name>x</name></package>',
    '<rpm:entry name="a" flags="GE" epoch="99999999999999999999" ver="1" rel="1"/>',
    '<rpm:entry name="" flags="XX"/>',
    '<version epoch="-1" ver="" rel="1"/>',
    '<checksum type="sha999" pkgid="YES">zz</checksum>',
    '<location href="../../etc/passwd"/>',
    '<location href="/abs" xml:base="http://x/"/>',
    '<rpm:header-range start="10" end="2"/>',
    '<file type="dir"></file>',
    '<packagereq type="conditional">x</packagereq>',
    '<data type="primary"><location href="a.xml.gz"/></data>',
    '<size>18446744073709551616</size>',
    '<timestamp>1.5e3</timestamp>',
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    '&b;&b;&b;',
    '<![CDATA[ ]]>',
    '<?xml version="1.0" encoding="ISO-8859-1"?>',
    '<a xmlns:rpm="http://other/">',
  ),
  fc.string({ maxLength: 40 }),
);

const document = (seeds: string[]) =>
  fc.tuple(mutatedLines(seeds, xmlLine, { maxMutations: 8 }), chunkCuts, fc.boolean());

/** The document as a stream of byte chunks (split anywhere, even inside a character) or strings. */
function input([text, cuts, asText]: [string, number[], boolean]): (Uint8Array | string)[] {
  const bytes = new TextEncoder().encode(text);
  const chunks = chunked(bytes, cuts);
  return asText ? chunks.map((chunk) => new TextDecoder().decode(chunk)) : chunks;
}

async function drain(records: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of records) count += 1;
  return count;
}

const MAX_BYTES = 4 << 20;
const ERRORS = [PackageFormatError];
const bytesOf = ([text]: [string, number[], boolean]) => new TextEncoder().encode(text);

describe('repository metadata fuzz', () => {
  fuzzTest('repomd.xml parses or is refused', {
    parser: 'repomd.xml',
    runs: 4000,
    inputs: document(REPOMD),
    parse: (doc) =>
      parseRepomd(new TextEncoder().encode(doc[0]), {
        repository: 'fuzz',
        file: 'repodata/repomd.xml',
        kind: 'repomd.xml',
      }),
    bytesOf,
    errors: ERRORS,
  });

  fuzzTest('primary.xml streams packages or is refused', {
    parser: 'primary.xml',
    runs: 3000,
    inputs: document(PRIMARY),
    parse: (doc) => drain(parsePrimary(input(doc), 'fuzz', { maxBytes: MAX_BYTES })),
    bytesOf,
    errors: ERRORS,
  });

  fuzzTest('filelists.xml streams packages or is refused', {
    parser: 'filelists.xml',
    runs: 3000,
    inputs: document(FILELISTS),
    parse: (doc) => drain(parseFilelists(input(doc), 'fuzz', { maxBytes: MAX_BYTES })),
    bytesOf,
    errors: ERRORS,
  });

  fuzzTest('comps parses groups and environments or is refused', {
    parser: 'comps.xml',
    runs: 3000,
    inputs: document(COMPS),
    parse: (doc) => parseComps(input(doc), { repository: 'fuzz', maxBytes: MAX_BYTES }),
    bytesOf,
    errors: ERRORS,
  });
});
