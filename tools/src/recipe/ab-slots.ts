/**
 * Changes on an A/B install go to the slot that is not running: `recupdate stage` copies the
 * running system into it, the change is made there, and `recupdate arm` makes its next boot a
 * trial that the slot must pass to become the default. The running system is never written.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { messageOf } from '../core/errors.ts';
import { SlotChangeError } from './recipe-errors.ts';
import type { RecipeSettings } from './recipe-settings.ts';
import { retargetUki, rootOnSlot } from './slot-uki.ts';
import type { Slot } from './slot-uki.ts';

/** Where the other slot is mounted while a change is composed in it. */
const STAGE_PARENT = '/run';

const SLOTS: readonly Slot[] = ['a', 'b'];

/** The slot the running system booted from (root=PARTLABEL=system-<slot>), if any. */
export async function runningSlot(cmdlineFile = '/proc/cmdline'): Promise<Slot | undefined> {
  const cmdline = await readFile(cmdlineFile, 'utf8').catch(() => '');
  const words = cmdline.split(/\s+/);
  return SLOTS.find((slot) => words.includes(rootOnSlot(slot)));
}

const otherSlot = (slot: Slot): Slot => (slot === 'a' ? 'b' : 'a');

/** The other slot, staged with a copy of the running system, for one change. */
export interface StagedSlot {
  /** The settings of the change: the staged root and its recipe folder. */
  readonly settings: RecipeSettings;
  /** Arms the trial boot of the staged slot; returns what recupdate said. */
  arm(): Promise<string>;
  /** Gives the staged slot up after a failed change. */
  abandon(): Promise<void>;
}

async function recupdate(settings: RecipeSettings, step: string, args: readonly string[]) {
  try {
    return await settings.runner.run(['recupdate', ...args], { timeoutMs: 3_600_000 });
  } catch (error) {
    throw new SlotChangeError(step, messageOf(error), {
      hint: 'recupdate status shows the slots; the running slot is unchanged and stays the default',
      cause: error,
    });
  }
}

/** Copies the running system into the other slot and returns the settings that change it. */
export async function stageOtherSlot(settings: RecipeSettings, running: Slot): Promise<StagedSlot> {
  const target = otherSlot(running);
  const dir = await mkdtemp(join(STAGE_PARENT, 'recipe-slot-'));
  settings.reporter.info(`copying slot ${running} into slot ${target}, where the change is made`);
  try {
    await recupdate(settings, `stage slot ${target}`, ['stage', dir]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  // The recipes and their state travel with the slot they describe.
  const inRoot = relative(settings.root, settings.recipesDir);
  const recipesDir =
    inRoot.startsWith('..') || isAbsolute(inRoot) ? settings.recipesDir : join(dir, inRoot);
  return {
    settings: { ...settings, root: dir, recipesDir },
    async arm() {
      const uki = (
        await recupdate(settings, `find the UKI of slot ${running}`, ['uki'])
      ).stdout.trim();
      const bytes = await readFile(uki);
      const file = join(settings.workDir, `recipe-slot-${target}-${process.pid}.efi`);
      await writeFile(file, retargetUki(bytes, uki, running, target));
      try {
        const armed = await recupdate(settings, `arm slot ${target}`, ['arm', '--uki', file, dir]);
        return armed.stdout;
      } finally {
        await rm(file, { force: true });
      }
    },
    async abandon() {
      await recupdate(settings, `give up slot ${target}`, ['unstage', dir]).catch(
        (error: unknown) => settings.reporter.warn(messageOf(error)),
      );
    },
  };
}
