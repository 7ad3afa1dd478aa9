import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recipeWorld, sha256, snapshot } from './recipe.support.ts';
import type { RecipeWorld } from './recipe.support.ts';
import { journalFile, recoverInterrupted, runTransaction } from './transaction.ts';
import type { Change, TransactionPlan } from './transaction.ts';

let world: RecipeWorld;
beforeEach(() => {
  world = recipeWorld('transaction');
});
afterEach(() => world.cleanup());

/** A plan that replaces /usr/local/bin/tool, deletes /usr/local/bin/old and creates a folder and a file in it. */
function plan(): TransactionPlan {
  mkdirSync(join(world.dir, 'out'));
  writeFileSync(join(world.root, 'usr/local/bin/tool'), 'tool 1\n');
  writeFileSync(join(world.root, 'usr/local/bin/old'), 'old\n');
  const staged = (name: string, text: string) => {
    const file = join(world.dir, 'out', name);
    writeFileSync(file, text);
    return {
      kind: 'file' as const,
      path: '',
      mode: 0o755,
      size: text.length,
      sha256: sha256(text),
      staged: file,
    };
  };
  const changes: Change[] = [
    {
      action: 'replace',
      path: '/usr/local/bin/tool',
      entry: { ...staged('tool', 'tool 2\n'), path: '/usr/local/bin/tool' },
    },
    { action: 'delete', path: '/usr/local/bin/old' },
    {
      action: 'create',
      path: '/usr/local/share/tool/data',
      entry: { ...staged('data', 'data\n'), path: '/usr/local/share/tool/data' },
    },
  ];
  return {
    recipe: 'tool',
    outcome: { version: '2', recipeSha256: 'f'.repeat(64) },
    changes,
    dirs: [
      { path: '/usr/local/share', mode: 0o755 },
      { path: '/usr/local/share/tool', mode: 0o755 },
    ],
  };
}

describe('runTransaction', () => {
  it('applies every change, then the commit, and leaves nothing aside', async () => {
    const steps = plan();
    await runTransaction(world.root, world.recipesDir, steps, async () => undefined);
    expect(readFileSync(join(world.root, 'usr/local/bin/tool'), 'utf8')).toBe('tool 2\n');
    expect(existsSync(join(world.root, 'usr/local/bin/old'))).toBe(false);
    expect(readFileSync(join(world.root, 'usr/local/share/tool/data'), 'utf8')).toBe('data\n');
    expect(readdirSync(join(world.root, 'usr/local/bin')).sort()).toEqual(['tool']);
    expect(existsSync(journalFile(world.recipesDir, 'tool'))).toBe(false);
  });

  it('undoes every change when the commit fails', async () => {
    const steps = plan();
    const before = snapshot(world.root);
    await expect(
      runTransaction(world.root, world.recipesDir, steps, () =>
        Promise.reject(new Error('disk full')),
      ),
    ).rejects.toThrow('disk full');
    expect(snapshot(world.root)).toEqual(before);
  });

  it('undoes a change cut short, as the next run finds it: killed before the state was written', async () => {
    const steps = plan();
    const before = snapshot(world.root);
    // The commit never ends: the process is as good as killed with every change made.
    void runTransaction(world.root, world.recipesDir, steps, () => new Promise(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(existsSync(journalFile(world.recipesDir, 'tool'))).toBe(true);
    expect(snapshot(world.root)).not.toEqual(before);
    const settled = await recoverInterrupted(world.root, world.recipesDir, async () => false);
    expect(settled).toEqual([{ recipe: 'tool', settled: 'rolled back' }]);
    expect(snapshot(world.root)).toEqual(before);
  });

  it('finishes a change whose state was written before it was cut short', async () => {
    const steps = plan();
    void runTransaction(world.root, world.recipesDir, steps, () => new Promise(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const settled = await recoverInterrupted(
      world.root,
      world.recipesDir,
      async (recipe, outcome) => recipe === 'tool' && outcome?.version === '2',
    );
    expect(settled).toEqual([{ recipe: 'tool', settled: 'finished' }]);
    expect(readdirSync(join(world.root, 'usr/local/bin')).sort()).toEqual(['tool']);
    expect(readFileSync(join(world.root, 'usr/local/bin/tool'), 'utf8')).toBe('tool 2\n');
    expect(existsSync(journalFile(world.recipesDir, 'tool'))).toBe(false);
  });
});
