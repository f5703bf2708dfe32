import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnAndWait } from './child-line.ts';
import { createApp, createLogger } from '@va/server';
import { ingestDirectory, silentProgress } from '@va/rag';
import { createEmbedder } from '@va/providers';
import { DEFAULT_LATENCIES, type BenchLatencies } from './latencies.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/**
 * The system under test, in its own process: stand-ins with fixed latencies, a small ingested
 * document folder (so retrieval is on the path), and the app pointing at them (STANDINS=off).
 * Each stand-in runs in a child process of its own. Prints one line `BENCH_READY {"url":..., "latencies":...}`.
 */
async function main(): Promise<void> {
  const l: BenchLatencies = { ...DEFAULT_LATENCIES, ...(JSON.parse(process.env.BENCH_LATENCIES ?? '{}') as Partial<BenchLatencies>) };
  const roles = ['llm', 'stt', 'tts', 'embedding'] as const;
  const started = await Promise.all(
    roles.map((role) =>
      spawnAndWait<Record<string, string>>(resolve(import.meta.dirname, 'standins-process.ts'), 'STANDINS_READY', {
        ...process.env,
        BENCH_LATENCIES: JSON.stringify(l),
        BENCH_ROLE: role,
      }),
    ),
  );
  const children = started.map((s) => s.child);
  const urls = Object.assign({}, ...started.map((s) => s.value)) as Record<(typeof roles)[number], string>;
  const dataDir = mkdtempSync(join(tmpdir(), 'va-bench-'));
  const docs = join(dataDir, 'docs');
  mkdirSync(docs);
  writeFileSync(
    join(docs, 'robot.md'),
    '# Robot manual\n\nThe robot can go forward ten meters before it must recharge. Its battery lasts two hours.\n\n' +
      'Mister John Dashwood is the name of the test robot. It was built in Norland Park.\n',
  );
  const embedder = createEmbedder({ type: 'openai-embeddings', base_url: urls.embedding });
  await ingestDirectory({ dir: docs, dataDir, embedder, progress: silentProgress });
  const app = await createApp({
    cwd: REPO_ROOT,
    env: {
      PORT: '0',
      APP_TOKEN: process.env.APP_TOKEN ?? 'bench-token-123',
      DATA_DIR: dataDir,
      STANDINS: 'off',
      MOCK_PROVIDERS: 'true',
      LLM_BASE_URL: urls.llm,
      STT_BASE_URL: urls.stt,
      TTS_BASE_URL: urls.tts,
      EMBEDDING_BASE_URL: urls.embedding,
      ENDPOINT_SILENCE_MS: String(l.endpointMs),
      LOG_LEVEL: 'warn',
    },
    logger: createLogger('warn', process.stderr),
  });
  process.stdout.write(`BENCH_READY ${JSON.stringify({ url: app.url, latencies: l, retrieval: true })}\n`);
  const stop = () => void app.close().then(() => children.forEach((c) => c.kill('SIGTERM'))).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
