import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { serveStandin } from '@va/standins/serve';
import type { Fault } from '@va/standins';

/**
 * Test fixture: a loopback server that reproduces one vendor API and records what it received.
 * Fault injection is the stand-ins' own (`serveStandin`), so contract suites drive both alike.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type { Fault };

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
  const server = await serveStandin({
    name: 'scripted',
    isWorkRoute: (method, path) => spec.isWork(method, path),
    errorResponse: (res, status, path) => spec.errorResponse(res, status, path),
    recordBodies: (r) => void requests.push(r),
    async handle(ctx) {
      if (ctx.extraMs > 0) await delay(ctx.extraMs, ctx.signal);
      await spec.handle(ctx.received!, ctx.res, ctx.signal);
    },
  });
  return {
    url: server.url,
    port: server.port,
    requests,
    work: () => requests.filter((r) => spec.isWork(r.method, r.path)),
    setFault: (f) => server.setFault(f),
    close: () => server.close(),
  };
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

/** Writes `bytes` in pieces of the given sizes (odd sizes split samples across TCP chunks), then the rest. */
export async function writeInPieces(res: ServerResponse, bytes: Uint8Array, sizes: number[], signal: AbortSignal): Promise<void> {
  let off = 0;
  for (const n of sizes) {
    if (off >= bytes.length || signal.aborted) break;
    res.write(bytes.subarray(off, off + n));
    off += n;
    await delay(3, signal);
  }
  if (off < bytes.length && !signal.aborted) res.write(bytes.subarray(off));
}

/** Parses a recorded multipart body with the platform's own parser. */
export async function parseForm(req: RecordedRequest): Promise<FormData> {
  const r = new Request('http://x/', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: req.body });
  return r.formData();
}
