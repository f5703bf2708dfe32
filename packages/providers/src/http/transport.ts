import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * The HTTP client under every adapter: node:http(s) on keep-alive agents. It replaces global
 * fetch on the hot path: fetch's WHATWG streams layer cost about 1 ms per exchange (p95 2-4 ms)
 * on loopback here, against 0.4 ms for node:http, and an answer's critical path crosses four
 * model-server hops (STT, embedding, LLM, TTS). Bodies are strings or bytes; no compression is
 * asked for, so none has to be undone.
 */
export interface HttpRequestInit {
  method: string;
  headers?: Record<string, string> | undefined;
  body?: string | Uint8Array | undefined;
  /** Limit on opening a new TCP connection (a pooled one needs none); fails with code ECONNECT_TIMEOUT. */
  connectTimeoutMs?: number | undefined;
  /**
   * One connection per request (`Connection: close`), for servers that write without TCP_NODELAY
   * (cpp-httplib: whisper-server, llama-server), where a reused connection costs ~40 ms per small
   * response (Nagle waits for our delayed ACK). A spare connection is opened ahead, so the
   * request does not wait for a connect either.
   */
  fresh?: boolean | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  /** The body as it arrives; iterate once. Failures (reset, abort) are thrown by the iterator. */
  readonly body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  /** Drops the connection without reading the rest. Idempotent. */
  cancel(): void;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 16, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxFreeSockets: 16, scheduling: 'lifo' }),
};

/** Sockets handed out as spares: a reset before any response on one is retried like a reused socket's. */
const spareSockets = new WeakSet<net.Socket>();

/** A spare is dropped after this long unused: cpp-httplib closes an idle connection after 5 s. */
const SPARE_MAX_IDLE_MS = 3000;

/**
 * Connection per request, with one connection per host opened ahead of need (a fresh connection
 * starts in quick-ACK mode, so a server's split header/body writes are not held by Nagle).
 */
class SpareAgent extends http.Agent {
  readonly #spares = new Map<string, { socket: net.Socket; at: number }>();
  constructor() {
    super({ keepAlive: false });
  }

  override createConnection(options: net.TcpNetConnectOpts): net.Socket {
    const key = `${options.host ?? ''}:${options.port ?? ''}`;
    const spare = this.#spares.get(key);
    this.#spares.delete(key);
    let socket: net.Socket;
    if (spare && !spare.socket.destroyed && performance.now() - spare.at < SPARE_MAX_IDLE_MS) {
      socket = spare.socket;
      socket.removeAllListeners('error');
      socket.ref();
      spareSockets.add(socket);
    } else {
      spare?.socket.destroy();
      socket = net.connect(options);
    }
    this.#refill(key, options);
    return socket;
  }

  #refill(key: string, options: net.TcpNetConnectOpts): void {
    const socket = net.connect(options);
    socket.setNoDelay(true);
    socket.unref();
    socket.on('error', () => this.#spares.delete(key));
    socket.on('close', () => {
      if (this.#spares.get(key)?.socket === socket) this.#spares.delete(key);
    });
    this.#spares.set(key, { socket, at: performance.now() });
  }
}
const freshAgents = { 'http:': new SpareAgent(), 'https:': new https.Agent({ keepAlive: false }) };
const USER_AGENT = 'voice-avatar/1 (node)';

class NodeResponse implements HttpResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  constructor(private readonly res: http.IncomingMessage) {
    this.status = res.statusCode ?? 0;
    this.ok = this.status >= 200 && this.status < 300;
    const raw = res.headers;
    this.headers = {
      get(name: string): string | null {
        const v = raw[name.toLowerCase()];
        if (v === undefined) return null;
        return Array.isArray(v) ? v.join(', ') : v;
      },
    };
  }

  get body(): AsyncIterable<Uint8Array> {
    return this.res as AsyncIterable<Uint8Array>;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.res as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.byteLength;
    }
    const out = new Uint8Array(size);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    return out.buffer;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.arrayBuffer());
  }

  cancel(): void {
    if (!this.res.complete) this.res.destroy();
  }
}

function abortError(signal: AbortSignal): Error {
  const e = new Error('The operation was aborted', { cause: signal.reason });
  e.name = 'AbortError';
  return e;
}

function once(url: URL, init: HttpRequestInit, signal: AbortSignal | undefined, body: Buffer | undefined): Promise<{ res: HttpResponse; reused: boolean }> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const mod = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...(init.headers ?? {}) };
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const pool = init.fresh ? freshAgents : agents;
    const req = mod.request(url, { method: init.method, headers, agent: pool[url.protocol as 'http:' | 'https:'] });
    let response: http.IncomingMessage | undefined;
    const onAbort = () => {
      if (response?.complete) return; // read to the end: the socket is back in the pool, leave it
      const err = abortError(signal!);
      req.destroy(err);
      response?.destroy(err);
      reject(err);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const detach = () => signal?.removeEventListener('abort', onAbort);
    req.on('response', (res) => {
      response = res;
      res.once('end', detach);
      res.once('close', detach);
      resolve({ res: new NodeResponse(res), reused: req.reusedSocket });
    });
    req.on('error', (err) => {
      if (!response) detach();
      reject(Object.assign(err, { reusedSocket: req.reusedSocket || (req.socket !== null && spareSockets.has(req.socket)) }));
    });
    req.on('socket', (socket) => {
      if (!init.connectTimeoutMs || !socket.connecting) return;
      const timer = setTimeout(() => {
        req.destroy(Object.assign(new Error(`connect timeout after ${init.connectTimeoutMs} ms`), { code: 'ECONNECT_TIMEOUT' }));
      }, init.connectTimeoutMs);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    req.setNoDelay(true);
    req.end(body);
  });
}

/**
 * One request. A keep-alive socket the server closed while it sat in the pool fails with a reset
 * before any response; that case (and only that) is retried once on a fresh connection, as the
 * Node documentation advises: the server never saw the request.
 */
export async function httpRequest(url: string, init: HttpRequestInit, signal?: AbortSignal): Promise<HttpResponse> {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`unsupported URL scheme ${u.protocol}`);
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength);
  try {
    return (await once(u, init, signal, body)).res;
  } catch (err) {
    const e = err as { code?: string; reusedSocket?: boolean };
    if (e.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE') && !signal?.aborted) return (await once(u, init, signal, body)).res;
    throw err;
  }
}
