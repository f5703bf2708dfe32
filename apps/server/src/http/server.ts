import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@va/pipeline';
import { sendError } from './respond.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export interface RouteTable {
  /** `"<METHOD> <path>"` -> handler. */
  routes: Record<string, RouteHandler>;
  /** Everything not in the table (static files, 404). */
  fallback: RouteHandler;
}

export interface HttpServerOptions {
  logger: Logger;
  /** Request headers must arrive within this time (a client holding half-sent headers is cut with 408). */
  headersTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this time. */
  requestTimeoutMs: number;
}

/** Until the app has its routes (it listens first, so a taken port fails the start at once). */
const starting: RouteTable = {
  routes: {},
  fallback: (_req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '2', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ status: 'starting' }));
  },
};

/**
 * The HTTP server: request ids, the route table, one error path, header and request timeouts.
 * Answers 503 `{"status": "starting"}` until `setRoutes` is called.
 */
export function createHttpServer(opts: HttpServerOptions): { server: Server; setRoutes(table: RouteTable): void } {
  let table = starting;
  const server = createServer(
    {
      headersTimeout: opts.headersTimeoutMs,
      requestTimeout: opts.requestTimeoutMs,
      // how often the two timeouts above are checked (Node's default, 30 s, lets them overrun by that much)
      connectionsCheckingInterval: Math.max(250, Math.min(1000, opts.headersTimeoutMs / 4)),
    },
    (req, res) => {
      const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
      res.setHeader('X-Request-Id', requestId);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const route = `${req.method} ${url.pathname}`;
      const handler = table.routes[route] ?? table.fallback;
      Promise.resolve()
        .then(() => handler(req, res, url))
        .catch((error: unknown) => {
          opts.logger.child({ request_id: requestId }).error({ err: { name: (error as Error).name, message: (error as Error).message }, route }, 'request failed');
          if (!res.headersSent) sendError(res, 'internal_error', 'Unexpected server error.');
          else res.end();
        });
    },
  );
  server.keepAliveTimeout = 5_000;
  return { server, setRoutes: (t) => void (table = t) };
}
