import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationLog } from './conversation-log.ts';
import { migrate } from './migrate.ts';
import { createPgliteClient } from './pglite-client.ts';
import { captureLogger } from '@va/testkit';
import { makeTurn } from './testing/pg.ts';

describe('conversation log on embedded PGlite', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'va-db-pglite-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('persists turns under <dataDir>/pglite across reopen, with the same migrations', async () => {
    const first = await createConversationLog({ dataDir, logger: captureLogger() });
    expect(first.backend).toBe('pglite');
    first.recordSessionStart('s-lite', new Date('2025-01-01T00:00:00Z'));
    const turn = makeTurn('s-lite', 1, { fallback: 'llm' });
    first.recordTurn(turn);
    first.recordTurn(turn);
    expect((await first.health()).ok).toBe(true);
    await first.close(); // close flushes
    expect(first.pending()).toBe(0);
    expect((await readdir(join(dataDir, 'pglite'))).length).toBeGreaterThan(0);

    const second = await createConversationLog({ dataDir, logger: captureLogger() });
    try {
      expect(await second.listTurns('s-lite')).toEqual([turn]);
    } finally {
      await second.close();
    }

    const client = await createPgliteClient(join(dataDir, 'pglite'));
    try {
      expect(await migrate(client)).toEqual([]);
      const v = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      expect(v.rows).toEqual([{ version: 1 }]);
    } finally {
      await client.close();
    }
  });
});
