import { z } from 'zod';
import { ConfigError } from '@va/providers';

const port = z.coerce.number().int().min(0).max(65535);

export const appConfigSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  APP_TOKEN: z.string().min(8, 'must be at least 8 characters'),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().default(''),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  PROVIDERS_CONFIG: z.string().min(1).default('config/providers.yaml'),
  STANDINS: z.enum(['embedded', 'off']).default('embedded'),
  STANDIN_HOST: z.string().default('127.0.0.1'),
  STANDIN_LLM_PORT: port.default(18000),
  STANDIN_STT_PORT: port.default(18080),
  STANDIN_TTS_PORT: port.default(18081),
  STANDIN_EMBEDDING_PORT: port.default(18082),
  WEB_DIST: z.string().default('apps/web/dist'),
  /** Tuning knobs for the voice loop (ms). */
  PARTIAL_INTERVAL_MS: z.coerce.number().int().min(100).max(5000).default(300),
  ENDPOINT_SILENCE_MS: z.coerce.number().int().min(160).max(3000).default(480),
  IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
});

export type AppConfig = z.infer<typeof appConfigSchema>;

export function parseAppConfig(env: Record<string, string>): AppConfig {
  const result = appConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid environment settings (see .env.default):\n${lines.join('\n')}`);
}
