import { z } from 'zod';
import { ConfigError } from '@va/providers';
import { SESSION_LANGUAGES } from '@va/protocol';

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
  /** Ports of the embedded stand-ins (their own process); 0 = a free port, which the app is told. */
  STANDIN_LLM_PORT: port.default(0),
  STANDIN_STT_PORT: port.default(0),
  STANDIN_TTS_PORT: port.default(0),
  STANDIN_EMBEDDING_PORT: port.default(0),
  WEB_DIST: z.string().default('apps/web/dist'),
  /** Tuning knobs for the voice loop (ms). */
  PARTIAL_INTERVAL_MS: z.coerce.number().int().min(100).max(5000).default(300),
  /** The longest silence that ends a turn; with TURN_END=words a finished sentence ends much sooner (pipeline listen/turn-end.ts). */
  ENDPOINT_SILENCE_MS: z.coerce.number().int().min(160).max(3000).default(1600),
  /** words = end of turn from the words heard (200 ms after a complete sentence ...); silence = always ENDPOINT_SILENCE_MS. */
  TURN_END: z.enum(['words', 'silence']).default('words'),
  /** judge = speech during an answer ducks it, backchannels and the avatar's echo do not interrupt; plain = any 250 ms of speech interrupts. */
  BARGE_IN: z.enum(['judge', 'plain']).default('judge'),
  IDLE_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Sessions held at once (with or without a socket); beyond it a new one is refused (server_full). */
  MAX_SESSIONS: z.coerce.number().int().min(1).default(64),
  /** A client must send its request headers within this time, and its whole request within the next. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).default(5_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Session language when the page names none (or one the app does not speak); else from STT_LANGUAGE. */
  DEFAULT_LANGUAGE: z.enum(SESSION_LANGUAGES).optional(),
  /**
   * Languages the STT understands, comma-separated (`ja,en`). Default: `en` when stand-ins answer
   * (pocketsphinx is English only), `ja,en` otherwise (whisper.cpp).
   */
  STT_LANGUAGES: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean) : undefined)),
});

export type AppConfig = z.infer<typeof appConfigSchema>;

export function parseAppConfig(env: Record<string, string>): AppConfig {
  const result = appConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid environment settings (see .env.default):\n${lines.join('\n')}`);
}
