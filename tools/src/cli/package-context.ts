import { join, resolve } from 'node:path';
import type { VariantSpec } from '@levitate/distro-spec';
import type { BackendContext } from '../backend/index.ts';
import type { Reporter } from '../core/step.ts';
import { createFetcher } from '../fetch/index.ts';
import { cacheDirFrom, downloadsDirOf, stateDirOf } from './build-options.ts';
import type { RepositoryAccessOptions } from './build-options.ts';

/** The backend context for a command: cache, fetcher, key folders and the verification policy. */
export function packageContext(
  spec: VariantSpec,
  options: RepositoryAccessOptions & { keys?: string },
  reporter: Reporter,
): BackendContext {
  const cacheDir = cacheDirFrom(options);
  if (!options.verify) {
    reporter.warn(
      'SIGNATURE CHECKING IS OFF (--no-verify): packages and indexes are used without proof of where they came from',
    );
  }
  return {
    spec,
    reporter,
    verify: options.verify,
    keyDirs: [
      ...(options.keys === undefined ? [] : [resolve(options.keys)]),
      join(cacheDir, 'keys'),
    ],
    stateDir: stateDirOf(cacheDir),
    fetcher: createFetcher({
      cacheDir: downloadsDirOf(cacheDir),
      offline: options.offline ?? false,
      reporter,
    }),
  };
}
