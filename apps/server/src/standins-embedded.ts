import { startAllStandins, type AllStandins } from '@va/standins';
import type { AppConfig } from './config/app-config.ts';

/**
 * The zero-setup default: stand-in model servers started inside the app process, on loopback.
 * The app still talks to them over HTTP through its production adapters; the provider URLs in
 * the environment are pointed at them.
 */
export async function startEmbeddedStandins(config: AppConfig, env: Record<string, string>): Promise<{ standins: AllStandins; env: Record<string, string> }> {
  const standins = await startAllStandins({
    host: config.STANDIN_HOST,
    llm: { port: config.STANDIN_LLM_PORT },
    stt: { port: config.STANDIN_STT_PORT },
    tts: { port: config.STANDIN_TTS_PORT },
    embedding: { port: config.STANDIN_EMBEDDING_PORT },
    audio: false,
  });
  const next = { ...env };
  next.LLM_BASE_URL = standins.llm!.url;
  next.STT_BASE_URL = standins.stt!.url;
  next.STT_TYPE = 'whisper-cpp';
  next.TTS_BASE_URL = standins.tts!.url;
  next.TTS_TYPE = 'fish-speech';
  next.EMBEDDING_BASE_URL = standins.embedding!.url;
  next.LLM_HEALTH_PATH = '/v1/health/ready';
  return { standins, env: next };
}
