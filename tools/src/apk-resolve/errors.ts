import { UserError } from '../core/errors.ts';

/** A request that cannot be resolved against the given indexes, or is itself malformed. */
export class ApkResolveError extends UserError {
  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(code, message, options);
    this.name = 'ApkResolveError';
  }
}
