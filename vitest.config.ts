import { defineConfig } from 'vitest/config';

const OUTAGE = 'packages/db/src/outage.test.ts';

/**
 * Two projects. `unit`: every test beside the code, in parallel. `db-outage`: the PostgreSQL outage
 * test, which stops the machine's cluster; it runs alone, after `unit` has finished
 * (sequence.groupOrder), so no other database test ever sees the outage. `npx vitest run` runs both.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'apps/ingest/src/**/*.test.ts', 'apps/bench/src/**/*.test.ts', 'apps/doctor/src/**/*.test.ts', 'apps/web/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', OUTAGE],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'db-outage',
          include: [OUTAGE],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
