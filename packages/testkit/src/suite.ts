import { afterAll, beforeAll } from 'vitest';

/**
 * Starts a server before a suite's tests and closes it after them; `set` receives it. (A subpath
 * export, `@va/testkit/suite`, so the testkit's runtime users never load vitest.)
 */
export function startForSuite<T extends { close(): Promise<void> }>(start: () => Promise<T>, set: (server: T) => void): void {
  let server: T | undefined;
  beforeAll(async () => {
    server = await start();
    set(server);
  });
  afterAll(async () => {
    await server?.close();
  });
}
