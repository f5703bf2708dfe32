import type { SourceRef, TurnStages } from '@va/protocol';
import type { Language, Logger, Passage, ThinkCount } from '../ports.ts';
import type { SessionDeps, SessionOutput } from '../session/types.ts';
import { SentenceSplitter } from '../text/sentence-splitter.ts';
import { errInfo, roundMs } from '../err-info.ts';
import { heardOfInterrupted } from './heard-text.ts';
import { llmApology, NOTICES, spokenLanguage } from './language.ts';
import { llmDeltas, type LlmStats } from './llm.ts';
import { fitPrompt, type FittedPrompt, type HistoryTurn } from './prompt.ts';
import { retrieve } from './retrieve.ts';
import { Speaker } from './speaker.ts';

export interface TurnInput {
  turnId: string;
  mode: 'voice' | 'text';
  userText: string;
  /** The session's language; the turn answers in the language `userText` was spoken in. */
  language: Language;
  /** Whether to synthesise and send voice (false for the text-chat API). */
  speak: boolean;
  history: HistoryTurn[];
  /** Clock time the user stopped speaking (voice) or the text arrived (text). */
  startedAt: number;
  /** Extra stage figures measured before the turn (STT final, endpoint). */
  stages: Partial<TurnStages>;
  signal: AbortSignal;
  /** Allocates TTS segment ids (unique within the session). */
  nextSegmentId: () => number;
  /** Played-ms reports from the client for this turn's segments. */
  playedMs: (segmentId: number) => number | undefined;
  /** The early lookup's passages for these words (early-retrieval.ts), if there was one. */
  early?: Promise<Passage[] | null> | null;
  /** A preemptive answer: nothing is sent and only the first segment synthesised until the speaker is released. */
  held?: boolean;
  /** Receives the speaker of a voice turn as soon as it exists (to release a held answer). */
  onSpeaker?: (speaker: Speaker) => void;
  /** Called when the LLM request goes out. */
  onLlmRequest?: () => void;
}

export interface TurnResult {
  assistantText: string;
  heardText: string;
  interrupted: boolean;
  sources: SourceRef[];
  fallback: 'llm' | 'tts' | null;
  stages: TurnStages;
  /** The passages came from the early lookup. */
  retrievalEarly: boolean;
  /** TTS requests made (a discarded preemptive answer's are wasted). */
  ttsRequests: number;
  /** Think blocks the model produced on this live turn (thinking is meant to be off); null: none. */
  think: ThinkCount | null;
  /** Passages and history turns left out to fit the model's context window. */
  dropped: { passages: number; history: number };
}

/**
 * One answer, as its stages in order: retrieve -> prompt -> LLM -> sentence splitter -> speaker
 * (TTS prefetch + paced Opus sender) -> heard text.
 */
export async function runTurn(deps: SessionDeps, output: SessionOutput, input: TurnInput): Promise<TurnResult> {
  const { clock, config } = deps;
  const log = deps.logger.child({ turn_id: input.turnId });
  const language = spokenLanguage(input.userText, input.language);
  const fail = failureNotices(deps, output, log, input, language);

  // 1. Retrieve: the early lookup's passages, or a lookup bounded in time; a failure answers without documents.
  const retrieved = await retrieve(deps.retriever, config.rag, () => clock.now(), { text: input.userText, early: input.early ?? null, signal: input.signal });
  if (retrieved.error) fail.retrieval(retrieved.error);

  // 2. Prompt: system prompt in the spoken language, history, passages as quoted data, the
  // question; fitted to the model's context window (worst passages, then oldest turns, left out).
  const prompt = await fittedPrompt(deps, log, input, retrieved.passages, language);

  // 3. Speaker: TTS prefetch + ordered paced sender, waiting for segments.
  const speaker = input.speak
    ? new Speaker({
        clock, tts: deps.tts, logger: log, output, language, turnId: input.turnId, signal: input.signal, nextSegmentId: input.nextSegmentId,
        prefetch: config.ttsPrefetch, paceLeadMs: config.paceLeadMs, startedAt: input.startedAt, held: input.held ?? false, onTtsFailure: fail.tts,
      })
    : null;
  if (speaker) input.onSpeaker?.(speaker);

  // 4. LLM -> sentence splitter -> speaker; the template apology when the model fails before any text.
  output.sendEvent({ type: 'state', state: 'thinking', turn_id: input.turnId });
  const llm: LlmStats = { startedAt: clock.now(), firstTokenMs: null, error: null };
  input.onLlmRequest?.();
  const splitter = new SentenceSplitter();
  let answer = '';
  const say = (text: string) => {
    answer += text;
    output.sendEvent({ type: 'assistant.delta', turn_id: input.turnId, text });
    for (const segment of splitter.push(text)) speaker?.say(segment);
  };
  if (prompt.error) llm.error = prompt.error;
  else for await (const delta of llmDeltas(deps.llm, clock, { messages: prompt.messages, maxTokens: prompt.maxTokens, signal: input.signal }, llm)) say(delta);
  if (llm.think) log.warn({ think_blocks: llm.think.blocks, think_chars: llm.think.chars }, 'llm thought on a live turn');
  if (llm.error && fail.llm(llm.error, answer.length > 0)) say(llmApology(language));
  if (!input.signal.aborted) for (const segment of splitter.flush()) speaker?.say(segment);

  // 5. Speak out: every segment sent, then the client's playout (an interruption there still counts).
  await speaker?.finish();

  // 6. Heard text: what the user heard of an interrupted answer is what goes into the history and the log.
  const interrupted = input.signal.aborted;
  const heard = interrupted && speaker ? heardOfInterrupted(speaker.sent, input.playedMs, speaker.playedEstimateMs()) : answer;

  const stages: TurnStages = {
    stt_final_ms: input.stages.stt_final_ms ?? null,
    endpoint_ms: input.stages.endpoint_ms ?? null,
    retrieval_ms: retrieved.waitedMs === null ? null : roundMs(retrieved.waitedMs),
    llm_first_token_ms: llm.firstTokenMs,
    tts_first_audio_ms: speaker?.ttsFirstAudioMs ?? null,
    end_to_end_ms: speaker?.endToEndMs ?? (llm.firstTokenMs === null || input.speak ? null : roundMs(llm.startedAt - input.startedAt + llm.firstTokenMs)),
  };
  return {
    assistantText: answer,
    heardText: heard,
    interrupted,
    sources: prompt.passages.map((p) => ({ document_id: p.documentId, chunk_id: p.chunkId, source: p.source, score: roundMs(p.score, 3) })),
    fallback: fail.llmFailed ? 'llm' : fail.ttsFailed ? 'tts' : null,
    stages,
    retrievalEarly: retrieved.early,
    ttsRequests: speaker?.ttsRequests ?? 0,
    think: llm.think ?? null,
    dropped: { passages: prompt.droppedPassages, history: prompt.droppedHistory },
  };
}

/** The fitted prompt, or the error that keeps it from the model (it then fails as the LLM would). */
async function fittedPrompt(
  deps: SessionDeps,
  log: Logger,
  input: TurnInput,
  passages: Passage[],
  language: Language,
): Promise<FittedPrompt & { error: unknown }> {
  const opts = { systemPrompt: deps.config.systemPrompts[language], passages, history: input.history, userText: input.userText, language, signal: input.signal };
  try {
    const fit = await fitPrompt(deps.llm, opts);
    if (fit.droppedPassages || fit.droppedHistory) log.info({ dropped_passages: fit.droppedPassages, dropped_history: fit.droppedHistory }, 'prompt fitted to the context window');
    return { ...fit, error: null };
  } catch (error) {
    return { messages: [], maxTokens: undefined, passages: [], droppedPassages: passages.length, droppedHistory: input.history.length, error };
  }
}

/** The turn's failure rule: log, count, tell the client once, in the turn's language. */
function failureNotices(deps: SessionDeps, output: SessionOutput, log: Logger, input: TurnInput, language: Language) {
  const notices = NOTICES[language];
  const notify = (code: 'retrieval_failed' | 'llm_failed' | 'tts_failed', message: string) =>
    output.sendEvent({ type: 'error', code, message, retryable: true, turn_id: input.turnId });
  const state = {
    llmFailed: false,
    ttsFailed: false,
    retrieval(error: unknown): void {
      if (input.signal.aborted) return;
      log.warn({ err: errInfo(error) }, 'retrieval failed; answering without documents');
      notify('retrieval_failed', notices.retrievalFailed);
    },
    /** Returns whether the apology should be spoken (nothing was said yet). */
    llm(error: unknown, hadText: boolean): boolean {
      if (input.signal.aborted) return false;
      state.llmFailed = true;
      deps.metrics?.countFallback('llm');
      log.warn({ err: errInfo(error), had_text: hadText }, 'llm failed; using the template apology');
      notify('llm_failed', notices.llmFailed);
      return !hadText;
    },
    /** A TTS segment failed: counted and told once per turn, however many segments fail. */
    tts(_error: unknown, first: boolean): void {
      if (!first) return;
      state.ttsFailed = true;
      deps.metrics?.countFallback('tts');
      notify('tts_failed', notices.ttsFailed);
    },
  };
  return state;
}
