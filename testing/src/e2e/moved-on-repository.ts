import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { createRunner } from '@levitate/tools';
import {
  formatIndexRecord,
  generateSigningKey,
  writeApkIndexText,
  writeApkPackage,
} from '../apk-fixture/index.ts';
import { NO_RELATIONS as APK_NO_RELATIONS, rootOwned } from '../apk-fixture/package-spec.ts';
import { APK_REPO_DIR } from '../apk-fixture/index.ts';
import { rootfilesPackage } from '../rpm-fixture/base-packages.ts';
import { RPM_REPO_DIR } from '../rpm-fixture/index.ts';
import { createRepodata } from '../rpm-fixture/createrepo.ts';
import { buildRpm } from '../rpm-fixture/rpmbuild.ts';
import { createRpmSigningKey, signRpms } from '../rpm-fixture/signing-key.ts';

/**
 * A copy of a fixture repository that can move on: a newer version of one package the variant
 * installs is added, the index written again and signed with a new key (trusted beside the old
 * one), the old package file left where it was, as mirrors keep it for a while.
 */
export interface MovingRepository {
  /** `--repo` and `--keys` options that read the copy. */
  readonly options: readonly string[];
  /** The package that gets a newer version, and that version. */
  readonly bumped: { readonly name: string; readonly from: string; readonly to: string };
  moveOn(): Promise<void>;
}

/** Date of everything the newer version carries, after the fixture's own. */
const MOVED_ON_EPOCH = 1_725_667_200;
const MOVED_ON_NOTE = 'this version came after the lock was written\n';

/** The AcornOS fixture repository, copied into `dir`; moving on adds alpine-keys 2.4-r2. */
export async function movingApkRepository(dir: string): Promise<MovingRepository> {
  await cp(join(APK_REPO_DIR, 'repo'), join(dir, 'repo'), { recursive: true });
  await cp(join(APK_REPO_DIR, 'keys'), join(dir, 'keys'), { recursive: true });
  const archDir = join(dir, 'repo', 'x86_64');
  return {
    options: ['--repo', join(dir, 'repo'), '--keys', join(dir, 'keys')],
    bumped: { name: 'alpine-keys', from: '2.4-r1', to: '2.4-r2' },
    async moveOn() {
      const key = generateSigningKey();
      const written = await writeApkPackage(
        {
          ...APK_NO_RELATIONS,
          name: 'alpine-keys',
          version: '2.4-r2',
          arch: 'x86_64',
          description: 'Public keys for Alpine Linux packages',
          url: 'https://alpinelinux.org',
          license: 'MIT',
          origin: 'alpine-keys',
          buildDate: MOVED_ON_EPOCH,
          scripts: [],
          entries: [
            rootOwned({ type: 'directory', path: '/usr', mode: 0o755 }),
            rootOwned({ type: 'directory', path: '/usr/share', mode: 0o755 }),
            rootOwned({ type: 'directory', path: '/usr/share/apk', mode: 0o755 }),
            rootOwned({
              type: 'file',
              path: '/usr/share/apk/moved-on',
              mode: 0o644,
              content: new TextEncoder().encode(MOVED_ON_NOTE),
            }),
          ],
        },
        key,
        archDir,
      );
      const index = join(archDir, 'APKINDEX.tar.gz');
      const read = async (member: string) =>
        (await execa('tar', ['-xzOf', index, member], { stripFinalNewline: false })).stdout;
      const text = `${await read('APKINDEX')}${formatIndexRecord(written)}`;
      await writeApkIndexText(text, key, archDir, await read('DESCRIPTION'));
      await writeFile(join(dir, 'keys', key.keyName), key.publicKeyPem);
    },
  };
}

/**
 * The LevitateOS fixture repositories (BaseOS, AppStream), copied into `dir`; moving on adds
 * rootfiles 9.0-2 to BaseOS, signed with a new key, and runs createrepo_c again.
 */
export async function movingRpmRepository(dir: string): Promise<MovingRepository> {
  await cp(RPM_REPO_DIR, dir, { recursive: true });
  const baseos = join(dir, 'BaseOS', 'x86_64', 'os');
  const original = rootfilesPackage();
  return {
    options: [
      '--repo',
      baseos,
      '--repo',
      join(dir, 'AppStream', 'x86_64', 'os'),
      '--keys',
      join(dir, 'keys'),
    ],
    bumped: {
      name: 'rootfiles',
      from: `${original.version}-${original.release}`,
      to: `${original.version}-2.el10`,
    },
    async moveOn() {
      const runner = createRunner();
      const key = await createRpmSigningKey(runner, MOVED_ON_EPOCH);
      try {
        const work = join(dir, 'moving-on');
        const rpmDir = join(baseos, 'Packages', 'r');
        await mkdir(work, { recursive: true });
        const rpm = await buildRpm(
          { runner, workDir: work, rpmDir, epoch: MOVED_ON_EPOCH },
          {
            ...original,
            release: '2.el10',
            entries: [
              ...original.entries,
              rootOwned({
                type: 'file',
                path: '/root/.moved-on',
                mode: 0o644,
                content: new TextEncoder().encode(MOVED_ON_NOTE),
              }),
            ],
          },
        );
        await signRpms(runner, key, MOVED_ON_EPOCH, [rpm]);
        await createRepodata(runner, baseos, MOVED_ON_EPOCH);
        await writeFile(join(dir, 'keys', 'RPM-GPG-KEY-moved-on'), key.publicKey);
      } finally {
        await key.dispose();
      }
    },
  };
}
