import { lstat, mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '@levitate/tools';
import type { DebianArchive } from './debian-archives.ts';
import { alpineVersionOf } from './debian-version.ts';
import { NO_RELATIONS, parentDirectories, rootOwned } from './package-spec.ts';
import type { ApkEntry, ApkPackageSpec } from './package-spec.ts';
import { treeEntries, under } from './tree-entries.ts';

/** Debian's kernel meta package; its `Depends:` names the image package of the day. */
export const DEBIAN_KERNEL_META = 'linux-image-amd64';

/** The image package a `linux-image-amd64` depends on: `linux-image-6.1.0-56-amd64`. */
export function kernelImagePackage(meta: DebianArchive): string {
  const name = /^(linux-image-[^\s,(]+)/.exec(meta.depends)?.[1];
  if (name === undefined) {
    throw new Error(`${meta.package} ${meta.version} depends on no linux-image package`);
  }
  return name;
}

async function kernelRelease(image: DebianArchive): Promise<string> {
  const releases = await readdir(join(image.tree, 'lib', 'modules'));
  const release = releases[0];
  if (release === undefined || releases.length !== 1) {
    throw new Error(
      `${image.debFile}: expected one /lib/modules/<release>, found ${releases.join(', ')}`,
    );
  }
  return release;
}

/**
 * Runs `depmod` over the image's modules in a staging root whose release folder links to the
 * unpacked tree (kmod 30 has no --outdir), and returns the files it wrote, by name.
 */
async function generateModuleIndexes(
  runner: Runner,
  tree: string,
  release: string,
  workDir: string,
): Promise<[string, string][]> {
  const staging = join(workDir, 'depmod');
  const releaseDir = join(staging, 'lib', 'modules', release);
  const shippedDir = join(tree, 'lib', 'modules', release);
  await mkdir(releaseDir, { recursive: true });
  for (const name of await readdir(shippedDir)) {
    await symlink(join(shippedDir, name), join(releaseDir, name));
  }
  await runner.run(['depmod', '--basedir', staging, release], { timeoutMs: 300_000 });
  const written: [string, string][] = [];
  for (const name of (await readdir(releaseDir)).sort()) {
    if (!(await lstat(join(releaseDir, name))).isSymbolicLink()) {
      written.push([name, join(releaseDir, name)]);
    }
  }
  return written;
}

/**
 * `linux-lts` as Alpine installs it, from Debian's kernel image: `/boot/vmlinuz-lts`,
 * `/boot/config-lts`, `/boot/System.map-lts`, `/lib/modules/<release>/` with the `modules.dep`
 * family generated here by `depmod` (Debian generates them at install time and ships none), and
 * `/usr/share/kernel/lts/kernel.release`.
 */
export async function linuxLtsPackage(
  runner: Runner,
  image: DebianArchive,
  workDir: string,
  arch: string,
): Promise<ApkPackageSpec> {
  const release = await kernelRelease(image);
  const modulesDir = `/lib/modules/${release}`;
  const modules = await treeEntries(image.tree, (path) => under(path, modulesDir));
  const generated = await generateModuleIndexes(runner, image.tree, release, workDir);
  const shipped = new Set(modules.map((entry) => entry.path));
  const entries: ApkEntry[] = [...modules];
  for (const [name, hostPath] of generated) {
    const path = `${modulesDir}/${name}`;
    if (!shipped.has(path)) {
      entries.push(rootOwned({ type: 'file', path, mode: 0o644, content: { hostPath } }));
    }
  }
  for (const [debian, alpine] of [
    [`vmlinuz-${release}`, 'vmlinuz-lts'],
    [`config-${release}`, 'config-lts'],
    [`System.map-${release}`, 'System.map-lts'],
  ] as const) {
    const hostPath = join(image.tree, 'boot', debian);
    entries.push(
      rootOwned({ type: 'file', path: `/boot/${alpine}`, mode: 0o644, content: { hostPath } }),
    );
  }
  const releaseFile = new TextEncoder().encode(`${release}\n`);
  entries.push(
    rootOwned({
      type: 'file',
      path: '/usr/share/kernel/lts/kernel.release',
      mode: 0o644,
      content: releaseFile,
    }),
  );
  return {
    ...NO_RELATIONS,
    name: 'linux-lts',
    version: alpineVersionOf(image.version),
    arch,
    description: `Linux lts kernel and modules (fixture: Debian's ${image.package} ${image.version})`,
    url: 'https://www.kernel.org',
    license: 'GPL-2.0-only',
    origin: 'linux-lts',
    depends: ['linux-firmware-any'],
    entries: [...entries, ...parentDirectories(entries)],
    compressionLevel: 1,
  };
}

/** Alpine's firmware opt-out: no files, provides `linux-firmware-any`. */
export function linuxFirmwareNonePackage(arch: string): ApkPackageSpec {
  return {
    ...NO_RELATIONS,
    name: 'linux-firmware-none',
    version: '20240909-r0',
    arch,
    description: 'Empty linux firmware package for those who do not want any firmware',
    url: 'https://git.kernel.org/pub/scm/linux/kernel/git/firmware/linux-firmware.git/',
    license: 'custom:none',
    origin: 'linux-firmware',
    provides: ['linux-firmware-any'],
    entries: [],
  };
}
