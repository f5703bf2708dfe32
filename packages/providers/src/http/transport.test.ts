import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { createServer as createNetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '@va/pipeline';
import { createEmbedder } from '../registry.ts';
import { httpRequest } from './transport.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  closers.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

describe('httpRequest (node:http on keep-alive agents)', () => {
  it('reuses one connection for consecutive requests and sends bodies with their length', async () => {
    let connections = 0;
    const seen: Array<{ len: string | undefined; body: string }> = [];
    const server = createHttpServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        seen.push({ len: req.headers['content-length'], body: Buffer.concat(parts).toString() });
        res.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
        res.end('{"ok":true}');
      });
    });
    server.on('connection', () => connections++);
    const url = await listen(server);
    for (const body of ['héllo', new Uint8Array([1, 2, 3])]) {
      const res = await httpRequest(`${url}/x`, { method: 'POST', body });
      expect(res.status).toBe(201);
      expect(res.ok).toBe(true);
      expect(res.headers.get('Content-Type')).toBe('application/json');
      expect(res.headers.get('x-multi')).toBe('a, b');
      expect(res.headers.get('missing')).toBeNull();
      expect(await res.text()).toBe('{"ok":true}');
    }
    expect(seen[0]).toEqual({ len: '6', body: 'héllo' });
    expect(seen[1]?.len).toBe('3');
    expect(connections).toBe(1);
  });

  it('retries once on a fresh connection when a pooled one was closed by the server', async () => {
    // A server that answers the first request on each connection and drops the connection on
    // the second (as a server does when its keep-alive timeout races with our reuse).
    let connections = 0;
    const server = createNetServer((socket) => {
      connections++;
      let requests = 0;
      socket.on('data', (d) => {
        if (!d.toString().includes('\r\n\r\n')) return;
        requests++;
        if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
        else socket.destroy();
      });
    });
    const url = await listen(server);
    expect(await (await httpRequest(`${url}/a`, { method: 'GET' })).text()).toBe('ok');
    expect(await (await httpRequest(`${url}/b`, { method: 'GET' })).text()).toBe('ok');
    expect(connections).toBe(2);
  });

  it('a reset on a fresh connection is not retried', async () => {
    let connections = 0;
    const server = createNetServer((socket) => {
      connections++;
      socket.on('data', () => socket.destroy());
    });
    const url = await listen(server);
    await expect(httpRequest(`${url}/a`, { method: 'GET' })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(connections).toBe(1);
  });

  it('abort before headers rejects; abort during the body ends the iteration with an AbortError', async () => {
    const server = createHttpServer((req, res) => {
      if (req.url === '/hang') return;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first');
    });
    const url = await listen(server);
    const early = new AbortController();
    const pending = httpRequest(`${url}/hang`, { method: 'GET' }, early.signal);
    setTimeout(() => early.abort(new Error('stop')), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    const late = new AbortController();
    const res = await httpRequest(`${url}/stream`, { method: 'GET' }, late.signal);
    const it = res.body[Symbol.asyncIterator]();
    expect(Buffer.from((await it.next()).value as Uint8Array).toString()).toBe('first');
    late.abort(new Error('barge-in'));
    await expect(it.next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('cancel() drops a response that is still streaming; an unsupported scheme is refused', async () => {
    let closed = false;
    const server = createHttpServer((_req, res) => {
      res.writeHead(200);
      res.write('x');
      res.on('close', () => (closed = true));
    });
    const url = await listen(server);
    const res = await httpRequest(url, { method: 'GET' });
    res.cancel();
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
    await expect(httpRequest('ftp://127.0.0.1/x', { method: 'GET' })).rejects.toThrow(/unsupported URL scheme/);
  });
});

/**
 * A loopback listener that never accepts: with backlog 0 its queue holds one connection, so
 * (once that is taken) the kernel drops further SYNs and a connect hangs, as to a dead host.
 */
async function unacceptingListener(): Promise<string> {
  const py = spawn('python3', ['-c', 'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)']);
  closers.push(async () => void py.kill('SIGKILL'));
  const port = await new Promise<number>((res, rej) => {
    createInterface({ input: py.stdout }).once('line', (l) => res(Number(l)));
    py.once('error', rej);
  });
  // take the queue's slots
  for (let i = 0; i < 2; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    closers.push(async () => void s.destroy());
  }
  await new Promise((r) => setTimeout(r, 100));
  return `http://127.0.0.1:${port}`;
}

describe('connect timeout (connect_ms)', () => {
  it('a connection that is not established in time fails as a connect timeout', async () => {
    const url = await unacceptingListener();
    const t0 = performance.now();
    await expect(httpRequest(`${url}/x`, { method: 'GET', connectTimeoutMs: 200 })).rejects.toMatchObject({ code: 'ECONNECT_TIMEOUT' });
    expect(performance.now() - t0).toBeLessThan(5_000); // not the kernel's own minutes-long SYN retries

    const embedder = createEmbedder({ type: 'openai-embeddings', base_url: url, timeouts: { connect_ms: 200, total_ms: 20_000 } });
    const err = await embedder.embed(['hello']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect((err as Error).message).toMatch(/connect timeout after 200 ms/);
  }, 20_000);
});
