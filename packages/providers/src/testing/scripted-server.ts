import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Test fixture: a loopback server that reproduces one vendor API and records what it received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Same fault vocabulary as @va/standins, so contract suites drive both. */
export type Fault =
  | { kind: 'status'; status: number; times?: number }
  | { kind: 'hang' }
  | { kind: 'cut' }
  | { kind: 'slow'; extraMs: number }
  | { kind: 'refuse' };

export interface FaultTarget {
  url: string;
  setFault(f: Fault | null): void;
  close(): Promise<void>;
}

export interface ScriptedServer extends FaultTarget {
  port: number;
  requests: RecordedRequest[];
  /** Requests on the work routes only. */
  work(): RecordedRequest[];
}

export interface ScriptedSpec {
  isWork(method: string, path: string): boolean;
  /** The vendor's own error body for a `status` fault. */
  errorResponse(res: ServerResponse, status: number, path: string): void;
  handle(req: RecordedRequest, res: ServerResponse, signal: AbortSignal): Promise<void> | void;
}

export async function startScriptedServer(spec: ScriptedSpec): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let fault: Fault | null = null;
  let faultLeft = Infinity;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const rec: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(rec);
      const ctl = new AbortController();
      res.on('close', () => ctl.abort());
      const f = fault && spec.isWork(rec.method, path) ? fault : null;
      if (f && --faultLeft <= 0) fault = null;
      if (f?.kind === 'status') return spec.errorResponse(res, f.status, path);
      if (f?.kind === 'hang') return; // never answers; the client must time out or abort
      if (f?.kind === 'slow') await new Promise((r) => setTimeout(r, f.extraMs));
      if (f?.kind === 'cut') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
        res.write(Buffer.from([1]));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      try {
        await spec.handle(rec, res, ctl.signal);
      } catch (err) {
        if (!res.headersSent) spec.errorResponse(res, 500, path);
        else res.destroy(err instanceof Error ? err : undefined);
      }
    })();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await listen(server, 0);
  const port = (server.address() as { port: number }).port;
  let listening = true;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    work: () => requests.filter((r) => spec.isWork(r.method, r.path)),
    setFault(f) {
      if (f?.kind === 'refuse') {
        fault = null;
        if (listening) {
          listening = false;
          server.close();
          for (const s of sockets) s.destroy();
        }
        return;
      }
      fault = f;
      faultLeft = f && f.kind === 'status' && f.times !== undefined ? f.times : Infinity;
      if (!listening) {
        listening = true;
        void listen(server, port);
      }
    },
    async close() {
      for (const s of sockets) s.destroy();
      if (listening) await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export const delay = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/** Parses a recorded multipart body with the platform's own parser. */
export async function parseForm(req: RecordedRequest): Promise<FormData> {
  const r = new Request('http://x/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: req.body });
  return r.formData();
}
