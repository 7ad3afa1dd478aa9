/** The error a fetch ends with when no mirror and no cache entry could supply the file. */

import { UserError } from '../core/errors.ts';
import { PackageVerifyError } from '../packages/errors.ts';

/** What happened at one location. */
export interface Tried {
  readonly location: string;
  readonly kind: 'not-found' | 'failed' | 'mismatch' | 'skipped';
  readonly reason: string;
  /** The server could not be reached at all (name, route, refusal, no answer in time). */
  readonly unreachable?: boolean;
}

export interface FetchSubject {
  readonly label: string;
  readonly path: string;
  readonly offline: boolean;
  readonly cacheDir: string;
}

export const FETCH_FAILED_HINT =
  'check the mirror URLs of the repository and the network, or rerun with --offline if the cache already holds every file';

function name(subject: FetchSubject): string {
  return subject.label === subject.path ? subject.path : `${subject.label} (${subject.path})`;
}

function listing(tried: readonly Tried[]): string {
  return tried.map((entry) => `\n  ${entry.location}: ${entry.reason}`).join('');
}

export function fetchFailure(subject: FetchSubject, tried: readonly Tried[]): Error {
  const mismatches = tried.filter((entry) => entry.kind === 'mismatch');
  const [firstMismatch] = mismatches;
  if (firstMismatch !== undefined) {
    const others = mismatches.slice(1).map((entry) => entry.location);
    const also = others.length === 0 ? '' : ` (the copies at ${others.join(', ')} differ too)`;
    return new PackageVerifyError({
      package: subject.label,
      file: firstMismatch.location,
      message: `${firstMismatch.reason}${also}`,
      hint: 'the mirror holds a different file than the repository metadata describes; refresh the metadata or use another mirror',
    });
  }
  // Offline, a mirror on the network is skipped for want of a cached copy; when every
  // location was on this machine and simply lacks the file, the cache is not to blame.
  const cacheMiss = tried.length === 0 || tried.some((entry) => entry.kind === 'skipped');
  if (subject.offline && cacheMiss && tried.every((entry) => entry.kind !== 'failed')) {
    return new UserError(
      'fetch-offline-miss',
      `${name(subject)} is not in the cache at ${subject.cacheDir}, and the network is not used offline:${listing(tried)}`,
      {
        hint: 'run once without --offline to fill the cache, or point --repo at a local copy of the repository',
      },
    );
  }
  if (tried.length > 0 && tried.every((entry) => entry.kind === 'not-found')) {
    return new UserError(
      'fetch-not-found',
      `${name(subject)} was not found on any mirror:${listing(tried)}`,
      {
        hint: tried.every((entry) => !/^https?:/.test(entry.location))
          ? 'the repository on this machine lacks the file: check the folder given with --repo, and that its index lists the files it holds'
          : 'check the mirror URLs; a mirror that lags behind the repository metadata lacks newer files',
      },
    );
  }
  if (tried.length > 0 && tried.every((entry) => entry.unreachable === true)) {
    return new UserError(
      'fetch-unreachable',
      `could not reach any mirror of ${name(subject)}:${listing(tried)}`,
      { hint: FETCH_FAILED_HINT },
    );
  }
  const failed = tried.filter((entry) => entry.kind === 'failed');
  const last = failed[failed.length - 1] ?? tried[tried.length - 1];
  return new UserError(
    'fetch-failed',
    `could not fetch ${name(subject)}: ${last?.reason ?? 'no mirror to fetch from'}; tried:${listing(tried)}`,
    { hint: FETCH_FAILED_HINT },
  );
}
