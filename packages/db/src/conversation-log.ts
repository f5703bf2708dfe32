import { join } from 'node:path';
import { realClock, type Clock, type ConversationLog, type Logger, type ProviderHealth, type TurnRecord } from '@va/pipeline';
import { errorSummary } from './db-errors.ts';
import { migrate } from './migrate.ts';
import { createPgClient } from './pg-client.ts';
import { createPgliteClient } from './pglite-client.ts';
import type { SqlClient } from './sql-client.ts';
import { selectTurns, upsertSessionEnd, upsertSessionStart, upsertTurn } from './turn-queries.ts';
import { WriteQueue, type WriteQueueStats } from './write-queue.ts';

export type LogRecord =
  | { kind: 'session_start'; sessionId: string; at: Date }
  | { kind: 'session_end'; sessionId: string; at: Date }
  | { kind: 'turn'; turn: TurnRecord };

export interface ConversationLogOptions {
  /** PostgreSQL URL. When absent, an embedded PGlite is persisted under `<dataDir>/pglite`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  logger: Logger;
  clock?: Clock;
  /** First retry delay after a failed write (doubles up to `maxRetryDelayMs`). Default 250. */
  retryDelayMs?: number;
  /** Default 10 000. */
  maxRetryDelayMs?: number;
  /** Queue bound; when full the oldest record is dropped and counted. Default 10 000. */
  maxQueue?: number;
  /** `health()` timeout. Default 2 000. */
  healthTimeoutMs?: number;
  /** How long `close()` waits for the queue to flush. Default 5 000. */
  closeTimeoutMs?: number;
}

export interface DbConversationLog extends ConversationLog {
  readonly backend: 'postgres' | 'pglite';
  /** Not in the port: marks the session ended (queued like every other write). */
  recordSessionEnd(sessionId: string, endedAt: Date): void;
  /** Read API for tests and ops; reads the database directly (queued records are not included). */
  listTurns(sessionId: string): Promise<TurnRecord[]>;
  /** Resolves true once every queued record is written, false on timeout. */
  flush(timeoutMs?: number): Promise<boolean>;
  stats(): WriteQueueStats;
}

/**
 * Opens the database (pg Pool or PGlite), applies migrations, and returns a conversation log
 * whose writes are queued and flushed in the background. Migrations need the database up:
 * this rejects if it is unreachable at start-up (the caller decides whether to start without a log).
 */
export async function createConversationLog(opts: ConversationLogOptions): Promise<DbConversationLog> {
  const logger = opts.logger.child({ component: 'conversation-log' });
  const clock = opts.clock ?? realClock;
  const client: SqlClient = opts.databaseUrl
    ? createPgClient({ connectionString: opts.databaseUrl, logger })
    : await createPgliteClient(join(opts.dataDir, 'pglite'));
  try {
    const applied = await migrate(client);
    logger.info({ backend: client.kind, applied }, 'conversation log ready');
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  return wrapClient(client, { ...opts, logger, clock });
}

function wrapClient(
  client: SqlClient,
  opts: ConversationLogOptions & { logger: Logger; clock: Clock },
): DbConversationLog {
  const { logger, clock } = opts;
  const queueOpts = {
    logger,
    clock,
    write: (batch: LogRecord[]) =>
      client.transaction(async (tx) => {
        for (const rec of batch) {
          if (rec.kind === 'turn') await upsertTurn(tx, rec.turn);
          else if (rec.kind === 'session_start') await upsertSessionStart(tx, rec.sessionId, rec.at);
          else await upsertSessionEnd(tx, rec.sessionId, rec.at);
        }
      }),
    describe: (rec: LogRecord) =>
      rec.kind === 'turn'
        ? { kind: rec.kind, sessionId: rec.turn.sessionId, turnId: rec.turn.turnId }
        : { kind: rec.kind, sessionId: rec.sessionId },
    ...(opts.retryDelayMs !== undefined ? { retryDelayMs: opts.retryDelayMs } : {}),
    ...(opts.maxRetryDelayMs !== undefined ? { maxRetryDelayMs: opts.maxRetryDelayMs } : {}),
    ...(opts.maxQueue !== undefined ? { maxQueue: opts.maxQueue } : {}),
  };
  const queue = new WriteQueue<LogRecord>(queueOpts);
  let closed = false;

  // The caller's objects may be mutated after the call returns; keep our own copy.
  const copyTurn = (t: TurnRecord): TurnRecord => ({
    ...t,
    startedAt: new Date(t.startedAt.getTime()),
    endedAt: new Date(t.endedAt.getTime()),
    latencies: { ...t.latencies },
    sources: t.sources.map((s) => ({ ...s })),
  });
  const safe = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      logger.error({ ...errorSummary(err), what }, 'conversation log enqueue failed');
    }
  };

  return {
    backend: client.kind,
    recordSessionStart(sessionId, startedAt) {
      safe('session_start', () => queue.push({ kind: 'session_start', sessionId, at: new Date(startedAt.getTime()) }));
    },
    recordSessionEnd(sessionId, endedAt) {
      safe('session_end', () => queue.push({ kind: 'session_end', sessionId, at: new Date(endedAt.getTime()) }));
    },
    recordTurn(turn) {
      safe('turn', () => queue.push({ kind: 'turn', turn: copyTurn(turn) }));
    },
    pending: () => queue.pending(),
    stats: () => queue.stats(),
    flush: (timeoutMs = 5_000) => queue.drain(timeoutMs),
    listTurns: (sessionId) => selectTurns(client, sessionId),
    async health(): Promise<ProviderHealth> {
      const start = clock.now();
      const timeoutMs = opts.healthTimeoutMs ?? 2_000;
      let timer: ReturnType<Clock['setTimeout']> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = clock.setTimeout(() => reject(Object.assign(new Error('health timeout'), { code: 'timeout' })), timeoutMs);
      });
      try {
        await Promise.race([client.query('SELECT 1'), timeout]);
        return { ok: true, latencyMs: clock.now() - start };
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        const detail = code === 'timeout' ? 'timeout' : code === 'ECONNREFUSED' ? 'connection_refused' : typeof code === 'string' ? code : 'unavailable';
        return { ok: false, detail, latencyMs: clock.now() - start };
      } finally {
        if (timer !== undefined) clock.clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      const flushed = await queue.drain(opts.closeTimeoutMs ?? 5_000);
      if (!flushed) logger.error({ pending: queue.pending() }, 'conversation log closed with unwritten records');
      await queue.stop();
      await client.close().catch((err: unknown) => logger.warn(errorSummary(err), 'conversation log close failed'));
    },
  };
}
