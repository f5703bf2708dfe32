import { ConfigError, loadEnv } from '@va/providers';
import { createApp, type App } from './app.ts';
import { StartupError } from './startup-error.ts';

/** After SIGTERM/SIGINT the process exits within this time even if a step of the shutdown hangs. */
const FORCE_EXIT_MS = 5_000;

let app: App | null = null;
let stopSignal: string | null = null;

function shutDown(running: App, signal: string): void {
  const startedAt = performance.now();
  running.logger.info({ signal }, 'shutting down');
  void running.close().then(() => {
    running.logger.info({ ms: Math.round(performance.now() - startedAt) }, 'shut down');
    process.exit(0);
  });
}

// Installed before start-up: a signal during it stops the app as soon as it is up.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopSignal) return;
    stopSignal = signal;
    setTimeout(() => process.exit(1), FORCE_EXIT_MS).unref();
    if (app) shutDown(app, signal);
  });
}

const cwd = process.cwd();
try {
  app = await createApp({ env: loadEnv(cwd), cwd });
  if (stopSignal) shutDown(app, stopSignal);
  else process.stderr.write(`\n  Voice avatar is up: ${app.url}  (${app.standins ? 'embedded stand-in model servers' : 'configured model servers'})\n\n`);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(78);
  }
  if (error instanceof StartupError) {
    process.stderr.write(`start-up failed: ${error.line}\n`);
    process.exit(1);
  }
  process.stderr.write(`start-up failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
