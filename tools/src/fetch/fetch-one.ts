/** Fetching one file: the cache first, then each mirror in turn, then a precise error. */

import { rm } from 'node:fs/promises';
import { UserError } from '../core/errors.ts';
import type { Reporter } from '../core/step.ts';
import type { ContentCache } from './cache.ts';
import { contentProblem, measureFile } from './digest.ts';
import { fetchFailure } from './fetch-errors.ts';
import type { Tried } from './fetch-errors.ts';
import { planFetch } from './fetch-plan.ts';
import type { FetchPlan } from './fetch-plan.ts';
import { CacheWriteError } from './http-body.ts';
import { downloadFromMirror } from './http-download.ts';
import type { HttpTransport } from './http-request.ts';
import { copyFromIso } from './iso-source.ts';
import type { IsoImages } from './iso-source.ts';
import { readLocalFile, type LocalOutcome } from './local-source.ts';
import type { Location } from './mirrors.ts';
import type { ProgressItem } from './progress.ts';
import type { FetchSettings } from './settings.ts';
import type { FetchRequest, FetchResult } from './types.ts';

export interface FetchContext {
  readonly settings: FetchSettings;
  readonly cache: ContentCache;
  readonly transport: HttpTransport;
  /** The ISO images mirrors point into, opened while they are read. */
  readonly images: IsoImages;
  readonly reporter?: Reporter;
}

interface Attempt {
  readonly context: FetchContext;
  readonly plan: FetchPlan;
  readonly partial: string;
  readonly progress: ProgressItem;
  readonly signal: AbortSignal | undefined;
  readonly tried: Tried[];
}

function finish(
  progress: ProgressItem,
  found: { file: string; sha256: string; size: number },
  fromCache: boolean,
  url: string,
): FetchResult {
  progress.finished(found.size);
  const digest = { algorithm: 'sha256', hex: found.sha256 } as const;
  return { file: found.file, digest, size: found.size, fromCache, url };
}

function cacheKeys(
  plan: FetchPlan,
  location: Location,
): { digest?: FetchPlan['digest']; url?: string } {
  return plan.digest === undefined ? { url: location.display } : { digest: plan.digest };
}

/**
 * What a local file or an ISO gave. A refused copy is removed, so that it cannot become the
 * start of the next mirror's download, and noted; a found one is committed to the cache when
 * it was copied into the partial file, and used where it is otherwise.
 */
async function settle(
  attempt: Attempt,
  location: Extract<Location, { kind: 'local' | 'iso' }>,
  outcome: LocalOutcome,
  copied: boolean,
): Promise<FetchResult | undefined> {
  if (outcome.kind !== 'found') {
    if (copied) await rm(attempt.partial, { force: true });
    attempt.tried.push({ location: location.display, kind: outcome.kind, reason: outcome.reason });
    return undefined;
  }
  const { measured } = outcome;
  const file = copied
    ? await attempt.context.cache.commit(
        attempt.partial,
        measured,
        cacheKeys(attempt.plan, location),
      )
    : outcome.file;
  return finish(
    attempt.progress,
    { file, sha256: measured.sha256, size: measured.size },
    false,
    location.display,
  );
}

async function fromLocal(
  attempt: Attempt,
  location: Extract<Location, { kind: 'local' }>,
): Promise<FetchResult | undefined> {
  const { context, plan } = attempt;
  const copy = context.settings.copyLocalFiles;
  const expected = { digest: plan.digest, size: plan.size };
  if (copy) {
    await context.cache.preparePartial(attempt.partial);
  }
  const outcome = await readLocalFile(location.file, expected, copy ? attempt.partial : undefined);
  return settle(attempt, location, outcome, copy);
}

/**
 * A file inside an ISO image: always copied into the cache, since it has no path of its own,
 * and read like a local file whether or not the fetcher is offline.
 */
async function fromIso(
  attempt: Attempt,
  location: Extract<Location, { kind: 'iso' }>,
): Promise<FetchResult | undefined> {
  const { context, plan } = attempt;
  await context.cache.preparePartial(attempt.partial);
  const outcome = await copyFromIso(
    context.images,
    location,
    { digest: plan.digest, size: plan.size },
    attempt.partial,
    (bytes) => attempt.progress.advanced(bytes),
  );
  return settle(attempt, location, outcome, true);
}

async function fromRemote(
  attempt: Attempt,
  location: Extract<Location, { kind: 'http' }>,
): Promise<FetchResult | undefined> {
  const { context, plan, tried } = attempt;
  if (context.settings.offline) {
    const hit =
      plan.digest === undefined
        ? await context.cache.lookupByUrl(location.display, plan.size, plan.label)
        : undefined;
    if (hit !== undefined) {
      return finish(attempt.progress, hit, true, location.display);
    }
    tried.push({ location: location.display, kind: 'skipped', reason: 'not in the cache' });
    return undefined;
  }
  await context.cache.preparePartial(attempt.partial);
  const outcome = await downloadFromMirror({
    transport: context.transport,
    policy: context.settings,
    url: location.url,
    display: location.display,
    partial: attempt.partial,
    expectedSize: plan.size,
    reporter: context.reporter,
    signal: attempt.signal,
    onSize: (total) => attempt.progress.sized(total),
    onBytes: (bytes) => attempt.progress.advanced(bytes),
  });
  if (outcome.kind !== 'complete') {
    if (outcome.kind === 'mismatch') {
      await rm(attempt.partial, { force: true });
    }
    tried.push({
      location: location.display,
      kind: outcome.kind,
      reason: outcome.reason,
      ...(outcome.kind === 'failed' && outcome.unreachable === true ? { unreachable: true } : {}),
    });
    return undefined;
  }
  const measured = await measureFile(attempt.partial, plan.digest?.algorithm);
  const problem = contentProblem(measured, { digest: plan.digest, size: plan.size });
  if (problem !== undefined) {
    await rm(attempt.partial, { force: true });
    tried.push({ location: location.display, kind: 'mismatch', reason: problem });
    return undefined;
  }
  const file = await context.cache.commit(attempt.partial, measured, cacheKeys(plan, location));
  return finish(
    attempt.progress,
    { file, sha256: measured.sha256, size: measured.size },
    false,
    location.display,
  );
}

function fromLocation(attempt: Attempt, location: Location): Promise<FetchResult | undefined> {
  switch (location.kind) {
    case 'local':
      return fromLocal(attempt, location);
    case 'iso':
      return fromIso(attempt, location);
    case 'http':
      return fromRemote(attempt, location);
  }
}

function reportSetback(attempt: Attempt, more: boolean): void {
  const last = attempt.tried[attempt.tried.length - 1];
  if (last === undefined || last.kind === 'skipped' || attempt.context.reporter === undefined) {
    return;
  }
  const next = more ? '; trying the next mirror' : '';
  const message = `${attempt.plan.label}: ${last.location}: ${last.reason}${next}`;
  if (last.kind === 'mismatch' || (last.kind === 'failed' && more)) {
    attempt.context.reporter.warn(message);
  } else {
    attempt.context.reporter.debug(message);
  }
}

async function fetchPlanned(
  context: FetchContext,
  plan: FetchPlan,
  progress: ProgressItem,
  signal: AbortSignal | undefined,
): Promise<FetchResult> {
  const { cache } = context;
  if (plan.digest !== undefined) {
    const hit = await cache.lookupByDigest(plan.digest, plan.size, plan.label);
    if (hit !== undefined) {
      return finish(progress, hit, true, plan.locations[0].display);
    }
  }
  const partial = cache.partialPath(plan.digest);
  const attempt: Attempt = { context, plan, partial, progress, signal, tried: [] };
  try {
    for (const [index, location] of plan.locations.entries()) {
      signal?.throwIfAborted();
      const result = await fromLocation(attempt, location);
      if (result !== undefined) {
        return result;
      }
      reportSetback(attempt, index + 1 < plan.locations.length);
      if (plan.digest === undefined) {
        // Without a digest, bytes from two mirrors might belong to two versions of the file.
        await rm(partial, { force: true });
      }
    }
  } finally {
    // Nothing is left behind; a failure to tidy up must not hide why the fetch failed.
    await rm(partial, { force: true }).catch(() => undefined);
  }
  throw fetchFailure(
    { label: plan.label, path: plan.path, offline: context.settings.offline, cacheDir: cache.root },
    attempt.tried,
  );
}

/** Fetches one request. Errors of the cache's own files become a UserError naming the cache. */
export async function fetchOne(
  context: FetchContext,
  request: FetchRequest,
  progress: ProgressItem,
  signal?: AbortSignal,
): Promise<FetchResult> {
  const plan = planFetch(request);
  try {
    return await fetchPlanned(context, plan, progress, signal);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    const local =
      err instanceof CacheWriteError || (err instanceof Error && typeof code === 'string');
    if (local && !(err instanceof UserError) && signal?.aborted !== true) {
      throw new UserError(
        'fetch-cache-unwritable',
        `${plan.label}: cannot use the fetch cache at ${context.cache.root}: ${(err as Error).message}`,
        {
          hint: 'check that the cache directory is writable and its disk has free space',
          cause: err,
        },
      );
    }
    throw err;
  }
}
