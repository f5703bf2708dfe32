import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Fault } from '@va/standins';
import type { Logger } from '@va/pipeline';
import { StartupError } from '../startup-error.ts';

export const STANDIN_ROLES = ['llm', 'stt', 'tts', 'embedding'] as const;
export type StandinRole = (typeof STANDIN_ROLES)[number];

const url = z.string().url();
const childMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), urls: z.object({ llm: url, stt: url, tts: url, embedding: url }) }),
  z.object({ type: z.literal('error'), message: z.string(), code: z.string().nullable(), port: z.number().nullable(), role: z.enum(STANDIN_ROLES).nullable() }),
]);

/** One stand-in in the child process: where it listens, and its fault-injection control route. */
export interface StandinHandle {
  url: string;
  /** `POST /__standin/fault` (null clears). */
  setFault(fault: Fault | null): Promise<void>;
  /** `POST /__standin/mode` (e.g. the chat stand-in's `inStreamErrorAfter`). */
  setMode(mode: Record<string, unknown>): Promise<void>;
}

export interface StandinsProcess extends Record<StandinRole, StandinHandle> {
  pid: number;
  close(): Promise<void>;
}

export interface StandinsProcessOptions {
  /** Environment for the child (STANDIN_* latencies etc.); ports and host are set from the next fields. */
  env: Record<string, string>;
  host: string;
  ports: Record<StandinRole, number>;
  logger: Logger;
  startTimeoutMs?: number;
}

function handle(base: string): StandinHandle {
  const post = async (path: string, body: unknown): Promise<void> => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${base}${path}: HTTP ${res.status} ${await res.text()}`);
  };
  return { url: base, setFault: (f) => post('/__standin/fault', f), setMode: (m) => post('/__standin/mode', m) };
}

function spawnChild(opts: StandinsProcessOptions): ChildProcess {
  const require = createRequire(import.meta.url);
  const script = join(dirname(require.resolve('@va/standins')), 'child.ts');
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const portEnv = Object.fromEntries(STANDIN_ROLES.map((r) => [`STANDIN_${r.toUpperCase()}_PORT`, String(opts.ports[r])]));
  const child = fork(script, [], {
    env: { ...process.env, ...opts.env, STANDIN_HOST: opts.host, ...portEnv },
    execArgv: ['--import', tsx],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  createInterface({ input: child.stdout! }).on('line', (line) => opts.logger.debug({ standins: line.slice(0, 500) }, 'stand-ins output'));
  createInterface({ input: child.stderr! }).on('line', (line) => opts.logger.warn({ standins: line.slice(0, 500) }, 'stand-ins stderr'));
  return child;
}

function failure(m: { message: string; code: string | null; port: number | null; role: StandinRole | null }): StartupError {
  if (m.code === 'EADDRINUSE') {
    const role = m.role ?? '<ROLE>';
    const what = m.role ? `the ${m.role} stand-in` : 'an embedded stand-in';
    return new StartupError(`${what} cannot listen: port ${m.port ?? '?'} is already in use`, `set STANDIN_${role.toUpperCase()}_PORT=0 (a free port is picked) or to another free port`);
  }
  return new StartupError(`the embedded stand-in model servers did not start: ${m.message}`, 'see the log lines above; STANDINS=off uses the servers in config/providers.yaml');
}

function waitReady(child: ChildProcess, timeoutMs: number): Promise<Record<StandinRole, string>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new StartupError(`the embedded stand-ins did not report ready within ${timeoutMs} ms`, 'check the stand-ins log lines')), timeoutMs);
    const done = (): void => clearTimeout(timer);
    child.once('message', (raw) => {
      done();
      const m = childMessage.safeParse(raw);
      if (!m.success) return reject(new StartupError('the stand-ins process sent an unexpected message', 'this is a bug'));
      if (m.data.type === 'error') return reject(failure(m.data));
      resolve(m.data.urls);
    });
    child.once('exit', (code, signal) => {
      done();
      reject(new StartupError(`the stand-ins process exited while starting (code ${code}, signal ${signal})`, 'see its log lines above'));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The stand-in model servers in a child process on loopback (free ports by default). Resolves
 * when the child reports where they listen; the app points its providers at those URLs.
 */
export async function startStandinsProcess(opts: StandinsProcessOptions): Promise<StandinsProcess> {
  const child = spawnChild(opts);
  let urls: Record<StandinRole, string>;
  try {
    urls = await waitReady(child, opts.startTimeoutMs ?? 120_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  let closing = false;
  child.on('exit', (code, signal) => {
    if (!closing) opts.logger.error({ code, signal }, 'the embedded stand-in model servers exited; model requests will fail');
  });
  return {
    pid: child.pid ?? -1,
    llm: handle(urls.llm),
    stt: handle(urls.stt),
    tts: handle(urls.tts),
    embedding: handle(urls.embedding),
    close: () => {
      closing = true;
      return stopChild(child);
    },
  };
}
