import { UserError } from '../core/errors.ts';
import type { ResolvedPackage } from './types.ts';

/**
 * The loaded repository a package is fetched from, by the name it was resolved (or locked)
 * under; a name the variant does not have is the user's to fix.
 */
export function repositoryFor<T>(
  pkg: ResolvedPackage,
  repositories: readonly T[],
  nameOf: (repository: T) => string,
): T {
  const found = repositories.find((repository) => nameOf(repository) === pkg.repository);
  if (found !== undefined) return found;
  const names = repositories.map(nameOf).join(', ');
  throw new UserError(
    'package-repository-unknown',
    `${pkg.name}-${pkg.version} comes from repository "${pkg.repository}", which the variant does not have (it has ${names || 'none'})`,
    {
      hint: 'resolve again (without --locked, or run lock again) against the variant as it is now',
    },
  );
}
