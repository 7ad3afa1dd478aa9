import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe } from 'vitest';
import { compress as zstdCompress } from 'zstd-napi';
import { PackageFormatError, PackageVerifyError } from '../packages/errors.ts';
import { fc, fuzzTest, mutatedBytes, mutatedLines } from '../test-support/fuzz.ts';
import { COMPRESSED, COMPS, FILELISTS, PRIMARY } from './metadata-fuzz.support.ts';
import { MetadataMissingError } from './problem.ts';
import { loadRpmRepository } from './repository.ts';
import type { RepoSource } from './source.ts';

/**
 * Whole repositories as a hostile mirror could serve them: repomd.xml lists each file with the
 * size and checksum of the bytes served, so every check on the stored bytes passes and the
 * decompressors and XML readers meet the damage (mutated XML, or mutated compressed data).
 */

interface StoredFile {
  readonly extension: string;
  readonly bytes: Uint8Array;
}

const CODECS: readonly {
  readonly extension: string;
  readonly pack: (x: Uint8Array) => Uint8Array;
}[] = [
  { extension: '', pack: (xml) => xml },
  { extension: '.gz', pack: (xml) => gzipSync(xml) },
  { extension: '.zst', pack: (xml) => zstdCompress(xml) },
];

/** A metadata file: valid, mutated XML compressed, or compressed data (of any codec) mutated. */
function storedFile(seeds: string[]): fc.Arbitrary<StoredFile> {
  const mutatedXml = fc
    .tuple(
      mutatedLines(seeds, fc.string({ maxLength: 40 }), { maxMutations: 4 }),
      fc.constantFrom(...CODECS),
    )
    .map(([xml, codec]) => ({
      extension: codec.extension,
      bytes: codec.pack(new TextEncoder().encode(xml)),
    }));
  const packed = seeds.flatMap((xml) =>
    CODECS.slice(1).map((codec) => ({
      extension: codec.extension,
      bytes: codec.pack(new TextEncoder().encode(xml)),
    })),
  );
  const all = [
    ...packed,
    ...COMPRESSED.map((file) => ({ extension: `.${file.extension}`, bytes: file.bytes })),
  ];
  const mutatedPacked = fc.nat({ max: all.length - 1 }).chain((index) => {
    const file = all[index] ?? { extension: '', bytes: new Uint8Array() };
    return mutatedBytes([file.bytes], { maxMutations: 3 }).map(({ bytes }) => ({
      extension: file.extension,
      bytes,
    }));
  });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...packed) },
    { weight: 3, arbitrary: mutatedXml },
    { weight: 3, arbitrary: mutatedPacked },
  );
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function dataEntry(type: string, name: string, file: StoredFile, wrongExtension: boolean): string {
  const location = `repodata/${name}.xml${wrongExtension ? '.gz' : file.extension}`;
  return `  <data type="${type}">
    <checksum type="sha256">${sha256(file.bytes)}</checksum>
    <location href="${location}"/>
    <size>${file.bytes.length}</size>
  </data>`;
}

interface Repository {
  readonly files: Map<string, Uint8Array>;
}

const repositories: fc.Arbitrary<Repository> = fc
  .record({
    primary: storedFile(PRIMARY),
    filelists: storedFile(FILELISTS),
    comps: fc.option(storedFile(COMPS)),
    wrongExtension: fc.constantFrom(false, false, false, true),
  })
  .map(({ primary, filelists, comps, wrongExtension }) => {
    const files = new Map<string, Uint8Array>();
    const entries: string[] = [];
    const add = (type: string, name: string, file: StoredFile, wrong: boolean) => {
      entries.push(dataEntry(type, name, file, wrong));
      files.set(`repodata/${name}.xml${wrong ? '.gz' : file.extension}`, file.bytes);
    };
    add('primary', 'primary', primary, wrongExtension);
    add('filelists', 'filelists', filelists, false);
    if (comps !== null) add('group', 'comps', comps, false);
    const repomd = `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1700000000</revision>
${entries.join('\n')}
</repomd>
`;
    files.set('repodata/repomd.xml', new TextEncoder().encode(repomd));
    return { files };
  });

function memorySource(files: ReadonlyMap<string, Uint8Array>): RepoSource {
  return {
    url: 'https://mirror.example.org/fuzz',
    open(path) {
      const bytes = files.get(path);
      if (bytes === undefined) {
        return Promise.reject(Object.assign(new Error(`${path}: not found`), { code: 'ENOENT' }));
      }
      return Promise.resolve(Readable.from([Buffer.from(bytes)]));
    },
  };
}

async function load({ files }: Repository): Promise<number> {
  const repository = await loadRpmRepository(memorySource(files), {
    name: 'fuzz',
    priority: 1,
    requireSignature: false,
  });
  let lists = 0;
  for await (const _ of repository.filelists()) lists += 1;
  return repository.packages.length + lists;
}

describe('repository fuzz', () => {
  fuzzTest('a repository whose files match repomd.xml loads or is refused', {
    parser: 'RPM repository (decompression and metadata)',
    runs: 2000,
    inputs: repositories,
    parse: load,
    bytesOf: ({ files }) => files.get('repodata/repomd.xml'),
    errors: [PackageFormatError, PackageVerifyError, MetadataMissingError],
  });
});
