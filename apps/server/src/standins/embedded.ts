import type { Logger } from '@va/pipeline';
import type { AppConfig } from '../config/app-config.ts';
import { startStandinsProcess, type StandinsProcess } from './standins-process.ts';

/**
 * The zero-setup default (`STANDINS=embedded`): stand-in model servers in a child process on
 * loopback. The app still talks to them over HTTP through its production adapters; the
 * provider URLs in the environment are pointed at them. Loaded with a dynamic import, only then.
 */
export async function startEmbeddedStandins(config: AppConfig, env: Record<string, string>, logger: Logger): Promise<{ standins: StandinsProcess; env: Record<string, string> }> {
  const standins = await startStandinsProcess({
    env,
    host: config.STANDIN_HOST,
    ports: { llm: config.STANDIN_LLM_PORT, stt: config.STANDIN_STT_PORT, tts: config.STANDIN_TTS_PORT, embedding: config.STANDIN_EMBEDDING_PORT },
    logger,
  });
  const next = {
    ...env,
    LLM_BASE_URL: standins.llm.url,
    STT_BASE_URL: standins.stt.url,
    STT_TYPE: 'whisper-cpp',
    TTS_BASE_URL: standins.tts.url,
    TTS_TYPE: 'fish-speech',
    EMBEDDING_BASE_URL: standins.embedding.url,
    LLM_HEALTH_PATH: '/v1/health/ready',
  };
  logger.info({ pid: standins.pid, llm: next.LLM_BASE_URL, stt: next.STT_BASE_URL, tts: next.TTS_BASE_URL, embedding: next.EMBEDDING_BASE_URL }, 'embedded stand-in model servers started (own process)');
  return { standins, env: next };
}
