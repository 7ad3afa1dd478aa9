import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { signatureMember } from './apk-writer.ts';
import { FIXTURE_EPOCH, formatIndexRecord } from './control-text.ts';
import type { WrittenApk } from './control-text.ts';
import type { ApkSigningKey } from './signing-key.ts';
import { TAR_END_OF_ARCHIVE, concatBytes, rootFileMember } from './tar-writer.ts';

export const APKINDEX_FILE = 'APKINDEX.tar.gz';

function indexFile(name: string, text: string): Uint8Array {
  return rootFileMember(name, new TextEncoder().encode(text), 0o644, FIXTURE_EPOCH);
}

/** The APKINDEX text: one record per package, sorted by name then version. */
export function formatApkIndex(packages: readonly WrittenApk[]): string {
  const sorted = [...packages].sort((a, b) =>
    a.spec.name === b.spec.name
      ? a.spec.version.localeCompare(b.spec.version)
      : a.spec.name < b.spec.name
        ? -1
        : 1,
  );
  return sorted.map(formatIndexRecord).join('');
}

/**
 * Writes `<dir>/APKINDEX.tar.gz`: a signature member over the raw bytes of the index member, then
 * the index member (a tar with DESCRIPTION and APKINDEX, ended as a whole archive).
 */
export async function writeApkIndex(
  packages: readonly WrittenApk[],
  key: ApkSigningKey,
  dir: string,
  description: string,
): Promise<string> {
  return writeApkIndexText(formatApkIndex(packages), key, dir, description);
}

/** Writes `<dir>/APKINDEX.tar.gz` around an index text as it is, signed with `key`. */
export async function writeApkIndexText(
  text: string,
  key: ApkSigningKey,
  dir: string,
  description: string,
): Promise<string> {
  const tar = concatBytes([
    indexFile('DESCRIPTION', description),
    indexFile('APKINDEX', text),
    TAR_END_OF_ARCHIVE,
  ]);
  const body = gzipSync(tar, { level: constants.Z_BEST_COMPRESSION });
  const file = join(dir, APKINDEX_FILE);
  await writeFile(file, concatBytes([signatureMember(key, body), body]));
  return file;
}
