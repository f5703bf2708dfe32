/** The small SQL surface both backends (pg Pool, PGlite) provide. */
export interface SqlQueryable {
  /** One statement with `$n` parameters. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlQueryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` inside BEGIN/COMMIT on one connection; ROLLBACK if it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A `SqlQueryable` from a backend's run-one-statement and run-a-script functions. */
export function sqlQueryable(run: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>, script: (sql: string) => Promise<unknown>): SqlQueryable {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      return { rows: (await run(sql, params)).rows as R[] };
    },
    async exec(sql: string) {
      await script(sql);
    },
  };
}
