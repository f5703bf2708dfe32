import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './start-app.ts';

/** `npm run serve` as a real child process: its JSON log lines, its stderr, its exit. */
export interface ServerProcess {
  child: ChildProcess;
  logLines: Array<Record<string, unknown>>;
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Resolves with the app's URL once it logs `app listening`; rejects if it exits first. */
  listening: Promise<string>;
}

/** Starts apps/server/src/main.ts (or `script`) with `env` over the repo's .env.default (cwd: the repo root). */
export function spawnServer(env: Record<string, string>, opts: { recordImportsTo?: string; script?: string } = {}): ServerProcess {
  const require = createRequire(import.meta.url);
  const execArgv = ['--import', pathToFileURL(require.resolve('tsx')).href];
  if (opts.recordImportsTo) execArgv.push('--import', pathToFileURL(resolve(import.meta.dirname, 'record-imports.mjs')).href);
  const child = spawn(process.execPath, [...execArgv, opts.script ?? resolve(REPO_ROOT, 'apps/server/src/main.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, ...(opts.recordImportsTo ? { RECORD_IMPORTS_FILE: opts.recordImportsTo } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: Array<Record<string, unknown>> = [];
  const stderr: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal, at: performance.now() })),
  );
  const listening = new Promise<string>((resolveUrl, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const obj = JSON.parse(line) as Record<string, unknown>;
        logLines.push(obj);
        if (obj.msg === 'app listening') resolveUrl(String(obj.url));
      } catch {
        // not a log line
      }
    });
    void exited.then((e) => reject(new Error(`server exited (code ${e.code}) before listening: ${stderr.join('\n')}`)));
  });
  listening.catch(() => undefined);
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  return { child, logLines, stderr, exited, listening };
}
