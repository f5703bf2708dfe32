import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationLog } from './conversation-log.ts';
import { captureLogger } from '@va/testkit';
import { createTestDatabase, makeTurn, pgCluster, pgIsUp } from './testing/pg.ts';

/**
 * Stops the machine's PostgreSQL cluster for a few seconds. Always restarts it (finally + afterAll).
 * It runs alone: the root vitest config puts it in the `db-outage` project, which runs after every
 * other project has finished (sequence.groupOrder), so no other database test sees the outage.
 */
describe('conversation log survives a PostgreSQL outage', () => {
  let db: { url: string; drop: () => Promise<void> };
  let dataDir: string;
  beforeAll(async () => {
    if (!pgIsUp()) pgCluster('start');
    db = await createTestDatabase('va_db_outage');
    dataDir = await mkdtemp(join(tmpdir(), 'va-db-outage-'));
  });
  afterAll(async () => {
    if (!pgIsUp()) pgCluster('start');
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps records while the server is down and writes each exactly once after it returns', async () => {
    const logger = captureLogger();
    const log = await createConversationLog({
      databaseUrl: db.url,
      dataDir,
      logger,
      retryDelayMs: 100,
      maxRetryDelayMs: 1_000,
      healthTimeoutMs: 1_000,
    });
    const sid = 's-outage';
    try {
      log.recordSessionStart(sid, new Date('2025-01-01T00:00:00Z'));
      for (let n = 0; n < 20; n++) log.recordTurn(makeTurn(sid, n));
      expect(await log.flush(10_000)).toBe(true);

      try {
        pgCluster('stop');
        expect(pgIsUp()).toBe(false);
        // recordTurn is synchronous: the dead database never blocks the caller
        for (let n = 20; n < 120; n++) expect(log.recordTurn(makeTurn(sid, n))).toBeUndefined();
        expect(log.pending()).toBeGreaterThan(0);
        const h = await log.health();
        expect(h.ok).toBe(false);
        await new Promise((r) => setTimeout(r, 1_500)); // let the writer fail and retry a few times
        expect(log.pending()).toBe(100);
        // Re-recording a turn that is already stored must not duplicate it later.
        log.recordTurn(makeTurn(sid, 3, { assistantText: 'updated during outage' }));
      } finally {
        pgCluster('start');
      }

      expect(await log.flush(30_000)).toBe(true);
      expect(log.pending()).toBe(0);
      expect((await log.health()).ok).toBe(true);
      expect(logger.lines.some((l) => l.level === 'warn' && l.msg?.includes('retrying'))).toBe(true);
      expect(logger.lines.some((l) => l.msg === 'conversation log writes resumed')).toBe(true);
    } finally {
      await log.close();
    }

    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const res = await c.query<{ turn_id: string; n: string; assistant_text: string }>(
        `SELECT turn_id, count(*) OVER (PARTITION BY turn_id) AS n, assistant_text FROM turns
         WHERE session_id = $1 ORDER BY turn_id`,
        [sid],
      );
      expect(res.rows).toHaveLength(120);
      expect(res.rows.every((r) => r.n === '1')).toBe(true);
      expect(res.rows.map((r) => r.turn_id)).toEqual(Array.from({ length: 120 }, (_, n) => `t${String(n).padStart(4, '0')}`));
      expect(res.rows[3]?.assistant_text).toBe('updated during outage');
    } finally {
      await c.end();
    }
  });
});
