/**
 * An HTTP server on 127.0.0.1 for the fetcher's tests, able to misbehave in the ways real
 * mirrors do. Each fault applies to the given number of requests for its path, then the path
 * behaves.
 */

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  readonly body: Uint8Array | string;
  /** Answer `status` (with an optional Retry-After) instead of the file. */
  readonly failures?: {
    readonly status: number;
    readonly times: number;
    readonly retryAfter?: string;
  };
  /** Send `bytes` of the body, then `socket.destroy()`. */
  readonly resetAfter?: { readonly bytes: number; readonly times: number };
  /** Announce the full Content-Length, send `bytes`, then close the connection. */
  readonly truncateAfter?: { readonly bytes: number; readonly times: number };
  /** Send `bytes`, then nothing until the client gives up. */
  readonly stallAfter?: { readonly bytes: number; readonly times: number };
  /** Answer range requests with 416. */
  readonly unsatisfiable?: { readonly times: number };
  /** Redirect (302) to this path. */
  readonly redirectTo?: string;
  /** Honour `Range: bytes=N-`; on by default. */
  readonly ranges?: boolean;
  /** Wait this long before answering. */
  readonly delayMs?: number;
}

export interface SeenRequest {
  readonly path: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
  status: number;
  bytesSent: number;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  url(path: string): string;
  serve(path: string, route: Route): void;
  readonly requests: readonly SeenRequest[];
  requestsFor(path: string): SeenRequest[];
  /** Most requests in progress at the same time since the server started. */
  readonly maxConcurrent: number;
  close(): Promise<void>;
}

type Countdown = { left: number };

interface RouteState {
  readonly route: Route;
  readonly body: Buffer;
  readonly etag: string;
  readonly counts: Map<string, Countdown>;
}

/** True, and counts one down, while the fault still has requests to spoil. */
function take(state: RouteState, fault: string, times: number | undefined): boolean {
  if (times === undefined) {
    return false;
  }
  const count = state.counts.get(fault) ?? { left: times };
  state.counts.set(fault, count);
  if (count.left <= 0) {
    return false;
  }
  count.left -= 1;
  return true;
}

function requestedStart(req: IncomingMessage, state: RouteState): number | undefined {
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const ifRange = req.headers['if-range'];
  if (
    range === null ||
    state.route.ranges === false ||
    (ifRange !== undefined && ifRange !== state.etag)
  ) {
    return undefined;
  }
  return Number(range[1]);
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  state: RouteState,
  seen: SeenRequest,
): void {
  const { route, body } = state;
  if (take(state, 'failures', route.failures?.times)) {
    const headers =
      route.failures?.retryAfter === undefined ? {} : { 'retry-after': route.failures.retryAfter };
    seen.status = route.failures?.status ?? 500;
    res.writeHead(seen.status, headers).end('failing on purpose');
    return;
  }
  if (route.redirectTo !== undefined) {
    seen.status = 302;
    res.writeHead(302, { location: route.redirectTo }).end();
    return;
  }
  const start = requestedStart(req, state);
  if (
    start !== undefined &&
    (start >= body.length || take(state, 'unsatisfiable', route.unsatisfiable?.times))
  ) {
    seen.status = 416;
    res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    return;
  }
  const from = start ?? 0;
  const rest = body.subarray(from);
  seen.status = start === undefined ? 200 : 206;
  const headers: Record<string, string> = {
    'content-length': String(rest.length),
    etag: state.etag,
    ...(route.ranges === false ? {} : { 'accept-ranges': 'bytes' }),
    ...(start === undefined
      ? {}
      : { 'content-range': `bytes ${from}-${body.length - 1}/${body.length}` }),
  };
  res.writeHead(seen.status, headers);
  const send = (bytes: number, then: () => void): void => {
    const part = rest.subarray(0, bytes);
    seen.bytesSent = part.length;
    res.write(part, then);
  };
  if (take(state, 'resetAfter', route.resetAfter?.times)) {
    send(route.resetAfter?.bytes ?? 0, () => res.socket?.destroy());
  } else if (take(state, 'truncateAfter', route.truncateAfter?.times)) {
    send(route.truncateAfter?.bytes ?? 0, () => res.socket?.end());
  } else if (take(state, 'stallAfter', route.stallAfter?.times)) {
    send(route.stallAfter?.bytes ?? 0, () => undefined);
  } else {
    seen.bytesSent = rest.length;
    res.end(rest);
  }
}

export async function startTestServer(): Promise<TestServer> {
  const routes = new Map<string, RouteState>();
  const requests: SeenRequest[] = [];
  let active = 0;
  let maxConcurrent = 0;
  const server = createServer((req, res) => {
    active += 1;
    maxConcurrent = Math.max(maxConcurrent, active);
    res.on('close', () => {
      active -= 1;
    });
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const seen: SeenRequest = {
      path,
      range: req.headers.range,
      ifRange: typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : undefined,
      status: 0,
      bytesSent: 0,
    };
    requests.push(seen);
    const state = routes.get(path);
    const reply = (): void => {
      if (state === undefined) {
        seen.status = 404;
        res.writeHead(404).end('not here');
      } else {
        answer(req, res, state, seen);
      }
    };
    const delay = state?.route.delayMs ?? 0;
    if (delay > 0) {
      setTimeout(reply, delay);
    } else {
      reply();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    serve(path, route) {
      const body = Buffer.from(route.body);
      const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
      routes.set(path, { route, body, etag, counts: new Map() });
    },
    requests,
    requestsFor: (path) => requests.filter((request) => request.path === path),
    get maxConcurrent() {
      return maxConcurrent;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err === undefined ? resolve() : reject(err))),
      );
    },
  };
}
