import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from '../../core/run.ts';
import { fixture } from '../../test-support/fixtures.ts';
import { ALPINE_316_INDEX } from './index-fixture.ts';

/** A package as apk reports it installing. */
export interface InstalledByApk {
  readonly name: string;
  readonly version: string;
}

export interface ApkAddResult {
  readonly exitCode: number;
  /** In the order apk printed them. */
  readonly installed: InstalledByApk[];
  readonly output: string;
}

/**
 * An unpacked Alpine minirootfs whose own apk (2.14) serves as the reference: the real 3.16
 * index is the repository `/repo`, synthetic unsigned indexes can be added beside it, and
 * `/target` is an empty database to simulate installs into.
 */
export interface AlpineRoot {
  readonly root: string;
  apkAdd(packages: readonly string[], repositories?: readonly string[]): Promise<ApkAddResult>;
  /** `apk version -t a b` for each pair, in one chroot. */
  versionTest(pairs: readonly (readonly [string, string])[]): Promise<string[]>;
  /** Writes an unsigned APKINDEX.tar.gz for `text` at `/<name>/x86_64`. */
  addRepository(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

const runner = createRunner();
const REPOSITORIES_NONE = '/etc/apk/repositories.none';

const INSTALLING = /^\(\d+\/\d+\) Installing (\S+) \((\S+)\)$/;

export async function createAlpineRoot(): Promise<AlpineRoot> {
  const root = await mkdtemp(join(tmpdir(), 'apk-resolve-root-'));
  const tarballDir = fixture('apkindex', 'alpine-minirootfs');
  const tarball = (await readdir(tarballDir)).find((f) => f.endsWith('.tar.gz'));
  if (tarball === undefined) {
    throw new Error(`no minirootfs in ${tarballDir}`);
  }
  await runner.run(['tar', '-xpf', join(tarballDir, tarball), '-C', root]);
  await mkdir(join(root, 'repo', 'x86_64'), { recursive: true });
  await copyFile(ALPINE_316_INDEX, join(root, 'repo', 'x86_64', 'APKINDEX.tar.gz'));
  const keysDir = fixture('keys', 'alpine');
  for (const key of await readdir(keysDir)) {
    await copyFile(join(keysDir, key), join(root, 'etc', 'apk', 'keys', key));
  }
  await writeFile(join(root, REPOSITORIES_NONE), '');
  await mkdir(join(root, 'target'));
  const apk = ['chroot', root, 'apk', '--root', '/target', '--no-network', '--arch', 'x86_64'];
  await runner.run([...apk, '--repositories-file', REPOSITORIES_NONE, 'add', '--initdb']);

  return {
    root,
    async apkAdd(packages, repositories = ['/repo']) {
      const untrusted = repositories.some((r) => r !== '/repo');
      const result = await runner.run(
        [
          ...apk,
          '--keys-dir',
          '/etc/apk/keys',
          ...(untrusted ? ['--allow-untrusted'] : []),
          // apk numbers -X repositories last first; reversing keeps the first one preferred.
          ...[...repositories].reverse().flatMap((r) => ['-X', r]),
          '--repositories-file',
          REPOSITORIES_NONE,
          'add',
          '--simulate',
          ...packages,
        ],
        { allowExitCodes: Array.from({ length: 255 }, (_, i) => i + 1) },
      );
      const output = result.stdout + result.stderr;
      const installed = output.split('\n').flatMap((line) => {
        const match = INSTALLING.exec(line);
        return match?.[1] !== undefined && match[2] !== undefined
          ? [{ name: match[1], version: match[2] }]
          : [];
      });
      return { exitCode: result.exitCode, installed, output };
    },
    async versionTest(pairs) {
      await writeFile(join(root, 'pairs.txt'), pairs.map(([a, b]) => `${a} ${b}\n`).join(''));
      const script = 'while read a b; do apk version -t "$a" "$b"; done < /pairs.txt';
      const result = await runner.run(['chroot', root, '/bin/sh', '-c', script]);
      return result.stdout.split('\n').filter((line) => line !== '');
    },
    async addRepository(name, text) {
      const dir = join(root, name, 'x86_64');
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'APKINDEX'), text);
      await writeFile(join(dir, 'DESCRIPTION'), `${name}\n`);
      await runner.run(['tar', '-czf', 'APKINDEX.tar.gz', 'APKINDEX', 'DESCRIPTION'], { cwd: dir });
      return `/${name}`;
    },
    async remove() {
      await rm(root, { recursive: true, force: true });
    },
  };
}
