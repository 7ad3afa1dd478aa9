import { UserError } from '../core/errors.ts';

/** The steps of applying a recipe, as errors and the audit log name them. */
export type RecipeStep =
  'load' | 'acquire' | 'build' | 'install' | 'apply' | 'remove' | 'verify' | 'state';

/** A recipe that cannot be loaded, built or applied: names the recipe and the step. */
export class RecipeError extends UserError {
  override name = 'RecipeError';
  readonly recipe: string;
  readonly step: RecipeStep;

  constructor(
    recipe: string,
    step: RecipeStep,
    message: string,
    options?: { hint?: string; cause?: unknown },
  ) {
    super(`recipe-${step}`, `${recipe}: ${step}: ${message}`, options);
    this.recipe = recipe;
    this.step = step;
  }
}

/** Composing a change into the other slot of an A/B install failed: names the step. */
export class SlotChangeError extends UserError {
  override name = 'SlotChangeError';

  constructor(step: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super('recipe-slot', `${step}: ${message}`, options);
  }
}
