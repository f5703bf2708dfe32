import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { readdirSync } from 'node:fs';
import type { TurnRecord } from '@va/pipeline';

/** Test support for the database tests: a fresh database per test file, the machine's cluster, sample turns. */
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates a fresh database; returns its URL and a function that drops it. */
export async function createTestDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Starts or stops the machine's PostgreSQL cluster (the newest installed version's `main`). */
export function pgCluster(action: 'start' | 'stop'): void {
  const version = readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b)).at(-1);
  if (!version) throw new Error('no PostgreSQL cluster under /etc/postgresql');
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], { stdio: 'pipe', timeout: 60_000 });
}

export function pgIsUp(): boolean {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432'], { stdio: 'pipe', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export function makeTurn(sessionId: string, n: number, over: Partial<TurnRecord> = {}): TurnRecord {
  const startedAt = new Date(Date.UTC(2025, 0, 1, 0, 0, n));
  return {
    sessionId,
    turnId: `t${String(n).padStart(4, '0')}`,
    mode: n % 2 === 0 ? 'voice' : 'text',
    userText: `質問 ${n}: what is the answer?`,
    assistantText: `答え ${n}`,
    interrupted: false,
    startedAt,
    endedAt: new Date(startedAt.getTime() + 1500),
    latencies: { sttFinalMs: 120, retrievalMs: 15, llmFirstTokenMs: 150, ttsFirstAudioMs: 200, endToEndMs: 490 },
    sources: [{ documentId: 'abc123', chunkId: 'abc123:0', source: 'notes/a.md', score: 0.82 }],
    ...over,
  };
}
