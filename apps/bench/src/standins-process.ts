import { startAllStandins, type AllStandinsConfig } from '@va/standins';
import { OBSERVED_BEHAVIOURS } from '@va/standins/observed';
import { DEFAULT_LATENCIES, type BenchLatencies } from './latencies.ts';

/**
 * One of the benchmark's stand-in model servers (BENCH_ROLE = llm | stt | tts | embedding), in a
 * process of its own as a real model server would be: its parsing, synthesis and decoding never
 * hold up another server's response. Prints `STANDINS_READY {"<role>": url}`.
 *
 * By default the stand-ins behave as real servers were observed to (OBSERVED_BEHAVIOURS: llama.cpp
 * chat with context shift and thinking it does not switch off, no TCP_NODELAY on llama.cpp and
 * whisper.cpp, whisper's late abort, Fish's uncancellable synthesis), so the figures include
 * what those cost. BENCH_OBSERVED=0 runs the idealised stand-ins instead.
 */
const l: BenchLatencies = { ...DEFAULT_LATENCIES, ...(JSON.parse(process.env.BENCH_LATENCIES ?? '{}') as Partial<BenchLatencies>) };
const role = process.env.BENCH_ROLE as 'llm' | 'stt' | 'tts' | 'embedding' | undefined;
const observed = process.env.BENCH_OBSERVED !== '0';
const o = observed ? OBSERVED_BEHAVIOURS : undefined;
/** A served model's context (Qwen3 on llama-server is run with far more than the 2048 of the observed test model). */
const LLM_N_CTX = 32_768;
const config: AllStandinsConfig = { llm: false, stt: false, tts: false, embedding: false, audio: false };
switch (role) {
  case 'llm':
    config.llm = { port: 0, firstTokenMs: l.llmFirstTokenMs, perTokenMs: l.llmPerTokenMs, ...(o ? { ...o.llm, nCtx: LLM_N_CTX } : {}) };
    break;
  case 'stt':
    // bounded search: every decode fits inside the fixed STT latency (see maxActiveHmms)
    config.stt = { port: 0, latencyMs: l.sttMs, maxActiveHmms: 3000, ...o?.stt };
    break;
  case 'tts':
    config.tts = { port: 0, firstByteMs: l.ttsFirstByteMs, msPerChar: l.ttsMsPerChar, ...o?.tts };
    break;
  case 'embedding':
    config.embedding = { port: 0, latencyMs: l.embeddingMs, ...o?.embedding };
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
