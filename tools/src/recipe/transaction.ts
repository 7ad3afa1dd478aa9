import { writeFileAtomic } from '../core/atomic-file.ts';
import {
  chmod,
  copyFile,
  lstat,
  mkdir,
  readFile,
  readdir,
  rename,
  rm,
  rmdir,
  symlink,
} from 'node:fs/promises';
import { join } from 'node:path';
import type { StagedEntry } from './staged-tree.ts';

/** One change to the root, by absolute path under it. */
export type Change =
  | {
      readonly action: 'create' | 'replace';
      readonly path: string;
      readonly entry: Extract<StagedEntry, { kind: 'file' | 'symlink' }>;
    }
  | { readonly action: 'delete'; readonly path: string };

/** What the state file says once the change is done: how recovery tells done from undone. */
export interface Outcome {
  readonly version: string;
  readonly recipeSha256: string;
}

/**
 * Written before the root is touched and removed once the change is done, so that a change cut
 * short (killed, powered off) is rolled back, or finished when its state was written, by the
 * next run (see recoverInterrupted).
 */
interface Journal {
  readonly format: 1;
  readonly recipe: string;
  /** Undefined for a removal: done means the state file is gone. */
  readonly outcome?: Outcome;
  readonly changes: readonly { readonly action: Change['action']; readonly path: string }[];
  /** Folders made for the change, parents first: removed when it is rolled back. */
  readonly createdDirs: readonly string[];
  /** Folders the recipe had made: removed, when empty, once a removal is done. */
  readonly emptiedDirs: readonly string[];
}

const NEW = '.recipe-new';
const OLD = '.recipe-old';
const JOURNAL_SUFFIX = '.journal.json';

export function journalFile(recipesDir: string, name: string): string {
  return join(recipesDir, `.${name}${JOURNAL_SUFFIX}`);
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

async function writeNew(host: string, change: Extract<Change, { action: 'create' | 'replace' }>) {
  await rm(host + NEW, { force: true });
  if (change.entry.kind === 'symlink') {
    await symlink(change.entry.target, host + NEW);
  } else {
    await copyFile(change.entry.staged, host + NEW);
    await chmod(host + NEW, change.entry.mode);
  }
}

async function apply(root: string, change: Change): Promise<void> {
  const host = join(root, change.path);
  if (change.action === 'delete') {
    await rename(host, host + OLD);
    return;
  }
  await writeNew(host, change);
  if (change.action === 'replace') await rename(host, host + OLD);
  await rename(host + NEW, host);
}

/** Puts back what a change replaced or deleted and takes away what it created. */
async function undo(root: string, journal: Journal): Promise<void> {
  for (const change of [...journal.changes].reverse()) {
    const host = join(root, change.path);
    await rm(host + NEW, { force: true });
    if (change.action === 'create') {
      if (await exists(host)) await rm(host, { force: true });
    } else if (await exists(host + OLD)) {
      await rename(host + OLD, host);
    }
  }
  for (const dir of [...journal.createdDirs].reverse()) {
    await rmdir(join(root, dir)).catch(() => undefined);
  }
}

/** Removes what a finished change left aside, and the folders a removal emptied. */
async function finish(root: string, journal: Journal): Promise<void> {
  for (const change of journal.changes) {
    if (change.action !== 'create') await rm(join(root, change.path) + OLD, { force: true });
  }
  for (const dir of [...journal.emptiedDirs].reverse()) {
    await rmdir(join(root, dir)).catch(() => undefined);
  }
}

function writeJournal(file: string, journal: Journal): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(journal));
}

export interface TransactionPlan {
  readonly recipe: string;
  readonly outcome?: Outcome;
  readonly changes: readonly Change[];
  /** Folders to make, parents first, with their modes. */
  readonly dirs: readonly { readonly path: string; readonly mode: number }[];
  readonly emptiedDirs?: readonly string[];
}

/**
 * Applies the changes to the root, then `commit` (which writes the state), as one step: if
 * anything fails before the commit is done, every change is undone and the root is as it was.
 */
export async function runTransaction(
  root: string,
  recipesDir: string,
  plan: TransactionPlan,
  commit: () => Promise<void>,
): Promise<void> {
  const createdDirs: string[] = [];
  for (const dir of plan.dirs)
    if (!(await exists(join(root, dir.path)))) createdDirs.push(dir.path);
  const journal: Journal = {
    format: 1,
    recipe: plan.recipe,
    ...(plan.outcome === undefined ? {} : { outcome: plan.outcome }),
    changes: plan.changes.map(({ action, path }) => ({ action, path })),
    createdDirs,
    emptiedDirs: plan.emptiedDirs ?? [],
  };
  const file = journalFile(recipesDir, plan.recipe);
  await writeJournal(file, journal);
  try {
    const modes = new Map(plan.dirs.map((dir) => [dir.path, dir.mode]));
    for (const dir of createdDirs) await mkdir(join(root, dir), { mode: modes.get(dir) ?? 0o755 });
    for (const change of plan.changes) await apply(root, change);
    await commit();
  } catch (error) {
    await undo(root, journal);
    await rm(file, { force: true });
    throw error;
  }
  await finish(root, journal);
  await rm(file, { force: true });
}

/**
 * Settles changes that a killed run left half done: finished when the state says the change
 * was committed (`committed(recipe, outcome)`), rolled back otherwise. Returns, by recipe,
 * whether each was finished or rolled back.
 */
export async function recoverInterrupted(
  root: string,
  recipesDir: string,
  committed: (recipe: string, outcome: Outcome | undefined) => Promise<boolean>,
): Promise<{ recipe: string; settled: 'finished' | 'rolled back' }[]> {
  const names = await readdir(recipesDir).catch(() => [] as string[]);
  const settled: { recipe: string; settled: 'finished' | 'rolled back' }[] = [];
  for (const name of names.filter((entry) => entry.endsWith(JOURNAL_SUFFIX)).sort()) {
    const file = join(recipesDir, name);
    const journal = JSON.parse(await readFile(file, 'utf8')) as Journal;
    if (await committed(journal.recipe, journal.outcome)) {
      await finish(root, journal);
      settled.push({ recipe: journal.recipe, settled: 'finished' });
    } else {
      await undo(root, journal);
      settled.push({ recipe: journal.recipe, settled: 'rolled back' });
    }
    await rm(file, { force: true });
  }
  return settled;
}
