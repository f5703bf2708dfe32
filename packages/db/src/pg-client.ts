import pg from 'pg';
import type { Logger } from '@va/pipeline';
import { sqlQueryable, type SqlClient, type SqlQueryable } from './sql-client.ts';

export interface PgClientOptions {
  connectionString: string;
  logger: Logger;
  /** Upper bound for one query, so a hung server never stalls the writer forever. */
  queryTimeoutMs?: number;
  connectTimeoutMs?: number;
  max?: number;
}

/** `SqlClient` over a `pg` Pool (for `DATABASE_URL`). */
export function createPgClient(opts: PgClientOptions): SqlClient {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 4,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    query_timeout: opts.queryTimeoutMs ?? 15_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (err: Error & { code?: string }) => {
    opts.logger.warn({ err: err.message, code: err.code }, 'postgres idle client error');
  });

  const wrap = (q: pg.Pool | pg.PoolClient): SqlQueryable => sqlQueryable((sql, params) => q.query(sql, params), (sql) => q.query(sql));


  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        broken = err instanceof Error ? err : new Error(String(err));
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        // Passing the error destroys the connection instead of returning a possibly dead one.
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
