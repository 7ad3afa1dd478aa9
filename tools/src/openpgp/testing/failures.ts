import { SignatureError } from '../errors.ts';
import type { SignatureFailure } from '../api.ts';

/** Test support: what kind of SignatureError an action throws ('none' when it succeeds). */
export function failureOf(action: () => unknown): SignatureFailure | 'none' {
  try {
    action();
    return 'none';
  } catch (err) {
    if (err instanceof SignatureError) {
      return err.failure;
    }
    throw err;
  }
}

/** Test support: the SignatureError an action throws; anything else fails the test. */
export function errorOf(action: () => unknown): SignatureError {
  try {
    action();
  } catch (err) {
    if (err instanceof SignatureError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a SignatureError');
}
