import { createHash } from 'node:crypto';
import { open, readFile, readdir, lstat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '../core/run.ts';
import type { DiffEntry } from './entries.ts';

const SECTOR = 512;
/** MBR partition type of an EFI system partition, and of a GPT's protective entry. */
const MBR_ESP = 0xef;
const MBR_GPT = 0xee;
/** The ESP's GPT type GUID, C12A7328-F81F-11D2-BA4B-00A0C93EC93B, as it is stored. */
const GPT_ESP = Buffer.from('28732ac11ff8d211ba4b00a0c93ec93b', 'hex');

interface Extent {
  readonly start: number;
  readonly size: number;
}

/** The ESP in a GUID partition table (LBA 1), when there is one. */
function gptEsp(entries: Buffer, entrySize: number): Extent | undefined {
  for (let at = 0; at + entrySize <= entries.length; at += entrySize) {
    if (!entries.subarray(at, at + 16).equals(GPT_ESP)) continue;
    const first = Number(entries.readBigUInt64LE(at + 32));
    const last = Number(entries.readBigUInt64LE(at + 40));
    return { start: first * SECTOR, size: (last - first + 1) * SECTOR };
  }
  return undefined;
}

async function espExtent(handle: Awaited<ReturnType<typeof open>>): Promise<Extent | undefined> {
  const head = Buffer.alloc(2 * SECTOR);
  await handle.read(head, 0, head.length, 0);
  if (head[510] !== 0x55 || head[511] !== 0xaa) return undefined;
  for (let index = 0; index < 4; index++) {
    const at = 446 + index * 16;
    const type = head[at + 4];
    if (type === MBR_ESP) {
      return {
        start: head.readUInt32LE(at + 8) * SECTOR,
        size: head.readUInt32LE(at + 12) * SECTOR,
      };
    }
    if (type !== MBR_GPT) continue;
    const gpt = head.subarray(SECTOR);
    if (gpt.subarray(0, 8).toString('latin1') !== 'EFI PART') return undefined;
    const entriesAt = Number(gpt.readBigUInt64LE(72)) * SECTOR;
    const count = gpt.readUInt32LE(80);
    const entrySize = gpt.readUInt32LE(84);
    if (entrySize < 128 || count > 1024) return undefined;
    const entries = Buffer.alloc(count * entrySize);
    await handle.read(entries, 0, entries.length, entriesAt);
    return gptEsp(entries, entrySize);
  }
  return undefined;
}

/**
 * The EFI system partition a hybrid ISO carries as an appended partition, found through its
 * GUID partition table or its MBR; undefined when the image has none.
 */
export async function espOfIso(iso: string): Promise<Uint8Array | undefined> {
  const handle = await open(iso, 'r');
  try {
    const extent = await espExtent(handle);
    if (extent === undefined) return undefined;
    const esp = Buffer.alloc(extent.size);
    await handle.read(esp, 0, extent.size, extent.start);
    return new Uint8Array(esp);
  } finally {
    await handle.close();
  }
}

async function walk(root: string, dir: string, out: DiffEntry[]): Promise<void> {
  for (const name of (await readdir(join(root, dir))).sort()) {
    const path = `${dir}/${name}`;
    const info = await lstat(join(root, path));
    if (info.isDirectory()) {
      out.push({ path, type: 'directory' });
      await walk(root, path, out);
    } else {
      const bytes = await readFile(join(root, path));
      out.push({
        path,
        type: 'file',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    }
  }
}

/**
 * The files of a FAT image, copied out with mtools into `work/esp` (where they stay, for the
 * UKIs to be read) and hashed.
 */
export async function espEntries(
  runner: Runner,
  esp: Uint8Array,
  work: string,
): Promise<DiffEntry[]> {
  const image = join(work, 'esp.img');
  const tree = espFolder(work);
  await mkdir(tree, { recursive: true });
  await writeFile(image, esp);
  await runner.run(['mcopy', '-s', '-n', '-m', '-i', image, '::/', tree], {
    env: { MTOOLS_SKIP_CHECK: '1' },
  });
  const entries: DiffEntry[] = [];
  await walk(tree, '', entries);
  return entries;
}

/** Where espEntries() copies the files of the ESP to. */
export function espFolder(work: string): string {
  return join(work, 'esp');
}
