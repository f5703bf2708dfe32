/**
 * Measures the cost of a reused keep-alive connection against a server that writes without
 * TCP_NODELAY, as cpp-httplib (whisper-server, llama-server) does: the response headers and the
 * body go out in two writes, and Nagle holds the second until our delayed ACK of the first
 * (~40 ms on Linux). Compares, on loopback, with the embedding adapter's real request:
 *   pooled  - keep-alive pool (the default for other servers)
 *   connect - a new connection per request, connected on the critical path (agent: false)
 *   fixed   - `nagle: true`: connection per request, opened ahead (what the adapters do)
 * Usage: npx tsx packages/providers/src/bench/nagle-bench.ts [--n 40]   (last line: JSON)
 */
import http from 'node:http';
import net from 'node:net';
import { createEmbedder } from '../registry.ts';

const n = Number(process.argv[process.argv.indexOf('--n') + 1] || 40);
const BODY = JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.6, 0.8] }], model: 'bge-m3', usage: { prompt_tokens: 2, total_tokens: 2 } });

/** cpp-httplib's way: no TCP_NODELAY, headers in one write and the body in a second. */
function startNagleServer(): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buf = '';
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const len = Number(/content-length: *(\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        const close = /connection: *close/i.test(buf.slice(0, end));
        buf = buf.slice(end + 4 + len);
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${BODY.length}\r\nKeep-Alive: timeout=5, max=100\r\n\r\n`);
        socket.write(BODY);
        if (close) socket.end();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () => {
          server.close();
          for (const s of sockets) s.destroy();
        },
      }),
    ),
  );
}

function connectEachTime(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/embeddings', method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.setNoDelay(true);
    req.end(JSON.stringify({ input: ['hi'] }));
  });
}

async function measure(run: () => Promise<unknown>): Promise<{ p50: number; p95: number; mean: number }> {
  await run(); // warm: first connection, JIT
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20)); // a voice turn's requests are spaced, not back to back
  }
  ms.sort((a, b) => a - b);
  const at = (q: number): number => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 100) / 100;
  return { p50: at(0.5), p95: at(0.95), mean: Math.round((ms.reduce((a, b) => a + b, 0) / ms.length) * 100) / 100 };
}

const server = await startNagleServer();
const url = `http://127.0.0.1:${server.port}`;
const pooled = createEmbedder({ type: 'openai-embeddings', base_url: url, nagle: false, options: { retries: 0 } });
const fixed = createEmbedder({ type: 'openai-embeddings', base_url: url, nagle: true, options: { retries: 0 } });
const results = {
  pooled: await measure(() => pooled.embed(['hi'])),
  connect: await measure(() => connectEachTime(server.port)),
  fixed: await measure(() => fixed.embed(['hi'])),
};
server.close();
console.log(`small request to a server without TCP_NODELAY (loopback, n=${n}), ms:`);
for (const [k, v] of Object.entries(results)) console.log(`  ${k.padEnd(8)} p50 ${String(v.p50).padStart(6)}  p95 ${String(v.p95).padStart(6)}  mean ${String(v.mean).padStart(6)}`);
console.log(JSON.stringify({ nagle_ms: results, n }));
process.exit(0);
