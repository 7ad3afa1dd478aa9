import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Runner } from '@levitate/tools';
import { LIVE_BOOT_MODULES, hostDirectoryRoot, moduleClosure } from '@levitate/tools/initramfs';
import type { DebianArchive } from '../debian/debian-archives.ts';
import { parentDirectories, rootOwned } from '../debian/entries.ts';
import { kernelRelease } from '../debian/kernel-image.ts';
import { MODULE_LISTS, MODULE_SUFFIX, stageCompressedModules } from '../debian/module-staging.ts';
import { NO_RELATIONS } from './package-spec.ts';
import type { RpmEntry, RpmPackageSpec } from './package-spec.ts';
import { rpmEvrOf } from './rpm-version.ts';

const MODULES_ROOT = '/usr/lib/modules';

/**
 * Modules kernel-core ships besides the live media's (LIVE_BOOT_MODULES): disks, file systems
 * and devices of a QEMU guest and a usual PC.
 */
export const KERNEL_CORE_MODULES: readonly string[] = [
  ...LIVE_BOOT_MODULES,
  'ext4',
  'xfs',
  'vfat',
  'nls_cp437',
  'nls_iso8859_1',
  'nls_utf8',
  'efivarfs',
  'dm_mod',
  'sg',
  'ehci_hcd',
  'uhci_hcd',
  'usbhid',
  'hid_generic',
  'virtio_net',
  'virtio_console',
  'virtio_rng',
  'virtio_balloon',
  'e1000',
  'e1000e',
  'autofs4',
  'fuse',
  'configfs',
];

/** The further modules kernel-modules adds. */
export const KERNEL_MODULES: readonly string[] = [
  'tun',
  'veth',
  'bridge',
  'zram',
  'vmw_vsock_virtio_transport',
];

/** Modules few systems need, which Rocky keeps apart in kernel-modules-extra. */
export const KERNEL_MODULES_EXTRA: readonly string[] = ['sctp', 'nbd'];

export interface KernelPackages {
  readonly release: string;
  /** kernel-core, kernel-modules-core, kernel-modules, kernel-modules-extra. */
  readonly packages: readonly RpmPackageSpec[];
}

async function selectModules(
  image: DebianArchive,
  release: string,
  wanted: readonly string[],
): Promise<string[]> {
  const closure = await moduleClosure(hostDirectoryRoot(image.tree), release, wanted);
  if (closure.missing.length > 0) {
    throw new Error(
      `${image.package} has neither as module nor built in: ${closure.missing.join(', ')}`,
    );
  }
  return closure.modules.map((module) => module.relativePath);
}

/**
 * The kernel as Rocky Linux 10 splits it, from Debian's kernel image: `kernel-core` has the
 * kernel, its config, System.map and the lists depmod reads in `/usr/lib/modules/<release>/`;
 * `kernel-modules-core`, `kernel-modules` and `kernel-modules-extra` have growing module
 * subsets (each with everything it needs), every module xz-compressed as `.ko.xz`. Like
 * Rocky's, no package ships `modules.dep`: their %posttrans runs depmod.
 */
export async function kernelPackages(
  runner: Runner,
  image: DebianArchive,
  workDir: string,
): Promise<KernelPackages> {
  const release = await kernelRelease(image);
  const tiers = [KERNEL_CORE_MODULES, KERNEL_MODULES, KERNEL_MODULES_EXTRA];
  const cumulative = await Promise.all(
    tiers.map((_, index) => selectModules(image, release, tiers.slice(0, index + 1).flat())),
  );
  const [coreSet, modulesSet, extraSet] = cumulative.map(
    (paths, index) =>
      new Set(paths.filter((path) => index === 0 || !cumulative[index - 1]?.includes(path))),
  );
  if (coreSet === undefined || modulesSet === undefined || extraSet === undefined) {
    throw new Error('three module tiers expected');
  }
  const everything = new Set(cumulative[cumulative.length - 1]);
  const staged = await stageCompressedModules(runner, {
    tree: image.tree,
    release,
    stage: join(workDir, 'kernel-modules-xz'),
    compression: 'xz',
    keep: (path) => everything.has(path),
  });
  const modulesDir = `${MODULES_ROOT}/${release}`;
  const hostFile = (path: string, hostPath: string): RpmEntry =>
    rootOwned({ type: 'file', path, mode: 0o644, content: { hostPath } });
  const moduleEntries = (paths: ReadonlySet<string>): RpmEntry[] =>
    [...paths]
      .sort()
      .map((path) =>
        hostFile(`${modulesDir}/${path}${MODULE_SUFFIX.xz}`, join(staged, `${path}.xz`)),
      );
  const lists = await present(staged, MODULE_LISTS);
  const coreEntries: RpmEntry[] = [
    hostFile(`${modulesDir}/vmlinuz`, join(image.tree, 'boot', `vmlinuz-${release}`)),
    hostFile(`${modulesDir}/config`, join(image.tree, 'boot', `config-${release}`)),
    hostFile(`${modulesDir}/System.map`, join(image.tree, 'boot', `System.map-${release}`)),
    ...lists.map((name) => hostFile(`${modulesDir}/${name}`, join(staged, name))),
  ];
  const evr = rpmEvrOf(image.version);
  const uname = `${evr.version}-${evr.release}.x86_64`;
  const tier = (
    name: string,
    summary: string,
    entries: RpmEntry[],
    relations: Pick<RpmPackageSpec, 'requires' | 'provides'>,
  ): RpmPackageSpec => ({
    ...NO_RELATIONS,
    ...evr,
    arch: 'x86_64' as const,
    license: 'GPL-2.0-only',
    url: 'https://www.kernel.org/',
    repository: 'BaseOS' as const,
    name,
    summary,
    description: `${summary}: Linux ${release} (LevitateOS fixture: Debian's ${image.package} ${image.version}).`,
    ...relations,
    scripts: [{ phase: 'posttrans', body: `depmod -a ${release}` }],
    // Like Rocky's kernel packages, own the release's folders but not /usr/lib/modules and
    // above: those belong to filesystem, whose modes differ (rpm refuses the conflict).
    entries: [
      ...entries,
      ...parentDirectories(entries).filter((dir) => dir.path.startsWith(`${MODULES_ROOT}/`)),
    ],
  });
  return {
    release,
    packages: [
      tier('kernel-core', 'The Linux kernel', coreEntries, {
        requires: ['kmod', 'systemd', `kernel-modules-core-uname-r = ${uname}`],
        provides: [
          `kernel = ${evr.version}-${evr.release}`,
          // Rocky's is `<version>-<release>.<arch>`; Debian's release name has a dash too many.
          `kernel-uname-r = ${uname}`,
          'installonlypkg(kernel)',
        ],
      }),
      tier(
        'kernel-modules-core',
        'Core kernel modules to match the core kernel',
        moduleEntries(coreSet),
        {
          requires: [`kernel-uname-r = ${uname}`],
          provides: [`kernel-modules-core-uname-r = ${uname}`, 'installonlypkg(kernel-module)'],
        },
      ),
      tier('kernel-modules', 'Kernel modules to match the core kernel', moduleEntries(modulesSet), {
        requires: [`kernel-uname-r = ${uname}`],
        provides: [`kernel-modules-uname-r = ${uname}`, 'installonlypkg(kernel-module)'],
      }),
      tier('kernel-modules-extra', 'Extra kernel modules', moduleEntries(extraSet), {
        requires: [`kernel-modules-uname-r = ${uname}`],
        provides: ['installonlypkg(kernel-module)'],
      }),
    ],
  };
}

/** The names of `names` that exist in `dir`. */
async function present(dir: string, names: readonly string[]): Promise<string[]> {
  const found = new Set(await readdir(dir));
  return names.filter((name) => found.has(name));
}
