import { createApp } from './app.ts';
import { ConfigError, loadEnv } from '@va/providers';

const cwd = process.cwd();
try {
  const app = await createApp({ env: loadEnv(cwd), cwd });
  process.stderr.write(`\n  Voice avatar is up: ${app.url}  (${app.standins ? 'embedded stand-in model servers' : 'configured model servers'})\n\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`start-up failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
