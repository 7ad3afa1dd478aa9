import { copyFile, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../core/run.ts';
import { hostDirectoryRoot } from './host-root.ts';
import { DEFAULT_LIBRARY_DIRS, librarySearchDirs } from './ld-paths.ts';
import { libraryClosure } from './libraries.ts';

const runner = createRunner();
/** The host's Java home, whichever JDK release is installed (it has an $ORIGIN runpath). */
const JAVA = dirname(dirname(await realpath('/usr/bin/java')));
const MULTIARCH = '/usr/lib/x86_64-linux-gnu';

/** The real paths of what ldd says a program loads (the vDSO has no file). */
async function lddRealPaths(binary: string): Promise<string[]> {
  const { stdout } = await runner.run(['ldd', binary]);
  const paths = stdout
    .split('\n')
    .map((line) => /(?:=> )?(\/\S+) \(0x/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
  return [...new Set(await Promise.all(paths.map((path) => realpath(path))))].sort();
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'libraries-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A root holding copies of host files at the given paths. */
async function rootWith(name: string, files: Record<string, string>) {
  const top = join(dir, name);
  for (const [inside, source] of Object.entries(files)) {
    await mkdir(dirname(join(top, inside)), { recursive: true });
    await copyFile(source, join(top, inside));
  }
  return top;
}

describe('libraryClosure on the host root', () => {
  const host = hostDirectoryRoot('/');
  it.each(['/bin/ls', '/usr/bin/ssh', '/usr/bin/curl', '/usr/bin/git', `${JAVA}/bin/java`])(
    'finds what ldd finds for %s',
    async (binary) => {
      const found = await libraryClosure(host, [binary]);
      const real = [...new Set(await Promise.all(found.map((path) => realpath(path))))].sort();
      expect(real).toEqual(await lddRealPaths(binary));
    },
  );

  it('names libraries by the path the loader opens, links included', async () => {
    const found = await libraryClosure(host, ['/bin/ls']);
    expect(found).toContain('/lib64/ld-linux-x86-64.so.2');
    expect(found.some((path) => path.endsWith('/libc.so.6'))).toBe(true);
  });

  it('needs nothing for a static program', async () => {
    expect(await libraryClosure(host, ['/bin/busybox'])).toEqual([]);
  });
});

describe('libraryClosure in an image root', () => {
  it('expands $ORIGIN from the folder the program really is in', async () => {
    const top = await rootWith('origin', {
      '/opt/jdk/bin/java': `${JAVA}/bin/java`,
      '/opt/jdk/lib/libjli.so': `${JAVA}/lib/libjli.so`,
      '/usr/lib/x86_64-linux-gnu/libz.so.1': `${MULTIARCH}/libz.so.1`,
      '/usr/lib/x86_64-linux-gnu/libc.so.6': `${MULTIARCH}/libc.so.6`,
      '/usr/lib64/ld-linux-x86-64.so.2': `${MULTIARCH}/ld-linux-x86-64.so.2`,
    });
    await symlink('usr/lib64', join(top, 'lib64'));
    await mkdir(join(top, 'usr/bin'), { recursive: true });
    await symlink('/opt/jdk/bin/java', join(top, 'usr/bin/java'));
    expect(await libraryClosure(hostDirectoryRoot(top), ['/usr/bin/java'])).toEqual([
      '/lib64/ld-linux-x86-64.so.2',
      '/opt/jdk/lib/libjli.so',
      '/usr/lib/x86_64-linux-gnu/libc.so.6',
      '/usr/lib/x86_64-linux-gnu/libz.so.1',
    ]);
  });

  it('skips a library of the wrong ELF class earlier in the search path', async () => {
    const top = await rootWith('class', {
      '/usr/bin/java': `${JAVA}/bin/java`,
      '/usr/lib/libjli.so': `${JAVA}/lib/libjli.so`,
      '/usr/lib/x86_64-linux-gnu/libz.so.1': `${MULTIARCH}/libz.so.1`,
      '/usr/lib/x86_64-linux-gnu/libc.so.6': `${MULTIARCH}/libc.so.6`,
      '/lib64/ld-linux-x86-64.so.2': `${MULTIARCH}/ld-linux-x86-64.so.2`,
    });
    const elf32 = new Uint8Array(64);
    elf32.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 3, 0]);
    await writeFile(join(top, 'lib64', 'libz.so.1'), elf32);
    const found = await libraryClosure(hostDirectoryRoot(top), ['/usr/bin/java']);
    expect(found).toContain('/usr/lib/x86_64-linux-gnu/libz.so.1');
    expect(found).not.toContain('/lib64/libz.so.1');
  });

  it('names the program and the library that is missing', async () => {
    const top = await rootWith('missing', {
      '/usr/bin/ls': '/bin/ls',
      '/lib64/ld-linux-x86-64.so.2': `${MULTIARCH}/ld-linux-x86-64.so.2`,
      '/lib/x86_64-linux-gnu/libc.so.6': `${MULTIARCH}/libc.so.6`,
      '/lib/x86_64-linux-gnu/libselinux.so.1': `${MULTIARCH}/libselinux.so.1`,
    });
    await expect(libraryClosure(hostDirectoryRoot(top), ['/usr/bin/ls'])).rejects.toThrow(
      /^\/usr\/bin\/ls needs libpcre2-8\.so\.0 \(needed by \/lib\/x86_64-linux-gnu\/libselinux\.so\.1\), which is not in the image; searched \/lib64, /,
    );
    await rm(join(top, 'lib/x86_64-linux-gnu/libselinux.so.1'));
    await expect(libraryClosure(hostDirectoryRoot(top), ['/usr/bin/ls'])).rejects.toThrow(
      /^\/usr\/bin\/ls needs libselinux\.so\.1, which is not in the image/,
    );
    await expect(libraryClosure(hostDirectoryRoot(top), ['/usr/bin/nothing'])).rejects.toThrow(
      /\/usr\/bin\/nothing is not in the image's root/,
    );
  });
});

describe('librarySearchDirs', () => {
  it('reads ld.so.conf with its includes, then musl’s path file, then the defaults', async () => {
    const top = join(dir, 'conf');
    await mkdir(join(top, 'etc', 'ld.so.conf.d'), { recursive: true });
    await writeFile(
      join(top, 'etc', 'ld.so.conf'),
      '# local\ninclude ld.so.conf.d/*.conf\n/opt/a  # trailing\n\n/lib64\n',
    );
    await writeFile(join(top, 'etc', 'ld.so.conf.d', 'b.conf'), '/opt/b\n');
    await writeFile(join(top, 'etc', 'ld.so.conf.d', 'a.conf'), '/opt/a0:/opt/a1\n');
    await writeFile(join(top, 'etc', 'ld.so.conf.d', 'skipped.txt'), '/opt/skipped\n');
    await writeFile(join(top, 'etc', 'ld-musl-x86_64.path'), '/opt/musl\n/opt/musl2\n');
    expect(await librarySearchDirs(hostDirectoryRoot(top))).toEqual([
      '/opt/a0',
      '/opt/a1',
      '/opt/b',
      '/opt/a',
      '/lib64',
      '/opt/musl',
      '/opt/musl2',
      ...DEFAULT_LIBRARY_DIRS.filter((path) => path !== '/lib64'),
    ]);
  });

  it('falls back to the defaults in a root without configuration', async () => {
    const top = join(dir, 'empty');
    await mkdir(top);
    expect(await librarySearchDirs(hostDirectoryRoot(top))).toEqual(DEFAULT_LIBRARY_DIRS);
  });
});
