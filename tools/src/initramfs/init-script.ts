import { readFile } from 'node:fs/promises';

/** Where /init reads the modules to load, one absolute path a line, dependencies first. */
export const LIVE_MODULE_LIST = '/etc/initramfs/modules';

/** The commands /init runs besides shell builtins; the initramfs must provide them. */
export const LIVE_INIT_COMMANDS: readonly string[] = [
  'mount',
  'mkdir',
  'insmod',
  'sleep',
  'cat',
  'dd',
  'switch_root',
];

/** Commands /init runs only for some roots (findfs for LABEL=, UUID= and PARTUUID=). */
export const OPTIONAL_INIT_COMMANDS: readonly string[] = ['findfs'];

const SCRIPT = new URL('./live-init.sh', import.meta.url);

/** The live-boot /init (a POSIX sh script). */
export async function liveInitScript(): Promise<string> {
  return readFile(SCRIPT, 'utf8');
}

/** The script's functions without the final call to `main`, for sourcing them in tests. */
export async function liveInitFunctions(): Promise<string> {
  const script = await liveInitScript();
  const end = script.lastIndexOf('\nmain\n');
  if (end < 0) throw new Error('live-init.sh does not end with a call to main');
  return script.slice(0, end + 1);
}
