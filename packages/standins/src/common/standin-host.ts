import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { FaultState, parseFault } from './fault.ts';
import type { Fault } from './fault.ts';
import { clientGone, readBody, sendJson } from './http-util.ts';
import { armCut, separateHeaderWrite } from './response-patches.ts';
import type { ReceivedRequest, RunningStandin, StandinSpec, StandinStats } from './standin-server.ts';

/** One stand-in's HTTP server: fault injection, control routes, connection tracking, clean close. */
export class StandinHost {
  readonly #spec: StandinSpec;
  readonly #host: string;
  readonly #faults = new FaultState();
  readonly #sockets = new Set<Socket>();
  readonly #counters = { requests: 0, workRequests: 0, inFlight: 0 };
  readonly #server: Server;
  #refusing = false;
  #refuseTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #boundPort = 0;

  constructor(spec: StandinSpec) {
    this.#spec = spec;
    this.#host = spec.host ?? '127.0.0.1';
    this.#server = createServer({ noDelay: !spec.nagle }, (req, res) => {
      if (spec.nagle) separateHeaderWrite(res);
      void this.#onRequest(req, res);
    });
    this.#server.keepAliveTimeout = 5_000;
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  /** Binds the spec's port (0 = ephemeral) and returns the running stand-in's handle. */
  async start(): Promise<RunningStandin> {
    this.#boundPort = await this.#listen(this.#spec.port ?? 0);
    const host = this.#host;
    const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    return {
      url: `http://${urlHost}:${this.#boundPort}`,
      port: this.#boundPort,
      setFault: (f) => this.#setFault(f),
      stats: () => this.#stats(),
      close: () => this.#close(),
    };
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = performance.now();
    if (this.#refusing) {
      req.socket.destroy();
      return;
    }
    const spec = this.#spec;
    const url = new URL(req.url ?? '/', 'http://standin');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/__standin/')) {
      await this.#control(req, res, path, method);
      return;
    }
    this.#counters.requests++;
    let received: ReceivedRequest | undefined;
    if (spec.recordBodies) {
      received = { method, path, headers: req.headers, body: await readBody(req).catch(() => Buffer.alloc(0)) };
      spec.recordBodies(received);
    }
    const isWork = spec.isWorkRoute(method, path);
    if (isWork) this.#counters.workRequests++;
    const fault = this.#faults.take(isWork);
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
    this.#counters.inFlight++;
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
      this.#counters.inFlight--;
    }
  }

  async #control(req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
    const spec = this.#spec;
    try {
      if (path === '/__standin/fault' && method === 'POST') {
        const raw = (await readBody(req)).toString('utf8').trim();
        this.#setFault(parseFault(raw === '' ? null : JSON.parse(raw)));
        sendJson(res, 200, { fault: this.#faults.current });
      } else if (path === '/__standin/fault' && method === 'GET') {
        sendJson(res, 200, { fault: this.#faults.current });
      } else if (path === '/__standin/stats' && method === 'GET') {
        sendJson(res, 200, this.#stats());
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

  #stats(): StandinStats {
    return { ...this.#counters, faultsInjected: this.#faults.injected, ...(this.#spec.extraStats?.() ?? {}) };
  }

  #listen(port: number): Promise<number> {
    const server = this.#server;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen({ host: this.#host, port }, () => {
        server.off('error', onError);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  #setFault(f: Fault | null): void {
    clearTimeout(this.#refuseTimer);
    if (f?.kind === 'refuse') {
      this.#faults.set(null);
      if (!this.#refusing) {
        this.#refusing = true;
        this.#server.close();
        this.#server.closeIdleConnections();
      }
      if (f.forMs !== undefined) this.#refuseTimer = setTimeout(() => this.#setFault(null), f.forMs);
      return;
    }
    this.#faults.set(f);
    if (this.#refusing && !this.#closed) {
      this.#refusing = false;
      this.#listen(this.#boundPort).catch(() => undefined);
    }
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#refuseTimer);
    const server = this.#server;
    await new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeIdleConnections();
      for (const s of this.#sockets) s.destroy();
    });
    for (const s of this.#sockets) s.destroy();
    await this.#spec.onClose?.();
  }
}
