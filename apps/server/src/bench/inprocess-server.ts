/**
 * For the ping benchmark only: the app with the stand-ins inside its own process (how the
 * embedded default ran before they got a process of their own), to compare against.
 */
import { ConfigError, loadEnv } from '@va/providers';
import { createApp } from '../app.ts';

const { startAllStandins } = await import('@va/standins');
const standins = await startAllStandins({ audio: false });
const cwd = process.cwd();
try {
  const app = await createApp({
    env: {
      ...loadEnv(cwd),
      STANDINS: 'off',
      MOCK_PROVIDERS: 'true',
      LLM_BASE_URL: standins.llm!.url,
      STT_BASE_URL: standins.stt!.url,
      STT_TYPE: 'whisper-cpp',
      TTS_BASE_URL: standins.tts!.url,
      TTS_TYPE: 'fish-speech',
      EMBEDDING_BASE_URL: standins.embedding!.url,
    },
    cwd,
  });
  process.on('SIGTERM', () => void app.close().then(() => standins.close()).then(() => process.exit(0)));
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? 'configuration error' : 'start-up failed'}: ${(error as Error).message}\n`);
  process.exit(1);
}
