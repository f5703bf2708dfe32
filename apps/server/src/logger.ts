import { pino } from 'pino';
import type { Logger } from '@va/pipeline';

/** JSON lines on stdout. Bindings (session_id, turn_id, request_id) ride on every line; never user text. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'voice-avatar' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'text', '*.text'], censor: '[redacted]' },
    },
    destination as never,
  ) as unknown as Logger;
}
