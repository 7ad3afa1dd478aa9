import { existsSync } from 'node:fs';
import { createRunner } from '../core/run.ts';

/** Debian's kernel meta package; its `Depends:` names the image package of the day. */
export const DEBIAN_KERNEL_META = 'linux-image-amd64';

/** The kernel release inside a `linux-image-<release>` package name. */
export function releaseOfImagePackage(depends: string): string | undefined {
  return /(?:^|[\s,|])linux-image-(\d[^\s,(|]*)/.exec(depends)?.[1];
}

/**
 * The installed Debian kernel the tests read modules and config from: the release that
 * `linux-image-amd64` depends on today, never a literal, so a Debian kernel bump cannot break
 * the tests. Fails with the package to install when it is missing.
 */
export async function hostKernelRelease(): Promise<string> {
  const { stdout } = await createRunner().run(
    ['dpkg-query', '-W', '-f', '${Depends}', DEBIAN_KERNEL_META],
    { allowExitCodes: [1] },
  );
  const release = releaseOfImagePackage(stdout);
  if (release === undefined || !existsSync(`/lib/modules/${release}/modules.builtin`)) {
    throw new Error(
      `no installed Debian kernel found through ${DEBIAN_KERNEL_META} (${stdout.trim() || 'not installed'}): apt-get install ${DEBIAN_KERNEL_META}`,
    );
  }
  return release;
}

/** `/lib/modules/<release>` of the installed Debian kernel. */
export async function hostModulesDir(): Promise<string> {
  return `/lib/modules/${await hostKernelRelease()}`;
}

/** `/boot/config-<release>` of the installed Debian kernel. */
export async function hostKernelConfig(): Promise<string> {
  return `/boot/config-${await hostKernelRelease()}`;
}
