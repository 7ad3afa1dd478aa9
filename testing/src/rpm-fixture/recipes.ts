import { rootOwned } from '../debian/entries.ts';
import type { RpmEntry } from './package-spec.ts';
import { except, only, rockyFiles } from './recipe.ts';
import type { RpmRecipe } from './recipe.ts';
import { PAM_COMMON_FILES } from './pam-files.ts';
import { NSSWITCH_CONF } from './setup-files.ts';
import { NODEJS_DEBS, NODEJS_LIBRARY_DEBS } from '../debian/nodejs-debs.ts';

const encoder = new TextEncoder();

function symlink(path: string, target: string): RpmEntry {
  return rootOwned({ type: 'symlink', path, mode: 0o777, target });
}

function file(path: string, text: string, mode = 0o644): RpmEntry {
  return rootOwned({ type: 'file', path, mode, content: encoder.encode(text) });
}

/** What shadow-utils leaves to passwd, as Rocky splits Debian's passwd package. */
const PASSWD_PATHS = ['/usr/bin/passwd', '/etc/pam.d/passwd'];

/** libc-bin's programs and files that Rocky's glibc ships. */
const LIBC_BIN_PATHS = [
  '/sbin/ldconfig',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/gai.conf',
  '/usr/bin/getent',
  '/usr/bin/getconf',
  '/usr/bin/iconv',
  '/usr/bin/ldd',
  '/usr/bin/locale',
  '/usr/lib/locale/C.utf8',
];

/** What Rocky's systemd-udev takes from Debian's systemd-boot: bootctl and boot assessment. */
const SYSTEMD_BOOT_TOOLS = [
  '/usr/bin/bootctl',
  '/lib/systemd/systemd-bless-boot',
  '/lib/systemd/system/systemd-bless-boot.service',
  '/lib/systemd/system-generators/systemd-bless-boot-generator',
];

/** login's programs that Rocky's util-linux ships. */
const LOGIN_PATHS = ['/bin/login', '/etc/pam.d/login', '/usr/sbin/nologin'];

/** The LevitateOS packages made from Debian ones (the library packages are found later). */
export const RPM_RECIPES: readonly RpmRecipe[] = [
  {
    name: 'glibc',
    debs: ['libc6'],
    keep: rockyFiles,
    borrowed: [{ deb: 'libc-bin', paths: LIBC_BIN_PATHS }],
    extraEntries: [file('/etc/nsswitch.conf', NSSWITCH_CONF)],
    summary: 'The GNU libc libraries',
    license: 'LGPL-2.1-or-later AND GPL-2.0-or-later',
    url: 'https://www.gnu.org/software/glibc/',
    requires: ['basesystem'],
    scripts: [
      { phase: 'post', program: '/usr/sbin/ldconfig', body: '' },
      { phase: 'postun', program: '/usr/sbin/ldconfig', body: '' },
    ],
  },
  {
    name: 'bash',
    debs: ['bash'],
    keep: rockyFiles,
    extraEntries: [symlink('/usr/bin/sh', 'bash')],
    summary: 'The GNU Bourne Again shell',
    license: 'GPL-3.0-or-later',
    url: 'https://www.gnu.org/software/bash',
    provides: ['/bin/sh', '/bin/bash'],
  },
  {
    name: 'coreutils',
    debs: ['coreutils'],
    keep: rockyFiles,
    summary: 'A set of basic GNU tools commonly used in shell scripts',
    license: 'GPL-3.0-or-later',
    url: 'https://www.gnu.org/software/coreutils/',
  },
  {
    name: 'util-linux',
    debs: ['util-linux', 'mount'],
    keep: rockyFiles,
    borrowed: [{ deb: 'login', paths: LOGIN_PATHS }],
    summary: 'Collection of basic system utilities',
    license: 'GPL-2.0-only AND GPL-2.0-or-later AND LGPL-2.1-or-later AND BSD-3-Clause',
    url: 'https://en.wikipedia.org/wiki/Util-linux',
    requires: ['pam'],
    provides: ['/bin/login', '/sbin/nologin'],
  },
  {
    name: 'systemd',
    debs: ['systemd', 'systemd-sysv', 'libsystemd-shared', 'libpam-systemd'],
    keep: rockyFiles,
    summary: 'System and Service Manager',
    license: 'LGPL-2.1-or-later AND GPL-2.0-or-later',
    url: 'https://systemd.io',
    requires: ['dbus', 'util-linux', 'kmod', 'setup'],
    provides: ['/sbin/init', 'systemd-sysv', 'systemd-pam'],
    scripts: [
      {
        phase: 'post',
        body: [
          'systemd-machine-id-setup >/dev/null 2>&1 || :',
          'systemd-sysusers >/dev/null 2>&1 || :',
          'systemctl preset-all >/dev/null 2>&1 || :',
        ].join('\n'),
      },
    ],
  },
  {
    name: 'systemd-udev',
    debs: ['udev'],
    keep: rockyFiles,
    // Fedora and Rocky ship bootctl and boot assessment (systemd-bless-boot) with udev.
    borrowed: [{ deb: 'systemd-boot', paths: SYSTEMD_BOOT_TOOLS }],
    summary: 'Rule-based device node and kernel event manager',
    license: 'LGPL-2.1-or-later',
    url: 'https://systemd.io',
    requires: ['systemd', 'kmod'],
    scripts: [{ phase: 'post', body: 'udevadm hwdb --update >/dev/null 2>&1 || :' }],
  },
  {
    name: 'dbus',
    debs: ['dbus', 'dbus-daemon', 'dbus-system-bus-common', 'dbus-bin'],
    keep: rockyFiles,
    summary: 'D-BUS message bus',
    license: 'AFL-2.1 OR GPL-2.0-or-later',
    url: 'https://www.freedesktop.org/wiki/Software/dbus/',
    requires: ['setup'],
    overrides: {
      '/usr/lib/dbus-1.0/dbus-daemon-launch-helper': { mode: 0o4754, group: 'messagebus' },
    },
  },
  {
    name: 'pam',
    debs: ['libpam0g', 'libpam-modules', 'libpam-modules-bin', 'libpam-runtime'],
    keep: except('/usr/sbin/pam-auth-update', '/usr/sbin/pam_getenv', '/usr/share/pam'),
    extraEntries: PAM_COMMON_FILES.map(([path, text]) => file(path, text)),
    summary: 'An extensible library which provides authentication for applications',
    license: 'BSD-3-Clause OR GPL-2.0-or-later',
    url: 'https://github.com/linux-pam/linux-pam',
    // Rocky's unix_chkpwd is setuid root; Debian's is setgid shadow, a group Rocky lacks.
    overrides: { '/usr/sbin/unix_chkpwd': { mode: 0o4755 } },
  },
  {
    name: 'kmod',
    debs: ['kmod'],
    keep: rockyFiles,
    summary: 'Linux kernel module management utilities',
    license: 'GPL-2.0-or-later',
    url: 'https://git.kernel.org/pub/scm/utils/kernel/kmod/kmod.git',
    provides: ['/sbin/modprobe', '/sbin/depmod'],
  },
  {
    name: 'passwd',
    debs: ['passwd'],
    keep: only(...PASSWD_PATHS),
    summary: 'An utility for setting or changing passwords using PAM',
    license: 'BSD-3-Clause OR GPL-2.0-or-later',
    url: 'https://github.com/shadow-maint/shadow',
    requires: ['pam', 'setup'],
  },
  {
    name: 'shadow-utils',
    debs: ['passwd', 'uidmap'],
    libraryDebs: ['libsubid4'],
    keep: except(...PASSWD_PATHS, '/sbin/shadowconfig'),
    borrowed: [{ deb: 'login', paths: ['/etc/login.defs'] }],
    summary: 'Utilities for managing accounts and shadow password files',
    license: 'BSD-3-Clause AND GPL-2.0-or-later',
    url: 'https://github.com/shadow-maint/shadow',
    requires: ['setup'],
    // Rocky gives the id-map helpers file capabilities instead of Debian's setuid bit.
    overrides: {
      '/usr/bin/newuidmap': { mode: 0o755, flags: { caps: 'cap_setuid=ep' } },
      '/usr/bin/newgidmap': { mode: 0o755, flags: { caps: 'cap_setgid=ep' } },
    },
  },
  {
    name: 'procps-ng',
    debs: ['procps', 'libproc2-0'],
    keep: rockyFiles,
    summary: 'System and process monitoring utilities',
    license: 'GPL-2.0-or-later AND LGPL-2.0-or-later',
    url: 'https://sourceforge.net/projects/procps-ng/',
  },
  {
    name: 'iproute',
    debs: ['iproute2'],
    keep: rockyFiles,
    summary: 'Advanced IP routing and network device configuration tools',
    license: 'GPL-2.0-or-later',
    url: 'https://kernel.org/pub/linux/utils/net/iproute2/',
  },
  {
    name: 'nodejs',
    debs: NODEJS_DEBS,
    libraryDebs: NODEJS_LIBRARY_DEBS,
    keep: rockyFiles,
    repository: 'AppStream',
    summary: 'JavaScript runtime',
    license: 'MIT AND ISC AND BSD-3-Clause AND Unicode-DFS-2016',
    url: 'https://nodejs.org/',
  },
  {
    name: 'less',
    debs: ['less'],
    keep: rockyFiles,
    repository: 'AppStream',
    summary: 'A text file browser similar to more, but better',
    license: 'GPL-3.0-only OR BSD-2-Clause',
    url: 'https://www.greenwoodsoftware.com/less/',
  },
  {
    name: 'vim-minimal',
    debs: ['vim-tiny'],
    keep: rockyFiles,
    extraEntries: [symlink('/usr/bin/view', 'vi')],
    // Rocky's vim-minimal ships the editor as /usr/bin/vi.
    hardlinks: [['/usr/bin/vi', '/usr/bin/vim.tiny']],
    summary: 'A minimal version of the VIM editor',
    license: 'Vim AND MIT',
    url: 'https://www.vim.org/',
    provides: ['vi', '/bin/vi'],
  },
  {
    name: 'gdisk',
    debs: ['gdisk'],
    keep: rockyFiles,
    summary: 'An fdisk-like partitioning tool for GPT disks',
    license: 'GPL-2.0-or-later',
    url: 'https://www.rodsbooks.com/gdisk/',
  },
  {
    name: 'dosfstools',
    debs: ['dosfstools'],
    keep: rockyFiles,
    summary: 'Utilities for making and checking MS-DOS FAT filesystems on Linux',
    license: 'GPL-3.0-or-later',
    url: 'https://github.com/dosfstools/dosfstools',
  },
  {
    name: 'e2fsprogs',
    debs: ['e2fsprogs'],
    keep: rockyFiles,
    summary: 'Utilities for managing ext2, ext3, and ext4 file systems',
    license: 'GPL-2.0-only AND LGPL-2.0-only AND LGPL-2.0-or-later AND BSD-3-Clause',
    url: 'https://e2fsprogs.sourceforge.net/',
  },
  {
    name: 'squashfs-tools',
    debs: ['squashfs-tools'],
    keep: rockyFiles,
    summary: 'Utility for the creation of squashfs filesystems',
    license: 'GPL-2.0-or-later',
    url: 'https://github.com/plougher/squashfs-tools',
  },
  {
    name: 'systemd-boot-unsigned',
    debs: ['systemd-boot-efi'],
    keep: rockyFiles,
    repository: 'AppStream',
    summary: 'UEFI boot manager (unsigned version)',
    license: 'LGPL-2.1-or-later',
    url: 'https://systemd.io',
  },
  {
    name: 'grep',
    debs: ['grep'],
    keep: rockyFiles,
    summary: 'Pattern matching utilities',
    license: 'GPL-3.0-or-later',
    url: 'https://www.gnu.org/software/grep/',
  },
  {
    name: 'sed',
    debs: ['sed'],
    keep: rockyFiles,
    summary: 'A GNU stream text editor',
    license: 'GPL-3.0-or-later',
    url: 'https://sed.sourceforge.io',
  },
  {
    name: 'gawk',
    debs: ['gawk'],
    libraryDebs: ['libsigsegv2'],
    keep: rockyFiles,
    // Debian names awk through alternatives; Rocky's gawk ships the link.
    extraEntries: [symlink('/usr/bin/awk', 'gawk')],
    summary: 'The GNU version of the AWK text processing utility',
    license: 'GPL-3.0-or-later AND GPL-2.0-or-later AND LGPL-2.0-or-later',
    url: 'https://www.gnu.org/software/gawk/',
    provides: ['/bin/awk', '/bin/gawk'],
  },
  {
    name: 'findutils',
    debs: ['findutils'],
    keep: rockyFiles,
    summary: 'The GNU versions of find utilities (find and xargs)',
    license: 'GPL-3.0-or-later',
    url: 'https://www.gnu.org/software/findutils/',
  },
  {
    name: 'diffutils',
    debs: ['diffutils'],
    keep: rockyFiles,
    summary: 'A GNU collection of diff utilities',
    license: 'GPL-3.0-or-later',
    url: 'https://www.gnu.org/software/diffutils/diffutils.html',
  },
  // What a recipe's extract helper runs: tar, with gzip, xz and zstd behind its -z, -J and
  // --zstd, and unzip.
  {
    name: 'tar',
    debs: ['tar'],
    keep: rockyFiles,
    summary: 'GNU file archiving program',
    license: 'GPL-3.0-or-later',
    url: 'https://www.gnu.org/software/tar/',
  },
  {
    name: 'gzip',
    debs: ['gzip'],
    keep: rockyFiles,
    summary: 'The GNU data compression program',
    license: 'GPL-3.0-or-later',
    url: 'https://www.gzip.org/',
  },
  {
    name: 'xz',
    debs: ['xz-utils'],
    keep: rockyFiles,
    summary: 'LZMA compression utilities',
    license: '0BSD AND GPL-2.0-or-later',
    url: 'https://tukaani.org/xz/',
  },
  {
    name: 'zstd',
    debs: ['zstd'],
    keep: rockyFiles,
    summary: 'Zstd compression library',
    license: 'BSD-3-Clause AND GPL-2.0-only',
    url: 'https://github.com/facebook/zstd',
  },
  {
    name: 'unzip',
    debs: ['unzip'],
    keep: rockyFiles,
    summary: 'A utility for unpacking zip files',
    license: 'Info-ZIP',
    url: 'http://www.info-zip.org/UnZip.html',
  },
];
