/**
 * The public shapes of the fetcher: what a caller asks for, what it gets back, and how it is
 * configured.
 */

import type { Reporter } from '../core/step.ts';
import type { Digest } from '../packages/model.ts';

/** What the repository metadata promises about a file. */
export interface ExpectedContent {
  readonly digest?: Digest;
  readonly size?: number;
}

export interface FetchRequest {
  /**
   * Base locations of one repository, tried in order: `http://`, `https://` or `file://` URLs,
   * or plain directory paths. A `#` in a `file://` URL or a path names a tree inside an ISO
   * 9660 image: `file:///srv/Rocky-10.0-x86_64-dvd1.iso#BaseOS` or `/srv/….iso#BaseOS`.
   */
  readonly mirrors: readonly string[];
  /** `/`-separated path relative to the repository root (`Packages/b/bash-5.2.26.rpm`). */
  readonly path: string;
  /**
   * With a digest the file is content-addressed: looked up in the cache before any mirror is
   * read, and rejected unless the bytes match. Without one (repomd.xml, APKINDEX.tar.gz, whose
   * authenticity a signature proves later) it is cached under its URL and fetched again
   * whenever the fetcher is online; if that fails the fetch fails rather than silently using
   * the older copy, which only offline mode does.
   */
  readonly expected?: ExpectedContent;
  /** The package or file as the user knows it, for messages. Defaults to `path`. */
  readonly label?: string;
}

export interface FetchResult {
  /**
   * A verified copy of the content. Files from a remote mirror or an ISO image live in the
   * cache. Files from a local mirror are verified in place and this is their own path, unless
   * the fetcher was created with `copyLocalFiles`.
   */
  readonly file: string;
  /** The SHA-256 of the content, always computed whatever digest was expected. */
  readonly digest: Digest;
  readonly size: number;
  /** True when the cache supplied the content and no mirror was read. */
  readonly fromCache: boolean;
  /**
   * Where the content came from, without any password: the mirror URL (before redirects) or
   * local path it was read from or, for a cache hit, its location on the first mirror (for a
   * file cached by digest) or on the mirror whose copy was used (for a file cached by URL).
   */
  readonly url: string;
}

/** Progress of one `fetch` or `fetchAll` call. */
export interface FetchProgress {
  readonly bytesDone: number;
  /** Grows while files of unknown size announce their length. */
  readonly bytesTotal: number;
  readonly filesDone: number;
  readonly filesTotal: number;
}

export interface FetcherOptions {
  /** Root of the cache; created on demand. */
  readonly cacheDir: string;
  /** Use the cache and local mirrors only; never open a network connection. */
  readonly offline?: boolean;
  /** Most files processed at once (downloads included). Default 4. */
  readonly concurrency?: number;
  /** Further attempts on one mirror after a transient failure, before the next mirror. Default 4. */
  readonly retries?: number;
  /** First retry delay; doubled for each further attempt, with jitter. Default 500 ms. */
  readonly backoffMs?: number;
  /** Longest delay between two attempts. Default 30 s. */
  readonly maxBackoffMs?: number;
  /** Longest wait for a server to answer a request with its headers. Default 30 s. */
  readonly timeoutMs?: number;
  /** Longest silence while a body is being received. Default 30 s. */
  readonly stallMs?: number;
  /** Most redirects followed for one request. Default 5. */
  readonly maxRedirects?: number;
  /**
   * Copy files found on local mirrors into the cache (and return the cached path) instead of
   * verifying and returning them in place. Default false: local repositories are usually on
   * the same disk and copying them only costs space.
   */
  readonly copyLocalFiles?: boolean;
  /** Receives warnings, debug messages and progress. */
  readonly reporter?: Reporter;
  /** Receives progress, as an alternative or in addition to the reporter. */
  readonly onProgress?: (progress: FetchProgress) => void;
  readonly userAgent?: string;
}

export interface FetchCallOptions {
  /** Aborting stops every download of the call and removes its partial files. */
  readonly signal?: AbortSignal;
}

export interface Fetcher {
  fetch(request: FetchRequest, options?: FetchCallOptions): Promise<FetchResult>;
  /**
   * Fetches every request, at most `concurrency` at a time, and returns the results in the
   * order of the requests. The first failure stops the others and is thrown once they have
   * cleaned up.
   */
  fetchAll(requests: readonly FetchRequest[], options?: FetchCallOptions): Promise<FetchResult[]>;
  /**
   * Drops a fetched file from the cache after a later check (a signature, a control hash)
   * refused it, so that nothing unverified is used again. Files of local mirrors, returned in
   * place, are left alone.
   */
  discard(result: FetchResult): Promise<void>;
}
