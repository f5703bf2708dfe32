import { configuredEmbedder, embeddedEmbedder } from './embedders.ts';
import { evaluate } from './evaluate.ts';
import type { Question } from './corpus.ts';
import { bigramTokenizer, defaultTokenizer } from '@va/rag';

/**
 * One embedder's run, in its own process so its peak RSS is its own. Input (env): RAG_BENCH_DOCS,
 * RAG_BENCH_QUESTIONS (JSON), RAG_BENCH_EMBEDDER=embedded|configured, RAG_BENCH_TOKENIZER=bigram|kuromoji.
 * Prints `RAG_RESULT {...}`.
 */
async function main(): Promise<void> {
  const docs = process.env.RAG_BENCH_DOCS as string;
  const questions = JSON.parse(process.env.RAG_BENCH_QUESTIONS ?? '[]') as Question[];
  const which = process.env.RAG_BENCH_EMBEDDER;
  let embedder = embeddedEmbedder();
  let note = 'embedded: stand-in hashed text features (384 dims), in process';
  if (which === 'configured') {
    const c = await configuredEmbedder();
    note = c.note;
    if (!c.embedder) {
      process.stdout.write(`RAG_RESULT ${JSON.stringify({ note })}\n`);
      return;
    }
    embedder = c.embedder;
  }
  const tokenizer = process.env.RAG_BENCH_TOKENIZER === 'bigram' ? bigramTokenizer : await defaultTokenizer();
  note += `; lexical tokenizer ${tokenizer.name}`;
  const { figures, results } = await evaluate(docs, embedder, questions, tokenizer);
  process.stdout.write(`RAG_RESULT ${JSON.stringify({ note, figures, results })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`rag bench child failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
