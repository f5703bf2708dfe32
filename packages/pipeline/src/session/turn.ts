import type { SourceRef, TurnStages } from '@va/protocol';
import type { Passage, TtsChunk } from '../ports.ts';
import { SentenceSplitter, type Segment } from '../text/sentence-splitter.ts';
import { AsyncQueue } from './async-queue.ts';
import { PacedAudioSender } from './audio-sender.ts';
import { llmApology, languageOf } from './fallbacks.ts';
import { estimatePlayed, heardText, type SentSegment } from './heard-text.ts';
import { buildMessages, type HistoryTurn } from './prompt.ts';
import { queryKey, type EarlyRetrieval } from './early-retrieval.ts';
import type { SessionDeps, SessionOutput } from './types.ts';

export interface TurnInput {
  turnId: string;
  mode: 'voice' | 'text';
  userText: string;
  /** Whether to synthesise and send voice (false for the text-chat API). */
  speak: boolean;
  history: HistoryTurn[];
  /** Clock time the user stopped speaking (voice) or the text arrived (text). */
  startedAt: number;
  /** Extra stage figures measured before the turn (STT final, endpoint). */
  stages: Partial<TurnStages>;
  signal: AbortSignal;
  /** First id for this turn's TTS segments (unique within the session). */
  firstSegmentId: number;
  /** Played-ms reports from the client for this turn's segments. */
  playedMs: (segmentId: number) => number | undefined;
  /** A lookup started before the final transcript; used when it was for the same words. */
  early?: EarlyRetrieval | null;
}

export interface TurnResult {
  assistantText: string;
  heardText: string;
  interrupted: boolean;
  sources: SourceRef[];
  fallback: 'llm' | 'tts' | null;
  stages: TurnStages;
  nextSegmentId: number;
  /** The passages came from the early lookup. */
  retrievalEarly: boolean;
}

interface SegmentJob {
  id: number;
  segment: Segment;
  audio: AsyncQueue<TtsChunk>;
  ttsStartedAt: number | null;
  failed: boolean;
}

/** Runs one answer: retrieve -> LLM stream -> sentence split -> TTS (prefetch, in order) -> paced Opus. */
export async function runTurn(deps: SessionDeps, output: SessionOutput, input: TurnInput): Promise<TurnResult> {
  const { clock, config, logger } = deps;
  const log = logger.child({ turn_id: input.turnId });
  const signal = input.signal;
  const stages: TurnStages = {
    stt_final_ms: input.stages.stt_final_ms ?? null,
    endpoint_ms: input.stages.endpoint_ms ?? null,
    retrieval_ms: null,
    llm_first_token_ms: null,
    tts_first_audio_ms: null,
    end_to_end_ms: null,
  };
  const language = languageOf(input.userText, config.language);
  let fallback: 'llm' | 'tts' | null = null;
  const send = output.sendEvent.bind(output);

  // 1. Retrieval: bounded in time; a failure answers without documents.
  let passages: Passage[] = [];
  let retrievalEarly = false;
  if (deps.retriever?.loaded) {
    const t = clock.now();
    // looked up during the end-of-turn silence from the same words: nothing left to wait for
    const early = input.early && input.early.key === queryKey(input.userText) ? await input.early.passages : null;
    if (early) {
      passages = early;
      retrievalEarly = true;
    } else {
      try {
        passages = await deps.retriever.retrieve(input.userText, {
          k: config.rag.k,
          minScore: config.rag.minScore,
          signal: AbortSignal.any([signal, AbortSignal.timeout(config.rag.timeoutMs)]),
        });
      } catch (error) {
        if (!signal.aborted) {
          log.warn({ err: errInfo(error) }, 'retrieval failed; answering without documents');
          send({ type: 'error', code: 'retrieval_failed', message: 'Document search failed; answering without documents.', retryable: true, turn_id: input.turnId });
        }
      }
    }
    stages.retrieval_ms = round(clock.now() - t);
  }
  const sources: SourceRef[] = passages.map((p) => ({ document_id: p.documentId, chunk_id: p.chunkId, source: p.source, score: round(p.score, 3) }));

  // 2. TTS worker: one synthesis at a time, at most `ttsPrefetch` segments ahead of the sender.
  const jobs: SegmentJob[] = [];
  const jobsQueue = new AsyncQueue<SegmentJob>();
  let sendingIndex = 0;
  let wakeWorker: (() => void) | null = null;
  let ttsFailures = 0;
  let nextSegmentId = input.firstSegmentId;
  const sender = input.speak ? new PacedAudioSender(clock, output, config.paceLeadMs) : null;
  let firstTtsRequestAt: number | null = null;

  const worker = async () => {
    for await (const job of jobsQueue) {
      while (jobs.indexOf(job) > sendingIndex + config.ttsPrefetch && !signal.aborted) {
        await new Promise<void>((r) => (wakeWorker = r));
      }
      if (signal.aborted) {
        job.audio.close();
        continue;
      }
      if (ttsFailures >= 2) {
        job.failed = true;
        job.audio.close();
        continue;
      }
      job.ttsStartedAt = clock.now();
      firstTtsRequestAt ??= job.ttsStartedAt;
      try {
        for await (const chunk of deps.tts.synthesize({ text: job.segment.text, signal })) job.audio.push(chunk);
        job.audio.close();
      } catch (error) {
        job.audio.close();
        if (signal.aborted) continue;
        job.failed = true;
        ttsFailures++;
        log.warn({ err: errInfo(error), segment_id: job.id }, 'tts failed; text delivered without voice');
        if (ttsFailures === 1) {
          // counted once per turn, however many segments fail
          if (fallback !== 'llm') fallback = 'tts';
          deps.metrics?.countFallback('tts');
          send({ type: 'error', code: 'tts_failed', message: 'Speech synthesis failed; showing the text only.', retryable: true, turn_id: input.turnId });
        }
      }
    }
  };

  // 3. Sender: segments in order, paced.
  const sent: SentSegment[] = [];
  const senderLoop = async () => {
    for (let i = 0; ; i++) {
      const job = await nextJob(i);
      if (!job) return;
      sendingIndex = i;
      wakeWorker?.();
      if (!sender || signal.aborted) continue;
      let durationMs = 0;
      let truncated = false;
      let announced = false;
      const announce = () => {
        announced = true;
        if (stages.tts_first_audio_ms === null && job.ttsStartedAt !== null) stages.tts_first_audio_ms = round(clock.now() - job.ttsStartedAt);
        if (stages.end_to_end_ms === null) stages.end_to_end_ms = round(clock.now() - input.startedAt);
        send({ type: 'tts.start', turn_id: input.turnId, segment_id: job.id, text: job.segment.text, emotion: job.segment.emotion ?? null });
      };
      try {
        ({ durationMs, truncated } = await sender.sendSegment(job.id, job.audio, signal, announce));
      } catch (error) {
        log.error({ err: errInfo(error), segment_id: job.id }, 'sending audio failed');
        truncated = true;
      }
      if (announced) {
        sent.push({ id: job.id, text: job.segment.text, durationMs });
        send({ type: 'tts.end', turn_id: input.turnId, segment_id: job.id, duration_ms: durationMs, truncated: truncated || job.failed });
      }
    }
  };
  const jobWaiters: Array<() => void> = [];
  let jobsDone = false;
  const nextJob = async (i: number): Promise<SegmentJob | null> => {
    while (!jobs[i] && !jobsDone) await new Promise<void>((r) => jobWaiters.push(r));
    return jobs[i] ?? null;
  };
  const addSegment = (segment: Segment) => {
    if (!input.speak) return;
    const job: SegmentJob = { id: nextSegmentId++, segment, audio: new AsyncQueue<TtsChunk>(), ttsStartedAt: null, failed: false };
    jobs.push(job);
    jobsQueue.push(job);
    if (segment.emotion) {
      send({ type: 'avatar_event', turn_id: input.turnId, event: { kind: 'expression', name: segment.emotion, weight: 1, duration_ms: null } });
    }
    jobWaiters.splice(0).forEach((w) => w());
  };
  const finishSegments = () => {
    jobsDone = true;
    jobsQueue.close();
    jobWaiters.splice(0).forEach((w) => w());
  };
  signal.addEventListener('abort', () => {
    wakeWorker?.();
    jobWaiters.splice(0).forEach((w) => w());
  }, { once: true });
  const workerDone = worker();
  const senderDone = senderLoop();

  // 4. LLM stream -> deltas -> splitter -> TTS jobs.
  let answer = '';
  const splitter = new SentenceSplitter();
  const llmStartedAt = clock.now();
  const messages = buildMessages({ systemPrompt: config.systemPrompt, passages, history: input.history, userText: input.userText });
  send({ type: 'state', state: 'thinking', turn_id: input.turnId });
  try {
    for await (const chunk of deps.llm.stream({ messages, signal })) {
      if (chunk.type !== 'text' || chunk.text.length === 0) continue;
      if (stages.llm_first_token_ms === null) stages.llm_first_token_ms = round(clock.now() - llmStartedAt);
      answer += chunk.text;
      send({ type: 'assistant.delta', turn_id: input.turnId, text: chunk.text });
      for (const seg of splitter.push(chunk.text)) addSegment(seg);
    }
  } catch (error) {
    if (!signal.aborted) {
      fallback = 'llm';
      deps.metrics?.countFallback('llm');
      log.warn({ err: errInfo(error), had_text: answer.length > 0 }, 'llm failed; using the template apology');
      send({ type: 'error', code: 'llm_failed', message: 'The language model did not answer; a fallback reply was used.', retryable: true, turn_id: input.turnId });
      if (answer.length === 0) {
        const apology = llmApology(language);
        answer = apology;
        send({ type: 'assistant.delta', turn_id: input.turnId, text: apology });
        for (const seg of splitter.push(apology)) addSegment(seg);
      }
    }
  }
  if (!signal.aborted) for (const seg of splitter.flush()) addSegment(seg);
  finishSegments();
  await Promise.all([workerDone, senderDone]);

  // 5. Let the client play what was sent; an interruption during this tail still counts.
  if (sender) {
    const tail = sender.remainingPlaybackMs();
    if (tail > 0 && !signal.aborted) await clock.sleep(tail, signal).catch(() => undefined);
    sender.close();
  }
  const interrupted = signal.aborted;
  let heard = answer;
  if (interrupted && sender) {
    const reported = sent.some((s) => input.playedMs(s.id) !== undefined);
    const played = reported
      ? (id: number) => input.playedMs(id) ?? 0
      : estimatePlayed(sent, sender.firstSendAt === null ? 0 : clock.now() - sender.firstSendAt);
    heard = heardText(sent, played);
  } else if (interrupted) {
    heard = answer;
  }
  if (!input.speak && stages.end_to_end_ms === null && stages.llm_first_token_ms !== null) {
    stages.end_to_end_ms = round(llmStartedAt - input.startedAt + stages.llm_first_token_ms);
  }
  return { assistantText: answer, heardText: heard, interrupted, sources, fallback, stages, nextSegmentId, retrievalEarly };
}

function round(ms: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(ms * f) / f;
}

export function errInfo(error: unknown): { name: string; code?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message.slice(0, 300), ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'unknown', message: String(error).slice(0, 300) };
}
