import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startAllStandins } from '@va/standins';
import { createApp, createLogger } from '@va/server';
import { ingestDirectory, createHttpEmbedder, silentProgress } from '@va/rag';
import { DEFAULT_LATENCIES, type BenchLatencies } from './latencies.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/**
 * The system under test, in its own process: stand-ins with fixed latencies, a small ingested
 * document folder (so retrieval is on the path), and the app pointing at them (STANDINS=off).
 * Prints one line `BENCH_READY {"url":..., "latencies":...}`.
 */
async function main(): Promise<void> {
  const l: BenchLatencies = { ...DEFAULT_LATENCIES, ...(JSON.parse(process.env.BENCH_LATENCIES ?? '{}') as Partial<BenchLatencies>) };
  const standins = await startAllStandins({
    llm: { port: 0, firstTokenMs: l.llmFirstTokenMs, perTokenMs: l.llmPerTokenMs },
    stt: { port: 0, latencyMs: l.sttMs },
    tts: { port: 0, firstByteMs: l.ttsFirstByteMs, msPerChar: l.ttsMsPerChar },
    embedding: { port: 0, latencyMs: l.embeddingMs },
    audio: false,
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'va-bench-'));
  const docs = join(dataDir, 'docs');
  mkdirSync(docs);
  writeFileSync(
    join(docs, 'robot.md'),
    '# Robot manual\n\nThe robot can go forward ten meters before it must recharge. Its battery lasts two hours.\n\n' +
      'Mister John Dashwood is the name of the test robot. It was built in Norland Park.\n',
  );
  const embedder = createHttpEmbedder({ baseUrl: standins.embedding!.url });
  await ingestDirectory({ dir: docs, dataDir, embedder, progress: silentProgress });
  const app = await createApp({
    cwd: REPO_ROOT,
    env: {
      PORT: '0',
      APP_TOKEN: process.env.APP_TOKEN ?? 'bench-token-123',
      DATA_DIR: dataDir,
      STANDINS: 'off',
      MOCK_PROVIDERS: 'true',
      LLM_BASE_URL: standins.llm!.url,
      STT_BASE_URL: standins.stt!.url,
      TTS_BASE_URL: standins.tts!.url,
      EMBEDDING_BASE_URL: standins.embedding!.url,
      ENDPOINT_SILENCE_MS: String(l.endpointMs),
      LOG_LEVEL: 'warn',
    },
    logger: createLogger('warn', process.stderr),
  });
  process.stdout.write(`BENCH_READY ${JSON.stringify({ url: app.url, latencies: l, retrieval: true })}\n`);
  const stop = () => void app.close().then(() => standins.close()).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
