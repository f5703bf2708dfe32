import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {}

/** Reads the whole request body (up to `limit` bytes). */
export async function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new BodyTooLargeError(`body larger than ${limit} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': String(buf.length) });
  res.end(buf);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, JSON.stringify(value), 'application/json', headers);
}

/** Media type of a Content-Type header, lower-case, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1]!.trim() : undefined;
}

/** A timer's last stretch is waited out on the event loop's check phase, not the ms-granular timer. */
const FINE_MS = 1.5;

/**
 * Sleeps `ms`, resolving early (with false) if `signal` aborts. Accurate to about 0.1 ms: Node's
 * timers fire on a 1 ms clock and typically 0.5-1.5 ms late, and a stand-in's configured
 * latency should not carry that error (it would count as the app's overhead in the benchmark).
 * The last FINE_MS are polled with setImmediate, which keeps I/O flowing meanwhile.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!signal?.aborted);
  const until = performance.now() + ms;
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    let t: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const fine = (): void => {
      if (done) return;
      if (performance.now() >= until) finish(true);
      else setImmediate(fine);
    };
    const onAbort = (): void => finish(false);
    if (ms > FINE_MS) t = setTimeout(fine, ms - FINE_MS);
    else setImmediate(fine);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** An AbortSignal that fires when the client goes away before the response is finished. */
export function clientGone(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const ac = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) ac.abort(new Error('client closed the connection'));
  };
  res.on('close', onClose);
  req.on('aborted', onClose);
  return ac.signal;
}
