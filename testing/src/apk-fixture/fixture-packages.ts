import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_RELATIONS, parentDirectories, rootOwned } from './package-spec.ts';
import type { ApkEntry, ApkPackageSpec } from './package-spec.ts';

/** The service scripts written for the fixture, beside this file. */
export const SERVICES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'services');

export const SERVICES_PACKAGE = 'acorn-fixture-services';

/** Version of the packages this fixture writes itself. */
const FIXTURE_VERSION = '0.1.0-r0';
const FIXTURE_URL = 'https://acornos.org/';

async function filesOf(hostDir: string, imageDir: string, mode: number): Promise<ApkEntry[]> {
  const names = (await readdir(hostDir)).sort();
  return Promise.all(
    names.map(async (name) =>
      rootOwned({
        type: 'file' as const,
        path: `${imageDir}/${name}`,
        mode,
        content: new Uint8Array(await readFile(join(hostDir, name))),
      }),
    ),
  );
}

/**
 * OpenRC service scripts that neither Debian's openrc nor the Alpine packages of the minirootfs
 * carry, written for busybox and Debian's OpenRC.
 */
export async function servicesPackage(arch: string): Promise<ApkPackageSpec> {
  const entries = [
    ...(await filesOf(join(SERVICES_DIR, 'init.d'), '/etc/init.d', 0o755)),
    ...(await filesOf(join(SERVICES_DIR, 'conf.d'), '/etc/conf.d', 0o644)),
  ];
  return {
    ...NO_RELATIONS,
    name: SERVICES_PACKAGE,
    version: FIXTURE_VERSION,
    arch,
    description:
      "Offline fixture stand-ins for service scripts of Alpine's openrc, busybox-openrc and " +
      "busybox-mdev-openrc packages (devfs, mdev, syslog, ...), which Debian's openrc lacks",
    url: FIXTURE_URL,
    license: 'LGPL-3.0-or-later',
    origin: SERVICES_PACKAGE,
    depends: ['busybox', 'openrc'],
    entries: [...entries, ...parentDirectories(entries)],
  };
}

/** Alpine's base meta package, over what the fixture repository has. */
export function alpineBasePackage(arch: string): ApkPackageSpec {
  return {
    ...NO_RELATIONS,
    name: 'alpine-base',
    version: '3.20.3-r0',
    arch,
    description: 'Meta package for minimal alpine base (fixture: over the fixture repository)',
    url: 'https://alpinelinux.org',
    license: 'MIT',
    origin: 'alpine-base',
    depends: [
      'alpine-baselayout',
      'alpine-keys',
      'apk-tools',
      'busybox',
      'busybox-binsh',
      'musl-utils',
      'openrc',
      SERVICES_PACKAGE,
    ],
    entries: [],
  };
}
