import type { Metrics } from '../metrics.ts';
import type { SessionRegistry } from '../sessions.ts';
import { healthBody, readyBody, type HealthSources } from './health.ts';
import { sendError, sendJson } from './respond.ts';
import type { RouteHandler } from './server.ts';
import { createStaticHandler } from './static-files.ts';
import { handleTextChat, type TextChatDeps } from './text-chat.ts';

export interface RouteContext {
  health: HealthSources;
  metrics: Metrics;
  sessions: SessionRegistry;
  textChat: TextChatDeps;
  /** The built web client and the config injected into its index.html. */
  web: { distDir: string; pageConfig: () => Record<string, unknown> };
}

/** The route table: every HTTP route of the app in one place. */
export function appRoutes(ctx: RouteContext): Record<string, RouteHandler> {
  return {
    'GET /health': (_req, res) => sendJson(res, 200, healthBody(ctx.health)),
    'GET /ready': async (_req, res) => {
      const r = await readyBody(ctx.health);
      sendJson(res, r.status, r.body);
    },
    'GET /metrics': (_req, res) => {
      ctx.metrics.activeSessions = ctx.sessions.connected;
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(ctx.metrics.render());
    },
    'POST /api/v1/text-chat': (req, res) => handleTextChat(req, res, ctx.textChat),
  };
}

/** Not in the table: the web client's files, else 404 (always 404 under /api/ and /ws/). */
export function fallbackRoute(ctx: RouteContext): RouteHandler {
  const serveStatic = createStaticHandler(ctx.web.distDir, ctx.web.pageConfig);
  return (req, res, url) => {
    const api = url.pathname.startsWith('/api/') || url.pathname.startsWith('/ws/');
    if (!api && serveStatic(req, res, url.pathname)) return;
    sendError(res, 'not_found', `No route ${req.method} ${url.pathname}.`);
  };
}
