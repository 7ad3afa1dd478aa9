import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSquashfsTree } from '@levitate/squashfs';
import type { Runner } from '../core/run.ts';
import { measureFile } from '../fetch/digest.ts';
import { openIsoImage } from '../iso9660-reader/index.ts';
import type { IsoImage } from '../iso9660-reader/index.ts';
import { readCpioEntries } from './cpio-reader.ts';
import { diffEntries } from './entries.ts';
import type { DiffEntry, FileChange } from './entries.ts';
import { espEntries, espFolder, espOfIso } from './esp-entries.ts';
import { extractIsoFile, isoEntries, readIsoFile } from './iso-entries.ts';
import { packageChanges, reportBeside } from './package-changes.ts';
import type { PackageChange } from './package-changes.ts';
import { diffUkiSections, peSections } from './uki-sections.ts';
import type { SectionChange } from './uki-sections.ts';

/** One artifact of the two builds and how it differs, file by file or section by section. */
export interface ArtifactDiff {
  /** `ISO 9660 tree`, `ESP`, `UKI /boot/uki/…`, `initramfs in …`, `squashfs /LiveOS/…`. */
  readonly artifact: string;
  readonly changes: readonly FileChange[];
  readonly sections?: readonly SectionChange[];
  /** The same change was already shown under this artifact (one initramfs in every UKI). */
  readonly sameAs?: string;
}

export interface BuildDiff {
  readonly identical: boolean;
  readonly a: { readonly file: string; readonly sha256: string; readonly size: number };
  readonly b: { readonly file: string; readonly sha256: string; readonly size: number };
  /** From the build reports beside the ISOs, when both are there. */
  readonly packages?: readonly PackageChange[];
  readonly artifacts: readonly ArtifactDiff[];
}

/** Where the ISO's live root file system is. */
const SQUASHFS_PATH = '/LiveOS/squashfs.img';
const BIOS_INITRAMFS = '/boot/initramfs.img';

async function fileDigest(file: string): Promise<{ file: string; sha256: string; size: number }> {
  const { sha256, size } = await measureFile(file);
  return { file, sha256, size };
}

const isUki = (path: string) => path.toLowerCase().endsWith('.efi');

class Comparison {
  readonly artifacts: ArtifactDiff[] = [];
  readonly #initrds = new Map<string, string>();

  constructor(private readonly work: string) {}

  add(artifact: string, changes: readonly FileChange[]) {
    if (changes.length > 0) this.artifacts.push({ artifact, changes });
  }

  async uki(where: string, a: Uint8Array, b: Uint8Array): Promise<void> {
    let left: Map<string, Uint8Array>;
    let right: Map<string, Uint8Array>;
    try {
      left = peSections(a);
      right = peSections(b);
    } catch {
      return; // not a PE image: its content change is listed with the files
    }
    if (!left.has('.linux') && !right.has('.linux')) return; // a boot manager, not a UKI
    const sections = diffUkiSections(left, right);
    if (sections.length === 0) return;
    this.artifacts.push({ artifact: `UKI ${where}`, changes: [], sections });
    const initrdA = left.get('.initrd');
    const initrdB = right.get('.initrd');
    if (sections.some((section) => section.section === '.initrd') && initrdA && initrdB) {
      await this.initramfs(`initramfs in ${where}`, initrdA, initrdB);
    }
  }

  async initramfs(artifact: string, a: Uint8Array, b: Uint8Array): Promise<void> {
    const key = `${digest(a)}:${digest(b)}`;
    const earlier = this.#initrds.get(key);
    if (earlier !== undefined) {
      this.artifacts.push({ artifact, changes: [], sameAs: earlier });
      return;
    }
    this.#initrds.set(key, artifact);
    const [left, right] = await Promise.all([
      readCpioEntries(a, `${artifact} (first)`),
      readCpioEntries(b, `${artifact} (second)`),
    ]);
    this.add(artifact, diffEntries(left, right));
  }

  async squashfs(isoA: IsoImage, isoB: IsoImage): Promise<void> {
    const files = [join(this.work, 'a.sqfs'), join(this.work, 'b.sqfs')] as const;
    await Promise.all([
      extractIsoFile(isoA, SQUASHFS_PATH, files[0]),
      extractIsoFile(isoB, SQUASHFS_PATH, files[1]),
    ]);
    const [left, right] = await Promise.all([
      readSquashfsTree(files[0]),
      readSquashfsTree(files[1]),
    ]);
    this.add(
      `squashfs ${SQUASHFS_PATH}`,
      diffEntries(squashfsEntries(left), squashfsEntries(right)),
    );
  }
}

function digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function squashfsEntries(entries: Awaited<ReturnType<typeof readSquashfsTree>>): DiffEntry[] {
  return entries.map(({ inode: _inode, major, minor, ...entry }) =>
    major === undefined ? entry : { ...entry, target: `${major}:${minor ?? 0}` },
  );
}

const changed = (changes: readonly FileChange[], path: string) =>
  changes.some((change) => change.path === path && change.kinds.includes('content'));

/**
 * How two ISOs built by these tools differ, artifact by artifact: the ISO 9660 tree, the ESP's
 * files, each UKI's sections (the initramfs inside it entry by entry), the BIOS initramfs and
 * the squashfs tree; and, from the build reports beside them, the packages. Two byte-identical
 * images are `identical` without looking inside.
 */
export async function diffBuilds(
  fileA: string,
  fileB: string,
  options: { readonly runner: Runner; readonly workDir: string },
): Promise<BuildDiff> {
  const [a, b] = await Promise.all([fileDigest(fileA), fileDigest(fileB)]);
  if (a.sha256 === b.sha256) return { identical: true, a, b, artifacts: [] };
  const comparison = new Comparison(options.workDir);
  const [isoA, isoB] = await Promise.all([openIsoImage(fileA), openIsoImage(fileB)]);
  try {
    const tree = diffEntries(...(await Promise.all([isoEntries(isoA), isoEntries(isoB)])));
    comparison.add('ISO 9660 tree', tree);
    await compareEsps(comparison, fileA, fileB, options);
    for (const change of tree) {
      if (isUki(change.path) && change.kinds.includes('content')) {
        const [left, right] = await Promise.all([
          readIsoFile(isoA, change.path),
          readIsoFile(isoB, change.path),
        ]);
        await comparison.uki(change.path, left, right);
      }
    }
    if (changed(tree, BIOS_INITRAMFS)) {
      const [left, right] = await Promise.all([
        readIsoFile(isoA, BIOS_INITRAMFS),
        readIsoFile(isoB, BIOS_INITRAMFS),
      ]);
      await comparison.initramfs(`initramfs ${BIOS_INITRAMFS}`, left, right);
    }
    if (changed(tree, SQUASHFS_PATH)) await comparison.squashfs(isoA, isoB);
  } finally {
    await Promise.all([isoA.close(), isoB.close()]);
  }
  const [reportA, reportB] = await Promise.all([reportBeside(fileA), reportBeside(fileB)]);
  return {
    identical: false,
    a,
    b,
    ...(reportA && reportB ? { packages: packageChanges(reportA, reportB) } : {}),
    artifacts: comparison.artifacts,
  };
}

async function compareEsps(
  comparison: Comparison,
  fileA: string,
  fileB: string,
  options: { readonly runner: Runner; readonly workDir: string },
): Promise<void> {
  const [espA, espB] = await Promise.all([espOfIso(fileA), espOfIso(fileB)]);
  if (espA === undefined || espB === undefined || digest(espA) === digest(espB)) return;
  const [workA, workB] = [join(options.workDir, 'esp-a'), join(options.workDir, 'esp-b')];
  await Promise.all([mkdir(workA, { recursive: true }), mkdir(workB, { recursive: true })]);
  const [left, right] = await Promise.all([
    espEntries(options.runner, espA, workA),
    espEntries(options.runner, espB, workB),
  ]);
  const changes = diffEntries(left, right);
  comparison.add('ESP', changes);
  for (const change of changes) {
    if (!isUki(change.path) || !change.kinds.includes('content')) continue;
    const [ukiA, ukiB] = await Promise.all([
      readFile(join(espFolder(workA), change.path)),
      readFile(join(espFolder(workB), change.path)),
    ]);
    await comparison.uki(`ESP ${change.path}`, new Uint8Array(ukiA), new Uint8Array(ukiB));
  }
}
