import { mkdir } from 'node:fs/promises';
import { sqlQueryable, type SqlClient, type SqlQueryable } from './sql-client.ts';

/** `SqlClient` over an embedded PGlite persisted in `dir` (used when no DATABASE_URL is set). */
export async function createPgliteClient(dir: string): Promise<SqlClient> {
  await mkdir(dir, { recursive: true });
  // Loaded lazily: the WASM Postgres is only paid for when it is used.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dir);

  interface PgliteLike {
    query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
    exec(sql: string): Promise<unknown>;
  }
  const wrap = (q: PgliteLike): SqlQueryable => sqlQueryable((sql, params) => q.query(sql, params), (sql) => q.exec(sql));

  const base = wrap(db);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async close() {
      await db.close();
    },
  };
}
