/**
 * One measured run of the rootfs memory benchmark, in its own process so that its peak RSS is
 * its own: `<apk|streamed> <package.apk> <public key PEM file> <key name> <work dir>`, or
 * `rpm <package.rpm> <work dir>`. Prints one JSON line: peak RSS in KiB, wall time, and the
 * error message when the build refused.
 */
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readApkPackage } from '../apk/index.ts';
import type { VerifiedPackage } from '../backend/types.ts';
import { FOLDER_RULES, ImageTree, createContentStore, writeSquashfs } from '../rootfs/index.ts';
import type { InstallablePackage } from '../rootfs/index.ts';
import { apkAsVerified } from '../rootfs/rootfs.support.ts';
import { readRpmHeaders, streamRpmEntries, verifyRpm } from '../rpm/index.ts';

const args = process.argv.slice(2);
const mode = args[0] as 'apk' | 'streamed' | 'rpm';
const file = args[1] ?? '';
const work = args.at(-1) ?? '';
/** The key the .apk is signed with: its PEM file and the name it is trusted under. */
const [keyFile = '', keyName = ''] = mode === 'rpm' ? [] : args.slice(2, 4);

async function apkPackage(): Promise<{ pkg: VerifiedPackage; size: number }> {
  const keys = new Map([[keyName, createPublicKey(await readFile(keyFile))]]);
  const apk = await readApkPackage(file, { keys, requireSignature: true });
  const pkg = apkAsVerified(apk, file, 'bench');
  return { pkg, size: apk.info.installedSize ?? 0 };
}

/** An RPM as the build takes it: its digests checked, then its entries streamed. */
async function rpmPackage(): Promise<VerifiedPackage> {
  const headers = await readRpmHeaders(file);
  await verifyRpm(file, { requireSignature: false, uncompressedCheckedOnExtraction: true });
  return {
    package: {
      name: headers.name,
      version: `${headers.version}-${headers.release}`,
      arch: headers.arch,
      repository: 'bench',
      size: 0,
      location: basename(file),
      checksum: { type: 'sha256', value: '' },
      reason: 'requested',
    },
    file,
    digest: { algorithm: 'sha256', hex: '0'.repeat(64) },
    signer: undefined,
    scripts: headers.scripts,
    entries: () => streamRpmEntries(file, { headers }),
  };
}

/** The package's entries, its file's content handed over in 1 MiB chunks as it is read. */
function streamed(pkg: VerifiedPackage, size: number): InstallablePackage {
  const common = { user: 'root', group: 'root', uid: 0, gid: 0, mtime: 1_600_000_000, flags: [] };
  return {
    ...pkg,
    async *entries() {
      yield { entry: { ...common, path: '/srv', type: 'directory', mode: 0o755, size: 0 } };
      yield {
        entry: { ...common, path: '/srv/blob', type: 'file', mode: 0o644, size },
        content: (async function* () {
          const zeros = new Uint8Array(1 << 20);
          for (let left = size; left > 0; left -= zeros.length) {
            yield zeros.subarray(0, Math.min(zeros.length, left));
          }
        })(),
      };
    },
  };
}

const start = performance.now();
let error: string | undefined;
try {
  let pkg: InstallablePackage;
  if (mode === 'rpm') {
    pkg = await rpmPackage();
  } else {
    const { pkg: verified, size } = await apkPackage();
    pkg = mode === 'apk' ? verified : streamed(verified, size);
  }
  const store = createContentStore(join(work, 'content'));
  const tree = new ImageTree({ store, epoch: 1_700_000_000 });
  await tree.addPackage(pkg, { folders: mode === 'rpm' ? FOLDER_RULES.rpm : FOLDER_RULES.apk });
  await tree.resolveOwners();
  await writeSquashfs(tree, store, join(work, 'rootfs.sqfs'), {
    compressor: { kind: 'zstd', level: 15 },
  });
} catch (thrown) {
  error = thrown instanceof Error ? thrown.message : String(thrown);
}
process.stdout.write(
  `${JSON.stringify({
    maxRssKiB: process.resourceUsage().maxRSS,
    ms: performance.now() - start,
    ...(error === undefined ? {} : { error }),
  })}\n`,
);
