import { resolve } from 'node:path';
import { createEmbedder, createLlm, createStt, createTts, loadProvidersFile } from '@va/providers';
import { createConversationLog } from '@va/db';
import { loadRetriever } from '@va/rag';
import type { Logger } from '@va/pipeline';
import type { AppConfig } from '../config/app-config.ts';
import type { Cleanups } from '../lifecycle.ts';
import { startIndexReload } from './index-reload.ts';
import { loadWarmVad } from './vad.ts';

export type Engine = Awaited<ReturnType<typeof createEngine>>;

/** What every session shares: the four providers, the VAD model, the document index, the conversation log. */
export async function createEngine(opts: { config: AppConfig; env: Record<string, string>; cwd: string; logger: Logger; cleanups: Cleanups }) {
  const { config, logger, cleanups } = opts;
  const providers = loadProvidersFile(resolve(opts.cwd, config.PROVIDERS_CONFIG), opts.env);
  const deps = { logger };
  const llm = createLlm(providers.llm, deps);
  const stt = createStt(providers.stt, deps);
  const tts = createTts(providers.tts, deps);
  const embedder = createEmbedder(providers.embedding, deps);
  const dataDir = resolve(opts.cwd, config.DATA_DIR);
  const vadModel = await loadWarmVad(logger);
  cleanups.add(() => vadModel.release());
  const retriever = await loadRetriever({ dataDir, embedder, logger });
  cleanups.add(startIndexReload(retriever, logger));
  const log = await createConversationLog({ databaseUrl: config.DATABASE_URL || undefined, dataDir, logger });
  cleanups.add(() => log.close());
  const sttOptionLanguage = (providers.stt.options as Record<string, unknown> | undefined)?.language;
  return { llm, stt, tts, embedder, vadModel, retriever, log, sttOptionLanguage: typeof sttOptionLanguage === 'string' ? sttOptionLanguage : undefined };
}
