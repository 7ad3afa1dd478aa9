/**
 * One package verified and extracted into a folder, as a process of its own, the way an image
 * build reads a package: `<rpm|apk> <package file> <keys folder> <out folder>`. The signature
 * must verify with a key of the folder; every digest the package declares is checked (RPM:
 * header and payload digests and each file's; APK: control hash, data hash and each file's).
 * Files, folders, symlinks and hardlinks are written with their modes, as `tar -x` writes them;
 * device nodes, FIFOs and sockets are counted, not made. Prints one JSON line: entries, content
 * bytes, entries not made.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeyring, readPublicKeys } from '../openpgp/index.ts';
import { loadApkKeys, readApkPackage, streamPackageData } from '../apk/index.ts';
import type { StreamedEntry } from '../packages/model.ts';
import { readRpmHeaders, streamRpmEntries, verifyRpm } from '../rpm/index.ts';
import { writeEntries } from './entry-writer.ts';

const USAGE = 'usage: extract-child <rpm|apk> <package file> <keys folder> <out folder>\n';

async function rpmEntries(file: string, keysDir: string): Promise<AsyncIterable<StreamedEntry>> {
  const files = (await readdir(keysDir)).sort().map((name) => join(keysDir, name));
  const keys = await Promise.all(
    files.map(async (key) => readPublicKeys(new Uint8Array(await readFile(key)), key)),
  );
  const keyring = createKeyring(keys.flat());
  const [headers] = await Promise.all([
    readRpmHeaders(file),
    verifyRpm(file, { keyring, requireSignature: true, uncompressedCheckedOnExtraction: true }),
  ]);
  return streamRpmEntries(file, { headers });
}

async function apkEntries(file: string, keysDir: string): Promise<AsyncIterable<StreamedEntry>> {
  const pkg = await readApkPackage(file, {
    keys: await loadApkKeys(keysDir),
    requireSignature: true,
  });
  return streamPackageData(pkg);
}

const [format, file, keysDir, out] = process.argv.slice(2);
if (format === '--help' || format === '--version') {
  process.stdout.write(USAGE);
} else if (
  (format !== 'rpm' && format !== 'apk') ||
  file === undefined ||
  keysDir === undefined ||
  out === undefined
) {
  process.stderr.write(USAGE);
  process.exitCode = 2;
} else {
  const entries = await (format === 'rpm' ? rpmEntries : apkEntries)(file, keysDir);
  process.stdout.write(`${JSON.stringify(await writeEntries(entries, out))}\n`);
}
