import type { ApkIndexRecord } from '../record.ts';

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

/** Requests drawn from the index with a fixed seed, each with busybox or alpine-base added. */
export function sampledRequests(records: readonly ApkIndexRecord[], count: number): string[][] {
  let seed = 2022;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  return Array.from({ length: count }, (_, i) => {
    const size = 1 + (next() % (i % 2 === 0 ? 4 : 25));
    const names = Array.from({ length: size }, () => records[next() % records.length]?.name ?? '');
    return [...new Set([...names, i % 2 === 0 ? 'busybox' : 'alpine-base'])];
  });
}
