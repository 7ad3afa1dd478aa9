import type { Runner } from '../core/run.ts';
import type { Reporter } from '../core/step.ts';
import type { Fetcher } from '../fetch/index.ts';
import type { Sandbox } from './sandbox.ts';

/** Where `recipe` works and with what: one value for a whole command. */
export interface RecipeSettings {
  /** The root the recipes change (`/`, or a mounted root with `--root`). */
  readonly root: string;
  /** The recipes and their state files (`<root>/etc/recipes` unless given). */
  readonly recipesDir: string;
  /** Where scratch folders are made; removed after each recipe. */
  readonly workDir: string;
  /** `SOURCE_DATE_EPOCH` for every build; each recipe file's modification time unless given. */
  readonly sourceDateEpoch?: number;
  readonly fetcher: Fetcher;
  readonly runner: Runner;
  readonly sandbox: Sandbox;
  readonly reporter: Reporter;
}
