import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationLog } from './conversation-log.ts';
import { migrate } from './migrate.ts';
import { createPgClient } from './pg-client.ts';
import { captureLogger } from '@va/testkit';
import { createTestDatabase, makeTurn } from './testing/pg.ts';

describe('conversation log on PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase('va_db_log');
    dataDir = await mkdtemp(join(tmpdir(), 'va-db-'));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('applies migrations once and is idempotent on a second run', async () => {
    const logger = captureLogger();
    const client = createPgClient({ connectionString: db.url, logger });
    try {
      const first = await migrate(client);
      const second = await migrate(client);
      expect(first).toEqual([1]);
      expect(second).toEqual([]);
      const rows = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      expect(rows.rows.map((r) => r.version)).toEqual([1]);
      const tables = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(['schema_migrations', 'sessions', 'turns']);
    } finally {
      await client.close();
    }
  });

  it('round-trips a turn, and a repeated write updates instead of duplicating', async () => {
    const log = await createConversationLog({ databaseUrl: db.url, dataDir, logger: captureLogger() });
    try {
      expect(log.backend).toBe('postgres');
      log.recordSessionStart('s-round', new Date('2025-01-01T00:00:00Z'));
      const turn = makeTurn('s-round', 1, { interrupted: true, assistantText: 'heard only this', fallback: 'tts' });
      log.recordTurn(turn);
      log.recordTurn({ ...turn, assistantText: 'heard only this part' }); // retry of the same turn
      log.recordTurn(makeTurn('s-round', 2, { userText: 'nul\u0000byte', latencies: { endToEndMs: 812.6 } }));
      expect(await log.flush(10_000)).toBe(true);
      const turns = await log.listTurns('s-round');
      expect(turns).toHaveLength(2);
      expect(turns[0]).toEqual({ ...turn, assistantText: 'heard only this part' });
      expect(turns[1]?.userText).toBe('nulbyte');
      expect(turns[1]?.latencies).toEqual({ endToEndMs: 813 });
      expect(turns[1]?.fallback).toBeUndefined();
      expect((await log.health()).ok).toBe(true);
      expect(log.stats()).toMatchObject({ pending: 0, written: 4, droppedOverflow: 0, droppedRejected: 0 });
    } finally {
      await log.close();
    }
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const s = await c.query('SELECT started_at FROM sessions WHERE session_id = $1', ['s-round']);
      expect((s.rows[0] as { started_at: Date }).started_at.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    } finally {
      await c.end();
    }
  });

  it('creates the session row when a turn arrives without a recorded start, and records the end', async () => {
    const log = await createConversationLog({ databaseUrl: db.url, dataDir, logger: captureLogger() });
    try {
      log.recordTurn(makeTurn('s-orphan', 5));
      log.recordSessionEnd('s-orphan', new Date('2025-01-01T01:00:00Z'));
      expect(await log.flush(10_000)).toBe(true);
      expect(await log.listTurns('s-orphan')).toHaveLength(1);
    } finally {
      await log.close();
    }
  });

  it('rejects at start-up when the server is unreachable (migrations need it)', async () => {
    await expect(
      createConversationLog({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', dataDir, logger: captureLogger() }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
