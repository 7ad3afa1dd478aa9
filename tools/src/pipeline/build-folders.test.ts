import * as fsPromises from 'node:fs/promises';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError, inStage } from '../core/errors.ts';
import { exitCodeFor, formatError } from '../core/format-error.ts';
import { inBuildFolders } from './build-folders.ts';
import type { BuildFolderOptions, BuildFolders } from './build-folders.ts';
import type { FolderFs } from './output-folder.ts';

let dir: string;
let folders: BuildFolders;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'build-folders-'));
  folders = { out: join(dir, 'dist'), cache: join(dir, 'cache'), temp: join(dir, 'tmp') };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function options(extra: Partial<BuildFolderOptions> = {}) {
  const lines: string[] = [];
  const reporter = {
    info: (line: string) => lines.push(line),
    warn: (line: string) => lines.push(line),
  };
  return { lines, options: { reporter, lockPollMs: 20, ...extra } };
}

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

function errno(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
}

/** The real file operations, except that `operation` fails with `code` inside `where`. */
function failingFs(code: string, operation: keyof FolderFs, where: string): FolderFs {
  const fails = (path: unknown) => typeof path === 'string' && path.startsWith(where);
  return {
    ...fsPromises,
    [operation]: (path: string, ...rest: unknown[]) => {
      if (fails(path)) return Promise.reject(errno(code, operation, path));
      return (fsPromises[operation] as (...args: unknown[]) => Promise<unknown>)(path, ...rest);
    },
  } as FolderFs;
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const err = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(err).toBeInstanceOf(UserError);
  expect(exitCodeFor(err)).toBe(2);
  expect(formatError(err)).not.toContain('this is a bug');
  return err as UserError;
}

describe('inBuildFolders', () => {
  it('gives the build a work folder and removes it, and the locks, when the build ends', async () => {
    let work = '';
    const result = await inBuildFolders('testos', folders, options().options, ({ workDir }) => {
      work = workDir;
      return writeFile(join(workDir, 'squashfs.img'), 'image').then(() => 'built');
    });
    expect(result).toBe('built');
    expect(work.startsWith(join(folders.temp, 'testos-build-'))).toBe(true);
    expect(await readdir(folders.temp)).toEqual([]);
    expect(await readdir(folders.out)).toEqual([]);
    expect(await readdir(folders.cache)).toEqual([]);
  });

  it('runs two builds into the same output folder one after the other, the second saying whom it waits for', async () => {
    const events: string[] = [];
    const build = (name: string) => async () => {
      events.push(`${name} starts`);
      await pause(200);
      events.push(`${name} ends`);
    };
    const second = options();
    const first = inBuildFolders('testos', folders, options().options, build('first'));
    await pause(50);
    const next = inBuildFolders('testos', folders, second.options, build('second'));
    await Promise.all([first, next]);
    expect(events).toEqual(['first starts', 'first ends', 'second starts', 'second ends']);
    expect(second.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^waiting for the build holding ${folders.out} \\(process ${process.pid} `),
      ),
    );
  });

  it('fails the second build clearly when the first holds the output folder for longer than the wait', async () => {
    let release = () => {};
    const first = inBuildFolders(
      'testos',
      folders,
      options().options,
      () => new Promise<void>((done) => (release = done)),
    );
    await pause(50);
    const error = await failure(
      inBuildFolders('testos', folders, options({ lockWaitMs: 100 }).options, () =>
        Promise.resolve(),
      ),
    );
    expect(error.code).toBe('folder-busy');
    expect(error.message).toContain(
      `the output folder ${folders.out} is still in use by process ${process.pid}`,
    );
    release();
    await first;
  });

  it('lets a build into another output folder take the cache once the first no longer writes it', async () => {
    const events: string[] = [];
    const first = inBuildFolders('testos', folders, options().options, async ({ releaseCache }) => {
      events.push('first writes the cache');
      await pause(150);
      await releaseCache();
      events.push('first released the cache');
      await pause(150);
      events.push('first ends');
    });
    await pause(50);
    const second = options();
    const other = { ...folders, out: join(dir, 'other') };
    const next = inBuildFolders('testos', other, second.options, async () => {
      events.push('second writes the cache');
    });
    await Promise.all([first, next]);
    expect(events).toEqual([
      'first writes the cache',
      'first released the cache',
      'second writes the cache',
      'first ends',
    ]);
    expect(second.lines[0]).toMatch(`waiting for the build holding ${folders.cache} `);
  });

  it('fails before the build when the output folder or TMPDIR has too little room', async () => {
    let built = false;
    const error = await failure(
      inBuildFolders(
        'testos',
        folders,
        options({ freeSpace: () => Promise.resolve(1024 * 1024) }).options,
        async () => {
          built = true;
        },
      ),
    );
    expect(error.code).toBe('folder-full');
    expect(error.message).toContain(`the output folder ${folders.out} about 96 MiB`);
    expect(error.message).toContain(`the temporary folder (TMPDIR) ${folders.temp} about 192 MiB`);
    expect(built).toBe(false);
  });
});

const FOLDERS = [
  { which: 'out', role: 'output folder', elsewhere: 'pass another --out' },
  {
    which: 'temp',
    role: 'temporary folder (TMPDIR)',
    elsewhere: 'set TMPDIR to a writable folder',
  },
] as const;

describe.each(FOLDERS)('the $role', ({ which, role, elsewhere }) => {
  it.each([
    ['EROFS', 'mkdir', 'folder-read-only', 'is on a read-only file system'],
    ['EROFS', 'writeFile', 'folder-read-only', 'is on a read-only file system'],
    ['EACCES', 'mkdir', 'folder-not-writable', 'no permission to write in the'],
    ['EACCES', 'writeFile', 'folder-not-writable', 'no permission to write in the'],
    ['ENOSPC', 'writeFile', 'folder-full', 'no space left on the file system of the'],
  ] as const)('is refused before the build on %s from %s', async (code, operation, kind, says) => {
    let built = false;
    const { options: withFs } = options({ fs: failingFs(code, operation, folders[which]) });
    const error = await failure(
      inBuildFolders('testos', folders, withFs, async () => {
        built = true;
      }),
    );
    expect(error.code).toBe(kind);
    expect(error.message).toContain(says);
    expect(error.message).toContain(`${role} ${folders[which]}`);
    expect(error.hint).toContain(elsewhere);
    expect(built).toBe(false);
  });

  it.each([
    ['a file', (path: string) => path, 'EEXIST'],
    ['under a file', (path: string) => join(path, 'below'), 'ENOTDIR'],
  ])('is refused before the build when it is %s', async (_, place, code) => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');
    const placed = { ...folders, [which]: place(file) };
    const error = await failure(
      inBuildFolders('testos', placed, options().options, () => Promise.resolve()),
    );
    expect(error.code).toBe('folder-not-a-folder');
    expect(error.message).toContain(`the ${role} ${placed[which]} cannot be used as a folder`);
    expect((error.cause as NodeJS.ErrnoException).code).toBe(code);
  });

  it.each(['ENOSPC', 'EROFS', 'EACCES'])(
    'explains %s met while the build writes there',
    async (code) => {
      const error = await failure(
        inBuildFolders('testos', folders, options().options, ({ workDir }) => {
          const path = join(which === 'out' ? folders.out : workDir, 'squashfs.img');
          return inStage('write the squashfs', () => Promise.reject(errno(code, 'write', path)));
        }),
      );
      expect(error.message).toContain(`the ${role} ${folders[which]} `);
      expect(error.message).toMatch(new RegExp(`\\(writing ${folders[which]}/.*squashfs.img\\)$`));
      expect(error.hint).toContain(elsewhere);
    },
  );
});
