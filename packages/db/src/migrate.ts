import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SqlClient } from './sql-client.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Arbitrary constant: serialises concurrent start-ups migrating the same database. */
const MIGRATION_LOCK_KEY = 7_341_902;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads `NNN_name.sql` files in version order. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql'));
  const out: Migration[] = [];
  for (const file of files) {
    const m = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (!m?.[1] || !m[2]) throw new Error(`bad migration file name: ${file} (want NNN_name.sql)`);
    out.push({ version: Number(m[1]), name: m[2], sql: await readFile(`${dir}/${file}`, 'utf8') });
  }
  out.sort((a, b) => a.version - b.version);
  for (let i = 1; i < out.length; i++) {
    if (out[i]?.version === out[i - 1]?.version) throw new Error(`duplicate migration version ${out[i]?.version}`);
  }
  return out;
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction
 * together with its bookkeeping row. Safe to call on every start-up. Returns the versions applied.
 */
export async function migrate(client: SqlClient, migrations?: Migration[]): Promise<number[]> {
  const list = migrations ?? (await loadMigrations());
  await client.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const mig of list) {
    const done = await client.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [mig.version]);
      if (seen.rows.length > 0) return false;
      await tx.exec(mig.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [mig.version, mig.name]);
      return true;
    });
    if (done) applied.push(mig.version);
  }
  return applied;
}
