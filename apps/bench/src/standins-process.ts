import { startAllStandins } from '@va/standins';
import { DEFAULT_LATENCIES, type BenchLatencies } from './latencies.ts';

/**
 * The benchmark's stand-in model servers, in their own process as real model servers would be,
 * so their work does not share the app's event loop. Prints `STANDINS_READY {"llm":url,...}`.
 */
const l: BenchLatencies = { ...DEFAULT_LATENCIES, ...(JSON.parse(process.env.BENCH_LATENCIES ?? '{}') as Partial<BenchLatencies>) };
const standins = await startAllStandins({
  llm: { port: 0, firstTokenMs: l.llmFirstTokenMs, perTokenMs: l.llmPerTokenMs },
  // bounded search: every decode fits inside the fixed STT latency (see maxActiveHmms)
  stt: { port: 0, latencyMs: l.sttMs, maxActiveHmms: 3000 },
  tts: { port: 0, firstByteMs: l.ttsFirstByteMs, msPerChar: l.ttsMsPerChar },
  embedding: { port: 0, latencyMs: l.embeddingMs },
  audio: false,
});
process.stdout.write(
  `STANDINS_READY ${JSON.stringify({ llm: standins.llm!.url, stt: standins.stt!.url, tts: standins.tts!.url, embedding: standins.embedding!.url })}\n`,
);
const stop = () => void standins.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
