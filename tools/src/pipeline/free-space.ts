import { stat, statfs } from 'node:fs/promises';
import { UserError } from '../core/errors.ts';
import type { WrittenFolder } from '../core/folder-errors.ts';
import { outputFolder, temporaryFolder } from './folder-roles.ts';

const MIB = 1024 * 1024;

/** Free bytes for an unprivileged writer on the file system holding `dir`. */
export type FreeSpace = (dir: string) => Promise<number>;

export const freeSpaceOf: FreeSpace = async (dir) => {
  const info = await statfs(dir);
  return info.bavail * info.bsize;
};

/**
 * A generous guess at the ISO's size from the size of its packages: the ISOs built so far
 * weighed 1.1 to 2.3 times their packages, the boot files (UKIs, ESP, initramfs) being a
 * fixed 50–60 MiB of it. With no packages known yet it is the least any ISO needs.
 */
export function estimateIsoBytes(packageBytes: number): number {
  return Math.ceil(packageBytes * 1.25) + 96 * MIB;
}

/**
 * The room a build needs: the new ISO set beside the previous one in the output folder, and
 * in the work folder the squashfs, initramfs, UKIs, ESP and ISO, about twice the ISO.
 */
export function spaceNeeds(
  isoBytes: number,
  folders: { out: WrittenFolder; work: WrittenFolder },
): SpaceNeed[] {
  return [
    { folder: folders.out, bytes: isoBytes },
    { folder: folders.work, bytes: 2 * isoBytes },
  ];
}

export interface SpaceNeed {
  readonly folder: WrittenFolder;
  readonly bytes: number;
}

const mib = (bytes: number) => `${Math.ceil(bytes / MIB)} MiB`;

/**
 * Checks that every folder's file system has room for what goes there, adding up the needs of
 * folders on the same file system, and reports every shortfall at once.
 */
export async function assertFreeSpace(
  needs: readonly SpaceNeed[],
  freeSpace: FreeSpace = freeSpaceOf,
): Promise<void> {
  const byDevice = new Map<number, { needs: SpaceNeed[]; total: number }>();
  for (const need of needs) {
    const { dev } = await stat(need.folder.dir);
    const group = byDevice.get(dev) ?? { needs: [], total: 0 };
    group.needs.push(need);
    group.total += need.bytes;
    byDevice.set(dev, group);
  }
  const shortfalls: { text: string; needs: readonly SpaceNeed[] }[] = [];
  for (const group of byDevice.values()) {
    const first = group.needs[0];
    if (first === undefined) continue;
    const free = await freeSpace(first.folder.dir);
    if (free >= group.total) continue;
    const wanted = group.needs
      .map((need) => `the ${need.folder.role} ${need.folder.dir} about ${mib(need.bytes)}`)
      .join(' and ');
    shortfalls.push({ text: `${wanted}, but only ${mib(free)} is free there`, needs: group.needs });
  }
  if (shortfalls.length === 0) return;
  const elsewhere = new Set(
    shortfalls.flatMap((item) => item.needs.map((need) => need.folder.elsewhere)),
  );
  throw new UserError(
    'folder-full',
    `not enough free space for the build: ${shortfalls.map((item) => item.text).join('; ')}`,
    {
      hint: `free some space, or ${[...elsewhere].join(', or ')}`,
    },
  );
}

/**
 * Once the packages are resolved, and before they are fetched and the image is made: room in
 * the output folder and the work folder for an ISO of about their size.
 */
export async function assertRoomForIso(
  context: { readonly outDir: string; readonly workDir: string },
  packages: readonly { readonly size: number }[],
  freeSpace: FreeSpace = freeSpaceOf,
): Promise<void> {
  const packageBytes = packages.reduce((sum, pkg) => sum + pkg.size, 0);
  const folders = { out: outputFolder(context.outDir), work: temporaryFolder(context.workDir) };
  await assertFreeSpace(spaceNeeds(estimateIsoBytes(packageBytes), folders), freeSpace);
}
