/**
 * The app's embedded stand-ins in a process of their own, forked by apps/server with an IPC
 * channel (`startStandinsProcess`): their decoding and synthesis never stall the app's event
 * loop. Configured by env like `npm run standins` (ports STANDIN_<ROLE>_PORT, 0 = a free one).
 * Sends one IPC message, `{type: "ready", urls}` or `{type: "error", message, code, port, role}`, and
 * exits when the app closes the channel (also when the app dies) or on SIGTERM.
 */
import { startAllStandins, type AllStandins } from './all.ts';
import { standinsConfigFromEnv } from './env-config.ts';

export type StandinsChildMessage =
  | { type: 'ready'; urls: { llm: string; stt: string; tts: string; embedding: string } }
  | { type: 'error'; message: string; code: string | null; port: number | null; role: string | null };

function send(message: StandinsChildMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  if (!process.send) throw new Error('child.ts is started by the app with an IPC channel; use `npm run standins` instead');
  const config = { ...standinsConfigFromEnv(process.env), audio: false as const };
  let all: AllStandins;
  try {
    all = await startAllStandins(config);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { port?: number };
    const port = e.port ?? null;
    const role = port === null ? null : (['llm', 'stt', 'tts', 'embedding'] as const).find((r) => config[r] && config[r].port === port) ?? null;
    send({ type: 'error', message: e.message, code: e.code ?? null, port, role });
    process.disconnect();
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 2_000);
    force.unref();
    void all.close().then(() => process.exit(0));
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  send({ type: 'ready', urls: { llm: all.llm!.url, stt: all.stt!.url, tts: all.tts!.url, embedding: all.embedding!.url } });
}

await main();
