import { resolve } from 'node:path';
import { createEmbedder, createLlm, createStt, createTts, loadProvidersFile } from '@va/providers';
import { createConversationLog } from '@va/db';
import { loadRetriever } from '@va/rag';
import type { Logger } from '@va/pipeline';
import type { AppConfig } from '../config/app-config.ts';
import { settleAll, type Cleanups } from '../lifecycle.ts';
import { startIndexReload } from './index-reload.ts';
import { loadWarmVad } from './vad.ts';

interface EngineContext {
  config: AppConfig;
  cwd: string;
  logger: Logger;
  cleanups: Cleanups;
}

export type LocalParts = Awaited<ReturnType<typeof loadLocalParts>>;
export type Engine = Awaited<ReturnType<typeof createEngine>>;

/** What needs no model server: the VAD model and the conversation log (loaded while the stand-ins start). */
export async function loadLocalParts(ctx: EngineContext) {
  const dataDir = resolve(ctx.cwd, ctx.config.DATA_DIR);
  const [vadModel, log] = await settleAll([
    loadWarmVad(ctx.logger).then((m) => (ctx.cleanups.add(() => m.release()), m)),
    createConversationLog({ databaseUrl: ctx.config.DATABASE_URL || undefined, dataDir, logger: ctx.logger }).then((l) => (ctx.cleanups.add(() => l.close()), l)),
  ]);
  return { vadModel, log };
}

/** What every session shares: the four providers (from `env`), the document index, and the local parts. */
export async function createEngine(ctx: EngineContext & { env: Record<string, string>; local: LocalParts }) {
  const { config, logger, cleanups } = ctx;
  const providers = loadProvidersFile(resolve(ctx.cwd, config.PROVIDERS_CONFIG), ctx.env);
  const deps = { logger };
  const llm = createLlm(providers.llm, deps);
  const stt = createStt(providers.stt, deps);
  const tts = createTts(providers.tts, deps);
  const embedder = createEmbedder(providers.embedding, deps);
  const retriever = await loadRetriever({ dataDir: resolve(ctx.cwd, config.DATA_DIR), embedder, logger });
  cleanups.add(startIndexReload(retriever, logger));
  const sttOptionLanguage = (providers.stt.options as Record<string, unknown> | undefined)?.language;
  return { llm, stt, tts, embedder, retriever, ...ctx.local, sttOptionLanguage: typeof sttOptionLanguage === 'string' ? sttOptionLanguage : undefined };
}
