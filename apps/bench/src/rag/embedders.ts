import type { Embedder } from '@va/pipeline';
import { embedderFromConfig } from '@va/rag';
import { featureVector } from '@va/standins';

/** The embedded default's embedder (the stand-in's hashed text features), called in process. */
export function embeddedEmbedder(dims = 384): Embedder {
  return {
    role: 'embedding',
    type: 'standin-text-features',
    baseUrl: 'in-process',
    health: async () => ({ ok: true, latencyMs: 0 }),
    embed: async (texts) => texts.map((t) => featureVector(t, dims)),
  };
}

/** The app's configured embedder when it answers within 3 s, else undefined (with the reason). */
export async function configuredEmbedder(): Promise<{ embedder?: Embedder; model?: string; note: string }> {
  try {
    const { embedder, model } = embedderFromConfig();
    await embedder.embed(['ping'], AbortSignal.timeout(3000));
    return { embedder, model, note: `${embedder.type} at ${embedder.baseUrl}${model ? ` (${model})` : ''}` };
  } catch (err) {
    return { note: `configured embedder not reachable (${err instanceof Error ? err.message : String(err)}): skipped` };
  }
}
