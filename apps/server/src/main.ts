import { ConfigError, loadEnv } from '@va/providers';
import { createApp } from './app.ts';
import { StartupError } from './startup-error.ts';

/** After SIGTERM/SIGINT the process exits within this time even if a step of the shutdown hangs. */
const FORCE_EXIT_MS = 5_000;

const cwd = process.cwd();
try {
  const app = await createApp({ env: loadEnv(cwd), cwd });
  process.stderr.write(`\n  Voice avatar is up: ${app.url}  (${app.standins ? 'embedded stand-in model servers' : 'configured model servers'})\n\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    const startedAt = performance.now();
    app.logger.info({ signal }, 'shutting down');
    setTimeout(() => process.exit(1), FORCE_EXIT_MS).unref();
    void app.close().then(() => {
      app.logger.info({ ms: Math.round(performance.now() - startedAt) }, 'shut down');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
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
