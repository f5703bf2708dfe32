import type { Embedder } from '@va/pipeline';
import { createEmbedder, loadProviderSettings } from '@va/providers';

/**
 * The ingest CLI's embedder: the `embedding` provider of config/providers.yaml (or the file
 * PROVIDERS_CONFIG names), with the same environment and `.env` files as the app, so documents
 * are embedded by exactly the server and model the app will query.
 */
export function embedderFromConfig(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): { embedder: Embedder; model: string | undefined; configPath: string } {
  const { path, providers } = loadProviderSettings(cwd, env);
  return { embedder: createEmbedder(providers.embedding), model: providers.embedding.model || undefined, configPath: path };
}
