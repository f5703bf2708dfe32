import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { isValidSessionId } from '@va/protocol';
import type { Logger } from '@va/pipeline';
import { originAllowed } from './auth.ts';
import { Connection, type ConnectionDeps } from './connection.ts';

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null; // malformed %-escape
  }
}

export interface UpgradeOptions {
  allowedOrigins: string[];
  logger: Logger;
  /** Everything a Connection needs but its session id and logger. */
  connection: Omit<ConnectionDeps, 'sessionId' | 'logger'>;
}

/**
 * `GET /ws/session/{id}` upgrades: path, session id and Origin checked before the upgrade (404,
 * 400, 403); then one Connection per socket. Returns the function that stops accepting.
 */
export function attachWebSocket(server: Server, opts: UpgradeOptions): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/ws\/session\/([^/]+)$/.exec(url.pathname);
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!m) return reject(404, 'Not Found');
    const sessionId = safeDecode(m[1]!);
    if (sessionId === null || !isValidSessionId(sessionId)) return reject(400, 'Bad Request');
    if (!originAllowed(req, opts.allowedOrigins)) {
      opts.logger.warn({ origin: req.headers.origin ?? null }, 'websocket origin refused');
      return reject(403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const logger = opts.logger.child({ session_id: sessionId, connection_id: randomUUID().slice(0, 8) });
      new Connection(ws, { ...opts.connection, sessionId, logger });
    });
  });
  return () => new Promise<void>((resolve) => wss.close(() => resolve()));
}
