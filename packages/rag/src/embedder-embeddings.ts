import { Embeddings } from '@langchain/core/embeddings';
import type { Embedder } from '@va/pipeline';

/** Our `Embedder` port seen as LangChain `Embeddings` (what LangChain vector stores take). */
export class EmbedderEmbeddings extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({ maxRetries: 0 });
  }
  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return (await this.embedder.embed(texts)).map((v) => Array.from(v));
  }
  override async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.embedder.embed([text]);
    if (!v) throw new Error('embedder returned no vector');
    return Array.from(v);
  }
}
