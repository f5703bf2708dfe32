import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FaultState, parseFault } from './fault.ts';
import type { Fault } from './fault.ts';
import { clientGone, readBody, sendJson } from './http-util.ts';

export interface StandinStats {
  /** Every HTTP request received, control routes excluded. */
  requests: number;
  /** Requests on the work routes (transcribe, synthesise, chat, embed). */
  workRequests: number;
  faultsInjected: number;
  inFlight: number;
  [extra: string]: number;
}

export interface RunningStandin {
  url: string;
  port: number;
  close(): Promise<void>;
  setFault(f: Fault | null): void;
  stats(): StandinStats;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  path: string;
  /** Aborts when the client closes the connection before the response is complete. */
  signal: AbortSignal;
  /** Extra latency asked for by a `slow` fault. */
  extraMs: number;
  /**
   * performance.now() when the request arrived. Configured latencies run from here (or from
   * when a one-at-a-time server becomes free), so parsing and decoding happen inside them, as
   * they do inside a real server's processing time.
   */
  arrivedAt: number;
  /** The request as read up front, when the spec records requests (`recordBodies`). */
  received?: ReceivedRequest;
}

/** A request as received, for test servers that record what a client sent. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface StandinSpec {
  name: string;
  host?: string | undefined;
  port?: number | undefined;
  isWorkRoute(method: string, path: string): boolean;
  /** Writes an error response in the server's own shape (used for `status` faults and crashes). */
  errorResponse(res: ServerResponse, status: number, path: string, message: string): void;
  handle(ctx: RequestContext): Promise<void>;
  /** `POST /__standin/mode`: server-specific switches (JSON object). */
  setMode?(body: Record<string, unknown>): void;
  extraStats?(): Record<string, number>;
  onClose?(): Promise<void>;
  /**
   * Write like cpp-httplib (whisper-server, llama-server): no TCP_NODELAY, and the headers and
   * the body of a response in separate writes. On a reused keep-alive connection Nagle then holds
   * the body until the client's delayed ACK of the headers: ~40 ms per small response on Linux
   * loopback (a fresh connection is quick-ACKed and does not stall).
   */
  nagle?: boolean | undefined;
  /** Reads every non-control request body before faults apply and reports it (test recorders). */
  recordBodies?(received: ReceivedRequest): void;
}

/** Runs an HTTP stand-in: fault injection, control routes, connection tracking, clean close. */
export async function serveStandin(spec: StandinSpec): Promise<RunningStandin> {
  const host = spec.host ?? '127.0.0.1';
  const faults = new FaultState();
  const sockets = new Set<Socket>();
  const counters = { requests: 0, workRequests: 0, inFlight: 0 };
  let refusing = false;
  let refuseTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const server = createServer({ noDelay: !spec.nagle }, (req, res) => {
    if (spec.nagle) separateHeaderWrite(res);
    void onRequest(req, res);
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    if (refusing) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://standin');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/__standin/')) {
      await control(req, res, path, method);
      return;
    }
    counters.requests++;
    let received: ReceivedRequest | undefined;
    if (spec.recordBodies) {
      received = { method, path, headers: req.headers, body: await readBody(req).catch(() => Buffer.alloc(0)) };
      spec.recordBodies(received);
    }
    const isWork = spec.isWorkRoute(method, path);
    if (isWork) counters.workRequests++;
    const fault = faults.take(isWork);
    if (fault?.kind === 'status') {
      await readBody(req).catch(() => Buffer.alloc(0));
      spec.errorResponse(res, fault.status, path, `injected fault: status ${fault.status}`);
      return;
    }
    if (fault?.kind === 'hang') {
      // Accept and never answer; the socket is destroyed when the client aborts or on close().
      req.resume();
      return;
    }
    if (fault?.kind === 'cut') armCut(res);
    counters.inFlight++;
    try {
      await spec.handle({
        req,
        res,
        url,
        path,
        signal: clientGone(req, res),
        extraMs: fault?.kind === 'slow' ? fault.extraMs : 0,
        arrivedAt,
        ...(received ? { received } : {}),
      });
    } catch (err) {
      if (!res.headersSent) spec.errorResponse(res, 500, path, err instanceof Error ? err.message : String(err));
      else res.destroy();
    } finally {
      counters.inFlight--;
    }
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
    try {
      if (path === '/__standin/fault' && method === 'POST') {
        const raw = (await readBody(req)).toString('utf8').trim();
        setFault(parseFault(raw === '' ? null : JSON.parse(raw)));
        sendJson(res, 200, { fault: faults.current });
      } else if (path === '/__standin/fault' && method === 'GET') {
        sendJson(res, 200, { fault: faults.current });
      } else if (path === '/__standin/stats' && method === 'GET') {
        sendJson(res, 200, stats());
      } else if (path === '/__standin/mode' && method === 'POST' && spec.setMode) {
        const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as unknown;
        if (typeof body !== 'object' || body === null) throw new Error('mode body must be a JSON object');
        spec.setMode(body as Record<string, unknown>);
        sendJson(res, 200, { ok: true });
      } else {
        sendJson(res, 404, { error: 'unknown control route' });
      }
    } catch (err) {
      sendJson(res, 400, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  function stats(): StandinStats {
    return { ...counters, faultsInjected: faults.injected, ...(spec.extraStats?.() ?? {}) };
  }

  function listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen({ host, port }, () => {
        server.off('error', onError);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  function setFault(f: Fault | null): void {
    clearTimeout(refuseTimer);
    if (f?.kind === 'refuse') {
      faults.set(null);
      if (!refusing) {
        refusing = true;
        server.close();
        server.closeIdleConnections();
      }
      if (f.forMs !== undefined) refuseTimer = setTimeout(() => setFault(null), f.forMs);
      return;
    }
    faults.set(f);
    if (refusing && !closed) {
      refusing = false;
      listen(boundPort).catch(() => undefined);
    }
  }

  const boundPort = await listen(spec.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${boundPort}`,
    port: boundPort,
    setFault,
    stats,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearTimeout(refuseTimer);
      await new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
        for (const s of sockets) s.destroy();
      });
      for (const s of sockets) s.destroy();
      await spec.onClose?.();
    },
  };
}

/** Sends the headers in a write of their own as soon as they are set (cpp-httplib's order of writes). */
function separateHeaderWrite(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  (res as unknown as { writeHead: (...args: unknown[]) => ServerResponse }).writeHead = (...args: unknown[]) => {
    writeHead(...args);
    res.flushHeaders();
    return res;
  };
}

/** Makes the response send its headers and part of its first body write, then drops the connection. */
function armCut(res: ServerResponse): void {
  const origWrite = res.write.bind(res) as (chunk: Buffer, cb: () => void) => boolean;
  let done = false;
  const cut = (chunk: unknown): void => {
    if (done) return;
    done = true;
    const b = chunk === undefined || chunk === null ? Buffer.alloc(0) : Buffer.from(chunk as Buffer);
    const part = b.subarray(0, Math.max(1, b.length >> 1));
    if (b.length === 0) res.flushHeaders();
    origWrite(b.length === 0 ? Buffer.from(' ') : part, () => setTimeout(() => res.socket?.destroy(), 20));
  };
  const patched = res as unknown as { write: (c: unknown) => boolean; end: (c?: unknown) => ServerResponse };
  patched.write = (c: unknown) => {
    cut(c);
    return true;
  };
  patched.end = (c?: unknown) => {
    cut(c);
    return res;
  };
}
