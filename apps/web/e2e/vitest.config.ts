import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Config for the Chromium e2e suite (the root config only includes unit tests under src/). */
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['apps/web/e2e/**/*.e2e.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
});
