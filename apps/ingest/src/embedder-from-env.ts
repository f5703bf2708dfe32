import { createHttpEmbedder, type HttpEmbedder } from './http-embedder.ts';

/**
 * The one place the ingest CLI builds its embedder. The integrator swaps this for the shared
 * provider adapter (packages/providers) chosen by config/providers.yaml.
 */
export function embedderFromEnv(env: NodeJS.ProcessEnv = process.env): HttpEmbedder {
  return createHttpEmbedder({
    baseUrl: env.EMBEDDING_BASE_URL || 'http://127.0.0.1:18082',
    model: env.EMBEDDING_MODEL || undefined,
    apiKey: env.EMBEDDING_API_KEY || undefined,
  });
}
