/** Package sets resolved against the Alpine 3.16 main index, which Alpine's apk installs. */
export const INSTALLABLE_SETS: readonly (readonly string[])[] = [
  ['alpine-base'],
  ['busybox', 'openrc'],
  ['alpine-base', 'linux-lts', 'linux-firmware-none'],
  // install_if: docs pulls every *-doc of what is installed, bash-completion pulls
  // openrc-bash-completion, util-linux pulls its split-out commands.
  ['alpine-base', 'bash', 'bash-completion', 'docs'],
  [
    'alpine-base',
    'bash',
    'bash-completion',
    'util-linux',
    'openssh',
    'chrony',
    'man-pages',
    'docs',
  ],
  // so: and cmd: provides.
  ['alpine-base', 'curl'],
  ['openssh'],
  ['busybox', 'e2fsprogs', 'parted', 'smartmontools', 'hdparm', 'util-linux'],
];
