/**
 * Fetching repository files into a verified, content-addressed cache.
 *
 * - Mirrors are tried in order. HTTP downloads are retried with exponential backoff and jitter
 *   on 5xx, 408, 429, broken connections, timeouts and stalls, resume with `Range` (restarting
 *   from zero when a server ignores or refuses it), follow a bounded number of redirects, then
 *   fail over to the next mirror.
 * - Files with an expected digest are looked up in the cache before any mirror is read; files
 *   without one are cached by URL and refreshed whenever online. Every cache entry is verified
 *   again when used, and a damaged one is removed and fetched again.
 * - Files of local mirrors (`file://` URLs and directories) are verified and returned in place
 *   unless `copyLocalFiles` is set, in which case the verified copy in the cache is returned.
 * - Files of trees inside ISO 9660 images (`file:///srv/Rocky.iso#BaseOS`, or a path with the
 *   same `#Tree`) are read from the image without mounting it, and always copied into the
 *   cache as they are verified, like downloads.
 * - Offline, only the cache, local mirrors and ISO images are used.
 * - Files appear in the cache complete and verified, or not at all; partial downloads are
 *   removed when a fetch ends, however it ends.
 */

export { createFetcher } from './fetcher.ts';
export { FETCH_FAILED_HINT } from './fetch-errors.ts';
export { isoImageOf } from './mirrors.ts';
export type {
  ExpectedContent,
  FetchCallOptions,
  FetchProgress,
  FetchRequest,
  FetchResult,
  Fetcher,
  FetcherOptions,
} from './types.ts';
