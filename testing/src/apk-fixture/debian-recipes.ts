export { debianPackageNames } from '../debian/debian-selection.ts';
import type { DebianRecipe } from './debian-packages.ts';
import { rootOwned } from './package-spec.ts';
import type { ApkEntry } from './package-spec.ts';
import { allOf, under, withoutDocumentation, withoutServiceGlue } from '../debian/tree-entries.ts';
import type { PathFilter } from '../debian/tree-entries.ts';
import { NODEJS_DEBS, NODEJS_LIBRARY_DEBS } from '../debian/nodejs-debs.ts';

const debianFiles = allOf(withoutDocumentation, withoutServiceGlue);

/** The runlevels Alpine's openrc package creates; Debian's creates them in its postinst. */
const RUNLEVEL_DIRS: ApkEntry[] = ['boot', 'default', 'nonetwork', 'shutdown', 'sysinit'].map(
  (level) => rootOwned({ type: 'directory', path: `/etc/runlevels/${level}`, mode: 0o755 }),
);

/**
 * Debian's openrc reads the LSB facilities of SysV scripts from this file of Debian's insserv
 * package, and complains on every service call without it; the image has no SysV scripts.
 */
const INSSERV_CONF = new TextEncoder().encode(
  "# AcornOS fixture: read by Debian's openrc for the LSB facilities of SysV init scripts.\n" +
    '# The image has no SysV init scripts, so it defines none.\n',
);

const OPENRC_EXTRAS: ApkEntry[] = [
  rootOwned({ type: 'directory', path: '/etc/conf.d', mode: 0o755 }),
  rootOwned({ type: 'directory', path: '/etc/runlevels', mode: 0o755 }),
  ...RUNLEVEL_DIRS,
  rootOwned({ type: 'file', path: '/etc/insserv.conf', mode: 0o644, content: INSSERV_CONF }),
];

/** Programs Alpine ships in e2fsprogs-extra rather than e2fsprogs, as this fixture splits them. */
const E2FSPROGS_EXTRA = [
  '/sbin/badblocks',
  '/sbin/debugfs',
  '/sbin/dumpe2fs',
  '/sbin/e2image',
  '/sbin/e2mmpstatus',
  '/sbin/e2scrub',
  '/sbin/e2scrub_all',
  '/sbin/e2undo',
  '/usr/bin/chattr',
  '/usr/bin/lsattr',
  '/usr/lib/x86_64-linux-gnu/e2fsprogs',
  '/usr/sbin/e2freefrag',
  '/usr/sbin/e4crypt',
  '/usr/sbin/e4defrag',
  '/usr/sbin/filefrag',
  '/usr/sbin/mklost+found',
];

const isE2fsprogsExtra: PathFilter = (path) => E2FSPROGS_EXTRA.some((extra) => under(path, extra));

/** util-linux programs that need PAM and setuid, which the image does not configure. */
const PAM_PROGRAMS = ['/bin/su', '/sbin/runuser', '/etc/pam.d'];

/** OpenRC from Debian: the init system of AcornOS in the fixture. */
export const OPENRC_RECIPE: DebianRecipe = {
  name: 'openrc',
  debs: ['openrc'],
  libraryDebs: ['librc1', 'libeinfo1'],
  // Debian's openrc runs daemons with dpkg's start-stop-daemon; Alpine's ships its own.
  borrowed: [{ deb: 'dpkg', paths: ['/sbin/start-stop-daemon'] }],
  keep: withoutDocumentation,
  description:
    "OpenRC manages the services, startup and shutdown of a host (fixture: Debian's openrc)",
  url: 'https://github.com/OpenRC/openrc',
  license: 'BSD-2-Clause',
  extraEntries: OPENRC_EXTRAS,
};

function tool(
  name: string,
  debs: string[],
  description: string,
  url: string,
  license: string,
  extra: Partial<DebianRecipe> = {},
): DebianRecipe {
  return {
    name,
    debs,
    keep: debianFiles,
    description: `${description} (fixture: Debian's ${debs.join(', ')})`,
    url,
    license,
    ...extra,
  };
}

/** The disk tools IuppiterOS adds, by their Alpine names. */
export const IUPPITER_RECIPES: readonly DebianRecipe[] = [
  tool(
    'smartmontools',
    ['smartmontools'],
    'Control and monitor storage systems using S.M.A.R.T.',
    'https://www.smartmontools.org/',
    'GPL-2.0-or-later',
  ),
  tool(
    'hdparm',
    ['hdparm'],
    'Utility for manipulating IDE device parameters',
    'https://sourceforge.net/projects/hdparm/',
    'BSD-2-Clause',
  ),
  tool(
    'nvme-cli',
    ['nvme-cli'],
    'NVM-Express user space tooling for Linux',
    'https://github.com/linux-nvme/nvme-cli',
    'GPL-2.0-or-later',
    { libraryDebs: ['libnvme1', 'libjson-c5', 'libdbus-1-3'] },
  ),
  tool(
    'sg3_utils',
    ['sg3-utils'],
    'Utilities for devices that use SCSI command sets',
    'https://sg.danny.cz/sg/sg3_utils.html',
    'GPL-2.0-or-later AND BSD-2-Clause',
    { libraryDebs: ['libsgutils2-1.46-2'] },
  ),
  tool(
    'e2fsprogs',
    ['e2fsprogs'],
    'Standard Ext2/3/4 filesystem utilities',
    'https://e2fsprogs.sourceforge.net/',
    'GPL-2.0-or-later AND LGPL-2.0-or-later AND BSD-3-Clause AND MIT',
    {
      keep: allOf(debianFiles, (path) => !isE2fsprogsExtra(path)),
    },
  ),
  tool(
    'e2fsprogs-extra',
    ['e2fsprogs'],
    'Ext2/3/4 filesystem extra utilities',
    'https://e2fsprogs.sourceforge.net/',
    'GPL-2.0-or-later AND LGPL-2.0-or-later AND BSD-3-Clause AND MIT',
    {
      keep: allOf(debianFiles, isE2fsprogsExtra),
      depends: ['e2fsprogs'],
    },
  ),
  tool(
    'parted',
    ['parted'],
    'Utility to create, destroy, resize, check and copy partitions',
    'https://www.gnu.org/software/parted/parted.html',
    'GPL-3.0-or-later',
    { libraryDebs: ['libparted2', 'libdevmapper1.02.1', 'libreadline8'] },
  ),
  tool(
    'util-linux',
    ['util-linux', 'mount'],
    'Random collection of Linux utilities',
    'https://git.kernel.org/cgit/utils/util-linux/util-linux.git',
    'GPL-3.0-or-later AND GPL-2.0-or-later AND GPL-2.0-only',
    {
      keep: allOf(debianFiles, (path) => !PAM_PROGRAMS.some((pam) => under(path, pam))),
    },
  ),
  tool(
    'dosfstools',
    ['dosfstools'],
    'DOS filesystem utilities',
    'https://github.com/dosfstools/dosfstools',
    'GPL-3.0-or-later',
  ),
  tool(
    'pciutils',
    ['pciutils'],
    'PCI bus configuration space access library and tools',
    'https://mj.ucw.cz/sw/pciutils/',
    'GPL-2.0-only',
    { libraryDebs: ['libpci3'] },
  ),
  tool(
    'usbutils',
    ['usbutils'],
    'USB Device Utilities',
    'http://linux-usb.sourceforge.net/',
    'GPL-2.0-or-later',
    { libraryDebs: ['libusb-1.0-0'] },
  ),
];

/** The account tools the install procedure uses (`useradd -m -G wheel me`). */
const SHADOW_TOOLS = [
  '/usr/sbin/useradd',
  '/usr/sbin/usermod',
  '/usr/sbin/userdel',
  '/usr/sbin/groupadd',
  '/usr/sbin/groupmod',
  '/usr/sbin/groupdel',
  '/etc/default/useradd',
];

/** Node.js, which runs `recipe` on the installed systems. */
export const NODEJS_RECIPE: DebianRecipe = tool(
  'nodejs',
  [...NODEJS_DEBS],
  'JavaScript runtime built on V8 engine - LTS version',
  'https://nodejs.org/',
  'MIT',
  { libraryDebs: NODEJS_LIBRARY_DEBS },
);

/**
 * zstd, which a recipe's extract helper runs for `.tar.zst` (busybox's tar reads gzip, xz and
 * bzip2 itself, not zstd), as in Alpine's main.
 */
export const ZSTD_RECIPE: DebianRecipe = tool(
  'zstd',
  ['zstd'],
  'Zstandard - Fast real-time compression algorithm',
  'https://www.zstd.net',
  'BSD-3-Clause OR GPL-2.0-or-later',
);

/** What AcornOS's live system adds to install itself: partitioning, file systems, a boot loader. */
export const INSTALL_RECIPES: readonly DebianRecipe[] = [
  tool(
    'sgdisk',
    ['gdisk'],
    'GPT fdisk text-mode, scriptable partitioning tool',
    'https://www.rodsbooks.com/gdisk/',
    'GPL-2.0-or-later',
    { keep: allOf(debianFiles, (path) => under(path, '/sbin/sgdisk')) },
  ),
  tool(
    'squashfs-tools',
    ['squashfs-tools'],
    'Tools to create and extract Squashfs filesystems',
    'https://github.com/plougher/squashfs-tools',
    'GPL-2.0-or-later',
  ),
  tool(
    'systemd-boot',
    ['systemd-boot-efi'],
    'systemd EFI boot manager and bootctl',
    'https://systemd.io/BOOT/',
    'LGPL-2.1-or-later',
    {
      // bootctl's libsystemd-shared comes as a library package, like every host library.
      borrowed: [{ deb: 'systemd-boot', paths: ['/usr/bin/bootctl'] }],
      // The EFI binaries live among systemd's service files.
      keep: allOf(
        withoutDocumentation,
        (path) =>
          withoutServiceGlue(path) ||
          path === '/usr/lib/systemd' ||
          under(path, '/usr/lib/systemd/boot'),
      ),
    },
  ),
  tool(
    'shadow',
    ['passwd'],
    'Account management tools (useradd and friends)',
    'https://github.com/shadow-maint/shadow',
    'BSD-3-Clause',
    {
      // passwd and chpasswd stay busybox's: Debian's go through PAM, which the image lacks.
      keep: allOf(debianFiles, (path) => SHADOW_TOOLS.some((tool) => under(path, tool))),
      borrowed: [{ deb: 'login', paths: ['/etc/login.defs'] }],
    },
  ),
];
