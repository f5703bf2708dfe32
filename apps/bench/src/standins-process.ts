import { startAllStandins, type AllStandinsConfig } from '@va/standins';
import { DEFAULT_LATENCIES, type BenchLatencies } from './latencies.ts';

/**
 * One of the benchmark's stand-in model servers (BENCH_ROLE = llm | stt | tts | embedding), in a
 * process of its own as a real model server would be: its parsing, synthesis and decoding never
 * hold up another server's response. Prints `STANDINS_READY {"<role>": url}`.
 */
const l: BenchLatencies = { ...DEFAULT_LATENCIES, ...(JSON.parse(process.env.BENCH_LATENCIES ?? '{}') as Partial<BenchLatencies>) };
const role = process.env.BENCH_ROLE as 'llm' | 'stt' | 'tts' | 'embedding' | undefined;
const config: AllStandinsConfig = { llm: false, stt: false, tts: false, embedding: false, audio: false };
switch (role) {
  case 'llm':
    config.llm = { port: 0, firstTokenMs: l.llmFirstTokenMs, perTokenMs: l.llmPerTokenMs };
    break;
  case 'stt':
    // bounded search: every decode fits inside the fixed STT latency (see maxActiveHmms)
    config.stt = { port: 0, latencyMs: l.sttMs, maxActiveHmms: 3000 };
    break;
  case 'tts':
    config.tts = { port: 0, firstByteMs: l.ttsFirstByteMs, msPerChar: l.ttsMsPerChar };
    break;
  case 'embedding':
    config.embedding = { port: 0, latencyMs: l.embeddingMs };
    break;
  default:
    throw new Error(`BENCH_ROLE must be llm, stt, tts or embedding (got ${String(role)})`);
}
const standins = await startAllStandins(config);
process.stdout.write(`STANDINS_READY ${JSON.stringify({ [role]: standins[role]!.url })}\n`);
const stop = () => void standins.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
