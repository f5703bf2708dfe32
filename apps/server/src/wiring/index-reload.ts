import type { Logger } from '@va/pipeline';

/**
 * Picks up a fresh `npm run ingest` without a restart: the retriever re-reads its small pointer
 * file every `everyMs`. Returns the stop function.
 */
export function startIndexReload(retriever: { reload(): Promise<unknown> }, logger: Logger, everyMs = 3000): () => void {
  const timer = setInterval(() => {
    retriever.reload().catch((error: unknown) => logger.warn({ err: { message: (error as Error).message } }, 'index reload failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
