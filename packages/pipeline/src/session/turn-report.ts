import type { StageLatencies } from '../ports.ts';
import type { TurnResult } from '../answer/turn.ts';
import type { SessionDeps, SessionOutput } from './types.ts';

export interface FinishedTurn {
  turnId: string;
  mode: 'voice' | 'text';
  userText: string;
  result: TurnResult;
  startedAt: Date;
  /** The final transcript was computed during the end-of-turn silence. */
  transcriptEarly: boolean;
  /** The answer was started during the end-of-turn silence from the settled partial or the early final, and held until confirmed. */
  preemptive?: 'partial' | 'final' | undefined;
  /** LLM / TTS calls of discarded preemptive answers for this utterance. */
  wasted?: { llm: number; tts: number } | undefined;
}

/** A finished turn goes out as `assistant.done` + `turn.metrics`, to the metrics, the logs and the conversation log. */
export function reportTurn(deps: SessionDeps, output: SessionOutput, turn: FinishedTurn): void {
  const r = turn.result;
  const wasted = turn.wasted ?? { llm: 0, tts: 0 };
  output.sendEvent({ type: 'assistant.done', turn_id: turn.turnId, text: r.assistantText, interrupted: r.interrupted, sources: r.sources, fallback: r.fallback });
  output.sendEvent({
    type: 'turn.metrics',
    turn_id: turn.turnId,
    stages: r.stages,
    interrupted: r.interrupted,
    ...(r.retrievalEarly ? { retrieval_early: true } : {}),
    ...(turn.transcriptEarly ? { transcript_early: true } : {}),
    ...(turn.preemptive ? { preemptive: turn.preemptive } : {}),
    ...(wasted.llm > 0 || wasted.tts > 0 ? { wasted_llm_calls: wasted.llm, wasted_tts_calls: wasted.tts } : {}),
    ...(r.think ? { think_blocks: r.think.blocks } : {}),
    ...(r.dropped.passages > 0 || r.dropped.history > 0 ? { context_dropped: r.dropped } : {}),
  });
  deps.metrics?.observeTurn(r.stages, {
    mode: turn.mode,
    interrupted: r.interrupted,
    fallback: r.fallback,
    preemptive: turn.preemptive !== undefined,
    wastedLlmCalls: wasted.llm,
    wastedTtsCalls: wasted.tts,
    thinkBlocks: r.think?.blocks ?? 0,
  });
  deps.logger.info(
    { turn_id: turn.turnId, interrupted: r.interrupted, fallback: r.fallback, stages: r.stages, sources: r.sources.length, preemptive: turn.preemptive ?? null, wasted, context_dropped: r.dropped },
    'turn finished',
  );
  deps.log.recordTurn({
    sessionId: deps.sessionId,
    turnId: turn.turnId,
    mode: turn.mode,
    userText: turn.userText,
    assistantText: r.heardText,
    interrupted: r.interrupted,
    startedAt: turn.startedAt,
    endedAt: new Date(),
    latencies: latencies(r.stages),
    sources: r.sources.map((s) => ({ documentId: s.document_id, chunkId: s.chunk_id, source: s.source, score: s.score })),
    fallback: r.fallback ?? undefined,
  });
}

function latencies(stages: TurnResult['stages']): StageLatencies {
  const out: StageLatencies = {};
  if (stages.stt_final_ms !== null) out.sttFinalMs = stages.stt_final_ms;
  if (stages.retrieval_ms !== null) out.retrievalMs = stages.retrieval_ms;
  if (stages.llm_first_token_ms !== null) out.llmFirstTokenMs = stages.llm_first_token_ms;
  if (stages.tts_first_audio_ms !== null) out.ttsFirstAudioMs = stages.tts_first_audio_ms;
  if (stages.end_to_end_ms !== null) out.endToEndMs = stages.end_to_end_ms;
  return out;
}
