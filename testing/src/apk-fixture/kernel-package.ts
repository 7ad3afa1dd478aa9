import { join } from 'node:path';
import type { Runner } from '@levitate/tools';
import type { DebianArchive } from '../debian/debian-archives.ts';
import { kernelRelease } from '../debian/kernel-image.ts';
import { stageCompressedModules } from '../debian/module-staging.ts';
import { alpineVersionOf } from './debian-version.ts';
import { NO_RELATIONS, parentDirectories, rootOwned } from './package-spec.ts';
import type { ApkEntry, ApkPackageSpec } from './package-spec.ts';
import { treeEntries, under } from '../debian/tree-entries.ts';

/**
 * `linux-lts` as Alpine installs it, from Debian's kernel image: `/boot/vmlinuz-lts`,
 * `/boot/config-lts`, `/boot/System.map-lts`, `/lib/modules/<release>/` with every module
 * gzip-compressed (`.ko.gz`) and the `modules.dep` family written by depmod over them, and
 * `/usr/share/kernel/lts/kernel.release`. Debian's kmod reads no gzip, so busybox's depmod
 * (the one an Alpine system has) writes the indexes: modules.dep, modules.alias and
 * modules.symbols, in text.
 */
export async function linuxLtsPackage(
  runner: Runner,
  image: DebianArchive,
  workDir: string,
  arch: string,
): Promise<ApkPackageSpec> {
  const release = await kernelRelease(image);
  const modulesDir = `/lib/modules/${release}`;
  const stage = join(workDir, 'linux-lts-modules');
  await stageCompressedModules(runner, {
    tree: image.tree,
    release,
    stage,
    compression: 'gzip',
    keep: () => true,
  });
  await runner.run(['busybox', 'depmod', '-b', stage, release], { timeoutMs: 300_000 });
  const entries: ApkEntry[] = await treeEntries(stage, (path) => under(path, modulesDir));
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
