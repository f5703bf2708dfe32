import { formatBreakdown, overheadBreakdown } from './overhead-breakdown.ts';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { VoiceClient } from '@va/testkit';
import { DEFAULT_LATENCIES, summary, type BenchLatencies } from './latencies.ts';
import { readLatenciesFile } from './latencies-file.ts';
import { benchClips, runTurn, type TurnFigures } from './run-turns.ts';
import { spawnAndWait } from './child-line.ts';

/**
 * `npm run bench [-- --turns 20] [--warmup 1] [--json] [--verbose] [--url http://host:port --token T [--latencies FILE]]`
 * (--verbose adds the server's per-stage figures to each turn's line; --latencies takes the ideal's
 * provider latencies from the doctor's `--save-latencies` file instead of DEFAULT_LATENCIES)
 * Drives the real WebSocket protocol with real speech at real-time pace and prints latency
 * percentiles; with --json the last line is one JSON object.
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const turns = Number(arg('turns') ?? 20);
const warmupTurns = Number(arg('warmup') ?? 1);
const json = process.argv.includes('--json');
const verbose = process.argv.includes('--verbose');
const log = (s: string) => process.stderr.write(`${s}\n`);

async function startServer(): Promise<{ url: string; token: string; latencies: BenchLatencies; retrieval: boolean; child: ChildProcess }> {
  const token = 'bench-token-123';
  const { child, value } = await spawnAndWait<{ url: string; latencies: BenchLatencies; retrieval: boolean }>(
    resolve(import.meta.dirname, 'bench-server.ts'),
    'BENCH_READY',
    { ...process.env, APP_TOKEN: token },
  );
  return { ...value, token, child };
}

async function main(): Promise<void> {
  const external = arg('url');
  const latenciesFile = arg('latencies');
  if (latenciesFile && !external) throw new Error('--latencies describes external model servers: use it with --url');
  const server = external
    ? { url: external, token: arg('token') ?? process.env.APP_TOKEN ?? '', latencies: latenciesFile ? readLatenciesFile(latenciesFile) : DEFAULT_LATENCIES, retrieval: true, child: null }
    : await startServer();
  if (latenciesFile) log(`ideal from ${latenciesFile}: ${JSON.stringify(server.latencies)}`);
  const clips = benchClips();
  const client = await VoiceClient.connect(server.url, `bench-${Date.now()}`, server.token);
  const results: TurnFigures[] = [];
  const warmups: TurnFigures[] = [];
  try {
    // Warm-up turns (not counted): the first answer through a fresh app and fresh model servers
    // runs code paths for the first time on both sides (JIT), as any benchmark's first iterations do.
    for (let i = 0; i < warmupTurns; i++) {
      const w = await runTurn(client, clips[clips.length - 1 - (i % clips.length)]!, server.latencies, server.retrieval);
      warmups.push(w);
      log(`warm-up turn ${i + 1} (not counted): tts_start=${w.ttsStartMs.toFixed(0)}ms ideal=${w.idealTtsStartMs.toFixed(0)}ms overhead=${w.overheadMs.toFixed(0)}ms`);
    }
    for (let i = 0; i < turns; i++) {
      const clip = clips[i % clips.length]!;
      const r = await runTurn(client, clip, server.latencies, server.retrieval);
      results.push(r);
      log(
        `turn ${String(i + 1).padStart(2)} ${clip.name.slice(-25).padEnd(25)} partials=${r.partialMs.length} final=${r.finalMs.toFixed(0)}ms ` +
          `tts_start=${r.ttsStartMs.toFixed(0)}ms ideal=${r.idealTtsStartMs.toFixed(0)}ms overhead=${r.overheadMs.toFixed(0)}ms wer=${r.wer.toFixed(2)}` +
          (r.retrievalEarly ? ' early-retrieval' : '') +
          (r.transcriptEarly ? ' early-final' : '') +
          (r.preemptive ? ` preemptive(${r.preemptive})` : '') +
          (r.wastedLlmCalls || r.wastedTtsCalls ? ` wasted=llm:${r.wastedLlmCalls},tts:${r.wastedTtsCalls}` : '') +
          (verbose ? ` stages=${JSON.stringify(r.stages)}` : ''),
      );
    }
  } finally {
    await client.close();
    server.child?.kill('SIGTERM');
  }
  const partial = summary(results.flatMap((r) => r.partialMs));
  const final = summary(results.map((r) => r.finalMs));
  const ttsStart = summary(results.map((r) => r.ttsStartMs));
  const overhead = summary(results.map((r) => r.overheadMs));
  const ideal = summary(results.map((r) => r.idealTtsStartMs));
  const ratio = Math.round((ttsStart.p50 / ideal.p50) * 1000) / 1000;
  const out = {
    turns: results.length,
    warmup_turns: warmups.map((w) => ({ tts_start_ms: Math.round(w.ttsStartMs), overhead_ms: Math.round(w.overheadMs) })),
    partial_ms: partial,
    final_ms: final,
    tts_start_ms: ttsStart,
    ideal_tts_start_ms: ideal.p50,
    ideal_tts_start_ms_range: ideal,
    overhead_ms: overhead,
    tts_start_to_ideal_ratio_p50: ratio,
    retrieval_early_turns: results.filter((r) => r.retrievalEarly).length,
    transcript_early_turns: results.filter((r) => r.transcriptEarly).length,
    preemptive_turns: results.filter((r) => r.preemptive !== null).length,
    wasted_llm_calls: results.reduce((n, r) => n + r.wastedLlmCalls, 0),
    wasted_tts_calls: results.reduce((n, r) => n + r.wastedTtsCalls, 0),
    ideal_final_ms: summary(results.map((r) => r.idealFinalMs)).p50,
    wer_mean: Math.round((results.reduce((s, r) => s + r.wer, 0) / results.length) * 1000) / 1000,
    vad_end_offset_ms: summary(results.map((r) => r.vadEndOffsetMs)),
    server_stages_ms: Object.fromEntries(
      ['endpoint_ms', 'stt_final_ms', 'retrieval_ms', 'llm_first_token_ms', 'tts_first_audio_ms', 'end_to_end_ms'].map((k) => [
        k,
        summary(results.map((r) => r.stages[k]).filter((v): v is number => typeof v === 'number')),
      ]),
    ),
    overhead_by_stage_ms: overheadBreakdown(results, server.latencies),
    latencies: server.latencies,
    targets: { partial_p95_ms: 300, overhead_p95_ms: 30 },
    pass: { partial: partial.p95 <= 300, overhead: overhead.p95 <= 30 },
  };
  log('');
  log(`partial transcript latency     p50 ${partial.p50} ms   p95 ${partial.p95} ms   (n=${partial.n}, target p95 <= 300)`);
  log(`end of speech -> final         p50 ${final.p50} ms   p95 ${final.p95} ms   (ideal p50 ${out.ideal_final_ms} ms)`);
  log(`end of speech -> tts.start     p50 ${ttsStart.p50} ms   p95 ${ttsStart.p95} ms   (ideal p50 ${ideal.p50} ms, ratio ${ratio})`);
  log(`overhead above ideal           p50 ${overhead.p50} ms   p95 ${overhead.p95} ms   (target p95 <= 30)`);
  log(formatBreakdown(out.overhead_by_stage_ms));
  log(`preemptive answers             ${out.preemptive_turns} of ${results.length} turns; discarded calls: llm ${out.wasted_llm_calls}, tts ${out.wasted_tts_calls}`);
  log(`server stages p50 (configured): endpoint ${out.server_stages_ms.endpoint_ms?.p50} (${server.latencies.endpointMs}), stt_final ${out.server_stages_ms.stt_final_ms?.p50} (${server.latencies.sttMs}), retrieval ${out.server_stages_ms.retrieval_ms?.p50} (${server.latencies.embeddingMs}), llm_first_token ${out.server_stages_ms.llm_first_token_ms?.p50} (${server.latencies.llmFirstTokenMs}), tts_first_audio ${out.server_stages_ms.tts_first_audio_ms?.p50} (${server.latencies.ttsFirstByteMs})`);
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
}

const entry = process.argv.includes('--rag') ? () => import('./rag/main.ts').then((m) => m.runRagBench(process.argv)) : process.argv.includes('--turn-taking') ? () => import('./turn-taking/bench.ts').then((m) => m.turnTakingBench(process.argv)) : main;
entry().catch((error: unknown) => {
  log(`bench failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
