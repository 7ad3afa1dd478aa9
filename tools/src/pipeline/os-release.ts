import { UserError } from '../core/errors.ts';
import type { ImageTree } from '../rootfs/index.ts';

/** Where os-release(5) puts the file, and the link that older readers open. */
export const OS_RELEASE_FILE = '/usr/lib/os-release';
export const OS_RELEASE_LINK = '/etc/os-release';

/** The fields as os-release(5) lines, quoted where a value holds more than a plain word. */
export function osReleaseText(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(
      ([key, value]) =>
        `${key}=${/^[A-Za-z0-9._:-]+$/.test(value) ? value : JSON.stringify(value)}`,
    )
    .join('\n')
    .concat('\n');
}

/**
 * Writes the variant's os-release to /usr/lib/os-release and makes /etc/os-release the
 * relative link to it, as Rocky's rocky-release ships them; whatever a package put at either
 * path (Alpine's alpine-release has them the other way round) is replaced.
 */
export async function writeOsRelease(
  tree: ImageTree,
  fields: Readonly<Record<string, string>>,
  epoch: number,
): Promise<void> {
  const meta = { uid: 0, gid: 0, mtime: epoch, xattrs: {} };
  const refuse = (message: string) =>
    new UserError('os-release-blocked', `cannot write ${OS_RELEASE_FILE}: ${message}`, {
      hint: 'a package or overlay puts something other than a file or link at /usr/lib or /etc',
    });
  const file = tree.place(OS_RELEASE_FILE, 'os-release', epoch, refuse).path;
  await tree.writeFile(
    file,
    new TextEncoder().encode(osReleaseText(fields)),
    {
      ...meta,
      mode: 0o644,
    },
    'os-release',
  );
  const link = tree.place(OS_RELEASE_LINK, 'os-release', epoch, refuse).path;
  tree.set(link, {
    kind: 'symlink',
    ...meta,
    mode: 0o777,
    target: '../usr/lib/os-release',
    origin: 'os-release',
  });
}
