import { join } from 'node:path';
import type { Runner } from '@levitate/tools';
import type { DebianArchive } from '../debian/debian-archives.ts';
import { generateModuleIndexes, kernelRelease } from '../debian/kernel-image.ts';
import { alpineVersionOf } from './debian-version.ts';
import { NO_RELATIONS, parentDirectories, rootOwned } from './package-spec.ts';
import type { ApkEntry, ApkPackageSpec } from './package-spec.ts';
import { treeEntries, under } from '../debian/tree-entries.ts';

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
