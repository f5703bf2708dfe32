import http from 'node:http';
import https from 'node:https';
import { round } from './result.ts';

export interface ConnectionResult {
  base_url: string;
  path: string;
  /** GET on a reused keep-alive connection (ms, median). */
  pooled_ms: number | null;
  /** GET on a new connection each time (ms, median). */
  fresh_ms: number | null;
  /** Pooled is >= 20 ms slower: the server writes without TCP_NODELAY (Nagle + delayed ACK). */
  nagle_suspected: boolean;
}

function get(url: URL, agent: http.Agent | false, timeoutMs: number): Promise<number> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = mod.get(url, { agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.setNoDelay(true);
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function series(url: URL, agent: http.Agent | false, n: number, timeoutMs: number): Promise<number | null> {
  try {
    await get(url, agent, timeoutMs); // opens the pooled connection / warms the path
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      ms.push(await get(url, agent, timeoutMs));
      await new Promise((r) => setTimeout(r, 20));
    }
    return round(median(ms));
  } catch {
    return null;
  }
}

/** Pooled vs fresh connection latency of a small GET (any status counts: only the round trip matters). */
export async function checkConnection(baseUrl: string, path: string, n: number, timeoutMs: number): Promise<ConnectionResult> {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  const Agent = url.protocol === 'https:' ? https.Agent : http.Agent;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const pooled = await series(url, agent, n, timeoutMs);
  agent.destroy();
  const fresh = await series(url, false, n, timeoutMs);
  return { base_url: baseUrl, path, pooled_ms: pooled, fresh_ms: fresh, nagle_suspected: pooled !== null && fresh !== null && pooled - fresh >= 20 };
}
