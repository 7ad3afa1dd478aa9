import { UserError } from '../core/errors.ts';

/**
 * A request that cannot be resolved: nothing matches it, nothing provides something it needs,
 * or what it needs conflicts. `code` is one of `rpm-no-match`, `rpm-unknown-group`,
 * `rpm-groups-unavailable`, `rpm-nothing-provides`, `rpm-conflict`, `rpm-unresolvable`.
 * Constructed like any {@link UserError}: `(code, message, { hint?, cause? })`.
 */
export class RpmResolveError extends UserError {
  override name = 'RpmResolveError';
}
