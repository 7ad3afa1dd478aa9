import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import {
  copyFile,
  link,
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  symlink,
} from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * The output folder holds every published set of artifacts in `.builds/<time>-<random>/`;
 * `.builds/current` links to the set on show, and each artifact name in the folder links to
 * `.builds/current/<name>`. Publishing a set is one rename of the `current` link, so at every
 * instant the names show the whole previous set or the whole new one.
 */
export const SETS_FOLDER = '.builds';
export const CURRENT_SET = 'current';

/** Told of every change to the output folder, once it is made; a test can stop there. */
export type ChangeHook = (change: string) => void | Promise<void>;

type Entry = 'absent' | 'link' | 'other';

async function entryKind(path: string): Promise<Entry> {
  try {
    return (await lstat(path)).isSymbolicLink() ? 'link' : 'other';
  } catch {
    return 'absent';
  }
}

async function linkTarget(path: string): Promise<string | undefined> {
  try {
    return await readlink(path);
  } catch {
    return undefined;
  }
}

async function isFileThere(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Makes what is written to `path` survive a crash of the machine, not only of the process. */
async function syncToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}

export class PublishedSets {
  private readonly setsDir: string;

  constructor(
    private readonly outDir: string,
    /** The artifact names a set holds. */
    private readonly names: readonly string[],
    private readonly changed: ChangeHook,
  ) {
    this.setsDir = join(outDir, SETS_FOLDER);
  }

  private async change(what: string, operation: () => Promise<unknown>): Promise<void> {
    await operation();
    await this.changed(what);
  }

  private canonical(name: string): string {
    return join(SETS_FOLDER, CURRENT_SET, name);
  }

  /** Points `path` at `target` in one rename, whatever was there before. */
  private async relink(path: string, target: string): Promise<void> {
    const temporary = join(this.setsDir, `.link-${randomBytes(6).toString('hex')}`);
    await symlink(target, temporary);
    try {
      await rename(temporary, path);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  /**
   * Brings the folder to the layout above without changing what its names show: artifacts
   * published as plain files, or restored from a cache that copied the links as files, are
   * adopted into a set of their own first.
   */
  async prepare(): Promise<void> {
    await mkdir(this.setsDir, { recursive: true });
    const current = await entryKind(join(this.setsDir, CURRENT_SET));
    const targets = await Promise.all(
      this.names.map((name) => linkTarget(join(this.outDir, name))),
    );
    const unlinked = this.names.filter((name, index) => targets[index] !== this.canonical(name));
    if (current !== 'other' && unlinked.length === 0) return;
    const shown: string[] = [];
    for (const name of this.names) {
      if (await isFileThere(join(this.outDir, name))) shown.push(name);
    }
    if (current !== 'other' && shown.length === 0) {
      for (const name of unlinked) {
        await this.change(`link ${name} to the current set`, () =>
          this.relink(join(this.outDir, name), this.canonical(name)),
        );
      }
      return;
    }
    await this.adopt(shown, current === 'other');
  }

  private async adopt(shown: readonly string[], currentIsFolder: boolean): Promise<void> {
    const adopted = await this.create(new Date());
    for (const name of shown) {
      const source = await realpath(join(this.outDir, name));
      const copy = join(adopted, name);
      await this.change(`keep ${name} as published in ${adopted}`, () =>
        link(source, copy).catch(() => copyFile(source, copy, constants.COPYFILE_EXCL)),
      );
    }
    await syncToDisk(adopted);
    for (const name of this.names) {
      await this.change(`link ${name} to ${adopted}`, () =>
        this.relink(join(this.outDir, name), join(SETS_FOLDER, basename(adopted), name)),
      );
    }
    if (currentIsFolder) {
      const aside = join(this.setsDir, `.replaced-${randomBytes(6).toString('hex')}`);
      await this.change(`move the folder ${CURRENT_SET} aside`, () =>
        rename(join(this.setsDir, CURRENT_SET), aside),
      );
    }
    await this.show(adopted);
    for (const name of this.names) {
      await this.change(`link ${name} to the current set`, () =>
        this.relink(join(this.outDir, name), this.canonical(name)),
      );
    }
  }

  /** A new, empty set folder, not shown yet. */
  async create(now: Date): Promise<string> {
    let set = '';
    await this.change('create a set folder', async () => {
      set = await mkdtemp(join(this.setsDir, `${stamp(now)}-`));
    });
    return set;
  }

  /** Copies `source` into the set as `name`, on disk before this returns. */
  async copyInto(set: string, name: string, source: string): Promise<void> {
    await this.change(`copy ${name} into ${set}`, async () => {
      await copyFile(source, join(set, name), constants.COPYFILE_EXCL);
      await syncToDisk(join(set, name));
    });
  }

  /** Writes `content` into the set as `name`, on disk before this returns. */
  async writeInto(set: string, name: string, content: string): Promise<void> {
    await this.change(`write ${name} into ${set}`, async () => {
      const handle = await open(join(set, name), 'wx');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  /** Shows `set` under the artifact names: one rename of the `current` link. */
  async show(set: string): Promise<void> {
    await syncToDisk(set);
    await this.change(`show ${set}`, () =>
      this.relink(join(this.setsDir, CURRENT_SET), basename(set)),
    );
    await syncToDisk(this.setsDir);
  }

  /**
   * Removes every other set and leftover of interrupted publishes: earlier sets, temporary
   * links, the temporary files of older versions of this stage, and links of artifact names
   * (an earlier version's) that the shown set no longer has.
   */
  async removeAllBut(set: string): Promise<void> {
    for (const entry of await readdir(this.setsDir)) {
      if (entry === CURRENT_SET || entry === basename(set)) continue;
      await this.change(`remove ${entry}`, () =>
        rm(join(this.setsDir, entry), { recursive: true, force: true }),
      );
    }
    const current = `${join(SETS_FOLDER, CURRENT_SET)}/`;
    for (const entry of await readdir(this.outDir)) {
      const path = join(this.outDir, entry);
      const leftover = this.names.some((name) => entry.startsWith(`.${name}.tmp-`));
      const stale =
        !this.names.includes(entry) &&
        (await linkTarget(path))?.startsWith(current) === true &&
        !(await isFileThere(path));
      if (leftover || stale) await this.change(`remove ${entry}`, () => rm(path, { force: true }));
    }
  }
}
