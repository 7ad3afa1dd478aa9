/**
 * apk-tools 3 formats (ADB): recognised by their magic so that they are refused with one clear
 * message instead of a gzip or tar error. Alpine 3.23 ships apk-tools 3 but still publishes
 * v2 packages and `APKINDEX.tar.gz`, which is what this reader takes.
 */

import { constants, inflateRawSync } from 'node:zlib';
import { UserError } from '../core/errors.ts';
import { PackageFormatError } from '../packages/errors.ts';
import type { ApkSource } from './limits.ts';

/** The sentence every refusal of a v3 file or repository contains. */
export const APK_V3_UNSUPPORTED = 'apk v3 format is not supported yet';

/** What a v3 file holds, from the schema in its header: `pckg`, `indx` or `idb`. */
export type AdbSchema = 'package' | 'index' | 'installed database';

/** What the caller was reading when it met a v3 file. */
export type ApkFileKind = 'package' | 'index';

const SCHEMAS: Readonly<Record<string, AdbSchema>> = {
  pckg: 'package',
  indx: 'index',
  'idb\0': 'installed database',
};

/** APK v3 files start with `ADB` and a compression letter (`ADB.`, `ADBd`, `ADBc`). */
export function isApkV3(bytes: Uint8Array): boolean {
  return bytes[0] === 0x41 && bytes[1] === 0x44 && bytes[2] === 0x42;
}

function schemaAt(header: Uint8Array): AdbSchema | undefined {
  if (header.length < 8 || !isApkV3(header) || header[3] !== 0x2e) {
    return undefined;
  }
  return SCHEMAS[Buffer.from(header.subarray(4, 8)).toString('latin1')];
}

/**
 * The schema of a v3 file: read from the plain header (`ADB.`), or from the first bytes of a
 * deflated one (`ADBd`, or `ADBc` naming deflate). Undefined for zstd or anything unreadable.
 */
export function adbSchema(bytes: Uint8Array): AdbSchema | undefined {
  if (!isApkV3(bytes) || bytes.length < 4) {
    return undefined;
  }
  const letter = String.fromCharCode(bytes[3] ?? 0);
  if (letter === '.') {
    return schemaAt(bytes);
  }
  // `ADBc` is followed by the algorithm (1 deflate, 2 zstd) and the level.
  const deflated =
    letter === 'd'
      ? bytes.subarray(4)
      : letter === 'c' && bytes[4] === 1
        ? bytes.subarray(6)
        : undefined;
  if (deflated === undefined || deflated.length === 0) {
    return undefined;
  }
  try {
    // A prefix of the stream is enough for the header; its output is at most about 1 MiB.
    const start = inflateRawSync(deflated.subarray(0, 1024), {
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    return schemaAt(start);
  } catch {
    return undefined;
  }
}

const INDEX_HINT =
  'use a repository that publishes the v2 index <arch>/APKINDEX.tar.gz (Alpine 3.23 still ' +
  'publishes it beside Packages.adb); a repository URL names the folder above <arch>/';

function hintFor(kind: ApkFileKind): string {
  return kind === 'index'
    ? INDEX_HINT
    : 'use the v2 .apk of this package, from a repository that publishes <arch>/APKINDEX.tar.gz';
}

/** Throws the refusal of a v3 file when `bytes` starts with the ADB magic. */
export function refuseApkV3(bytes: Uint8Array, source: ApkSource, kind: ApkFileKind): void {
  if (!isApkV3(bytes)) {
    return;
  }
  const schema = adbSchema(bytes);
  const found = schema === undefined ? 'an ADB file' : `an ADB ${schema}`;
  throw new PackageFormatError({
    ...source,
    message: `${APK_V3_UNSUPPORTED}: expected a v2 ${kind === 'index' ? 'APKINDEX.tar.gz' : '.apk'}, found ${found}`,
    hint: hintFor(kind),
  });
}

/**
 * Refuses a repository URL that names an apk v3 index (`…/main/x86_64/Packages.adb`, as
 * apk-tools 3 repository lines may) before anything is fetched from it. The hint names the
 * v2 repository URL: the folder above `<arch>/`.
 */
export function refuseApkV3Repository(url: string, arch: string): void {
  const match = /^(.*?)\/+[^/]*\.adb\/*(\?.*)?$/i.exec(url);
  if (match === null) {
    return;
  }
  const folder = match[1] ?? '';
  const base = folder.endsWith(`/${arch}`) ? folder.slice(0, -arch.length - 1) : folder;
  throw new UserError(
    'apk-v3-repository',
    `${url}: ${APK_V3_UNSUPPORTED}: the repository URL names an apk v3 index`,
    {
      hint: `use the v2 index: set the repository URL to ${base}, whose ${arch}/APKINDEX.tar.gz is read`,
    },
  );
}
