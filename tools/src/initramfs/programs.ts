import { UserError } from '../core/errors.ts';
import { LIVE_INIT_COMMANDS, OPTIONAL_INIT_COMMANDS } from './init-script.ts';
import { busyboxShell } from './live-boot.ts';
import type { InitramfsShell } from './live-boot.ts';
import { realPathInRoot } from './root-view.ts';
import type { RootView } from './root-view.ts';

/** What runs /init: a shell and the programs it calls, all taken from the image. */
export interface InitramfsPrograms {
  readonly shell: InitramfsShell;
  readonly tools: readonly string[];
  /** `busybox`, or `system` for the image's own shell and tools (bash, util-linux, kmod, ...). */
  readonly kind: 'busybox' | 'system';
}

const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox', '/sbin/busybox'];
const SHELL_PATHS = ['/usr/bin/bash', '/bin/bash', '/usr/bin/dash', '/bin/dash'];
const PROGRAM_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];
/** Besides what /init runs: what a person at the `rd.shell` prompt reaches for first. */
const RESCUE_COMMANDS = ['umount', 'ls', 'modprobe'];

/** Where each Debian/Fedora-style system gets the commands /init needs. */
const PROVIDERS: Readonly<Record<string, string>> = {
  mount: 'util-linux',
  umount: 'util-linux',
  switch_root: 'util-linux',
  insmod: 'kmod',
  modprobe: 'kmod',
  mkdir: 'coreutils',
  sleep: 'coreutils',
  cat: 'coreutils',
  dd: 'coreutils',
  ls: 'coreutils',
  findfs: 'util-linux',
};

async function firstPresent(root: RootView, paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    const real = await realPathInRoot(root, path);
    if (real !== undefined && (await root.stat(real))?.type === 'file') return path;
  }
  return undefined;
}

/**
 * The initramfs programs an image can give: its busybox when it has one (Alpine), else its
 * own shell with util-linux, coreutils and kmod (Rocky, Debian). Nothing is assumed that the
 * image does not ship; a missing command is an error naming the package to add.
 */
export async function initramfsProgramsFor(root: RootView): Promise<InitramfsPrograms> {
  const busybox = await firstPresent(root, BUSYBOX_PATHS);
  if (busybox !== undefined) return { shell: busyboxShell(busybox), tools: [], kind: 'busybox' };

  const shell = await firstPresent(root, SHELL_PATHS);
  if (shell === undefined) {
    throw new UserError('initramfs-no-shell', 'the image has neither busybox nor bash or dash', {
      hint: "add busybox or bash to the variant's packages: the live /init is a shell script",
    });
  }
  const tools: string[] = [];
  const missing: string[] = [];
  for (const command of [...LIVE_INIT_COMMANDS, ...OPTIONAL_INIT_COMMANDS, ...RESCUE_COMMANDS]) {
    const found = await firstPresent(
      root,
      PROGRAM_DIRS.map((dir) => `${dir}/${command}`),
    );
    if (found !== undefined) tools.push(found);
    else if (LIVE_INIT_COMMANDS.includes(command)) missing.push(command);
  }
  if (missing.length > 0) {
    const packages = [...new Set(missing.map((command) => PROVIDERS[command] ?? command))];
    throw new UserError(
      'initramfs-command-missing',
      `the live /init needs ${missing.join(', ')}, which the image does not have`,
      { hint: `add ${packages.join(', ')} to the variant's packages` },
    );
  }
  return { shell: { path: shell }, tools, kind: 'system' };
}
