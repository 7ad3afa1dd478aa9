import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The newest Debian kernel installed on the host (linux-image-amd64), for boot-media tests. */
export async function hostKernel(): Promise<{ path: string; uname: string }> {
  const names = (await readdir('/boot')).filter((name) => name.startsWith('vmlinuz-')).sort();
  const newest = names.at(-1);
  if (!newest)
    throw new Error("no kernel in /boot: install the Debian package 'linux-image-amd64'");
  return { path: join('/boot', newest), uname: newest.slice('vmlinuz-'.length) };
}
