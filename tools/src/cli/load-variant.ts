import { KeyPinError, SpecError, UnknownFeatureError, loadVariant } from '@levitate/distro-spec';
import type { ResolveOptions, VariantSpec } from '@levitate/distro-spec';
import { UserError } from '../core/errors.ts';

/** Loads a variant for a command; problems with the variant's files become user errors. */
export async function loadVariantForCli(
  ref: string,
  options: ResolveOptions,
): Promise<VariantSpec> {
  try {
    return await loadVariant(ref, options);
  } catch (error) {
    if (
      error instanceof SpecError ||
      error instanceof UnknownFeatureError ||
      error instanceof KeyPinError
    ) {
      throw new UserError(error.code, error.message, { hint: error.hint, cause: error });
    }
    throw error;
  }
}
