import { ingestDirectory, silentProgress } from '@va/rag';
import { embeddedEmbedder } from './embedders.ts';

/** One ingest in its own process (its peak RSS is the ingest's). Prints `INGEST_RESULT {...}`. */
const summary = await ingestDirectory({ dir: process.env.RAG_BENCH_DOCS as string, dataDir: process.env.RAG_BENCH_DATA as string, embedder: embeddedEmbedder(), progress: silentProgress });
process.stdout.write(`INGEST_RESULT ${JSON.stringify({ summary, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
