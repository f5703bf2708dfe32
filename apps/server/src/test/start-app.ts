import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App, type CreateAppOptions } from '../app.ts';
import { createLogger } from '../logger.ts';

export const TEST_TOKEN = 'test-token-1234';
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

/** Log lines captured for assertions (JSON objects). */
export interface TestApp extends App {
  logLines: Array<Record<string, unknown>>;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the real app on the embedded stand-ins (own process, free ports), on a free port, with a fresh data dir. */
export async function startTestApp(env: Record<string, string> = {}, session?: CreateAppOptions['session']): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'va-app-'));
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const app = await createApp({
    cwd: REPO_ROOT,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      APP_TOKEN: TEST_TOKEN,
      DATA_DIR: dataDir,
      STANDINS: 'embedded',
      LOG_LEVEL: 'info',
      ...env,
    },
    logger: createLogger('info', sink),
    ...(session ? { session } : {}),
  });
  return Object.assign(app, {
    logLines,
    dataDir,
    stop: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
