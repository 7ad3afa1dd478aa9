/** Opening one HTTP GET: connection reuse, the wait for headers, and redirects. */

import http from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import https from 'node:https';
import { displayUrl } from './mirrors.ts';

/** Everything needed to talk to servers, shared by the downloads of one fetcher. */
export interface HttpTransport {
  readonly agents: { readonly http: http.Agent; readonly https: https.Agent };
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly stallMs: number;
  readonly maxRedirects: number;
}

/** A failure that asking the same server again will not cure. */
export class PermanentFailure extends Error {
  override name = 'PermanentFailure';
}

/** A server that stopped answering: no headers in time, or a body that went silent. */
export class SilenceFailure extends Error {
  override name = 'SilenceFailure';
}

export interface OpenedResponse {
  readonly request: ClientRequest;
  readonly response: IncomingMessage;
  /** The URL that answered, after redirects. */
  readonly url: URL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createTransport(settings: {
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly stallMs: number;
  readonly maxRedirects: number;
}): HttpTransport {
  return {
    ...settings,
    agents: {
      http: new http.Agent({ keepAlive: true }),
      https: new https.Agent({ keepAlive: true }),
    },
  };
}

function requestOnce(
  transport: HttpTransport,
  url: URL,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
): Promise<OpenedResponse> {
  const secure = url.protocol === 'https:';
  const client = secure ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: 'GET',
      agent: secure ? transport.agents.https : transport.agents.http,
      headers: { 'user-agent': transport.userAgent, 'accept-encoding': 'identity', ...headers },
      signal,
    });
    const timer = setTimeout(() => {
      request.destroy(
        new SilenceFailure(`no response from ${url.host} within ${transport.timeoutMs} ms`),
      );
    }, transport.timeoutMs);
    request.on('response', (response) => {
      clearTimeout(timer);
      resolve({ request, response, url });
    });
    // Kept for the whole life of the request: errors after the response must not go unheard.
    request.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    request.end();
  });
}

/**
 * Sends a GET and follows up to `maxRedirects` redirects to http(s) URLs. Resolves once a
 * non-redirect status and its headers have arrived.
 */
export async function openResponse(
  transport: HttpTransport,
  url: URL,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
): Promise<OpenedResponse> {
  let current = url;
  for (let redirects = 0; ; redirects += 1) {
    const opened = await requestOnce(transport, current, headers, signal);
    const status = opened.response.statusCode ?? 0;
    const location = opened.response.headers.location;
    if (!REDIRECTS.has(status) || location === undefined) {
      return opened;
    }
    opened.request.destroy();
    if (redirects >= transport.maxRedirects) {
      throw new PermanentFailure(`more than ${transport.maxRedirects} redirects`);
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new PermanentFailure(`redirect to an invalid location ${JSON.stringify(location)}`);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new PermanentFailure(`redirect to unsupported location ${displayUrl(next)}`);
    }
    current = next;
  }
}
