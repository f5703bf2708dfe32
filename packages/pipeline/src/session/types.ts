import type { AudioFrame, ServerMessage } from '@va/protocol';
import type { Clock, ConversationLog, Language, LlmProvider, Logger, Retriever, SttProvider, TtsProvider } from '../ports.ts';
import type { EndpointerOptions } from '../audio/endpointer.ts';
import { defaultBargeInOptions, type BargeInOptions } from '../listen/backchannel.ts';
import { defaultTurnEndOptions, type TurnEndOptions } from '../listen/turn-end.ts';
import { SYSTEM_PROMPTS } from '../answer/language.ts';

/** Where a session's output goes: the transport implements it (WebSocket, SSE, a test). */
export interface SessionOutput {
  /** Control events: never dropped. */
  sendEvent(message: ServerMessage): void;
  /** One TTS audio frame. Returns false if the transport dropped it (client too slow). */
  sendAudio(frame: AudioFrame): boolean;
}

/** Per-frame speech probability source (Silero VAD stream: 512 samples at 16 kHz). */
export interface VadStream {
  readonly frameSamples: number;
  process(frame: Float32Array): Promise<number>;
  reset(): void;
}

export interface TurnMetricsSink {
  /** Called once per finished turn with its stage latencies (ms). */
  observeTurn(
    stages: Record<string, number | null>,
    info: { mode: 'voice' | 'text'; interrupted: boolean; fallback: string | null; preemptive?: boolean; wastedLlmCalls?: number; wastedTtsCalls?: number; thinkBlocks?: number },
  ): void;
  /** Called for each partial transcript with its STT round-trip (ms). */
  observePartial(ms: number): void;
  /** Time from a mic packet's arrival to the end of its VAD processing (ms). */
  observeMicLag?(ms: number): void;
  countFallback(kind: 'llm' | 'tts'): void;
}

export interface SessionConfig {
  /** New audio (ms) that triggers another partial transcription while the user speaks. */
  partialIntervalMs: number;
  endpointer: EndpointerOptions;
  /** Speech needed to interrupt the avatar (barge-in), ms. */
  bargeInMinSpeechMs: number;
  /**
   * End of turn from the words heard (listen/turn-end.ts): the silence that ends a turn after a
   * complete sentence, after words that neither finish nor continue, after a continuation cue, and
   * the hard maximum (which is also the endpointer's redemption). Null: fixed redemption only.
   */
  turnEnd: TurnEndOptions | null;
  /**
   * Speech while the avatar answers (listen/backchannel.ts, listen/echo-guard.ts); null: any speech
   * of bargeInMinSpeechMs interrupts. `partialIntervalMs`: new audio that triggers a partial while
   * such speech is being judged (its words decide, so they are asked for more often).
   */
  bargeIn: (BargeInOptions & { duckLevel: number; partialIntervalMs: number }) | null;
  /** Segments synthesised ahead of the one being sent. */
  ttsPrefetch: number;
  /** Audio sent ahead of real time, ms. */
  paceLeadMs: number;
  /** How many earlier turns go into the prompt. */
  historyTurns: number;
  rag: { k: number; minScore: number; timeoutMs: number };
  idleTimeoutMs: number;
  /** System prompt per language; a turn uses the one of the language it was spoken in. */
  systemPrompts: Readonly<Record<Language, string>>;
  /** Longest utterance kept, seconds. */
  maxUtteranceSeconds: number;
  /**
   * The configured STT language: `auto` is sent as `auto` (the server detects the language);
   * anything else is replaced by the session's language.
   */
  language: string;
  /** Start the answer during the end-of-turn silence from the settled text, held until confirmed. */
  preemptive: boolean;
}

export const defaultSessionConfig: SessionConfig = {
  partialIntervalMs: 300,
  endpointer: { positiveThreshold: 0.5, negativeThreshold: 0.35, minSpeechMs: 160, redemptionMs: defaultTurnEndOptions.maxMs, preRollMs: 320, frameMs: 32 },
  bargeInMinSpeechMs: 250,
  turnEnd: defaultTurnEndOptions,
  bargeIn: { ...defaultBargeInOptions, duckLevel: 0.3, partialIntervalMs: 150 },
  ttsPrefetch: 1,
  paceLeadMs: 200,
  historyTurns: 6,
  rag: { k: 4, minScore: 0.25, timeoutMs: 1500 },
  idleTimeoutMs: 60_000,
  systemPrompts: SYSTEM_PROMPTS,
  maxUtteranceSeconds: 30,
  language: 'en',
  preemptive: true,
};

export interface SessionDeps {
  sessionId: string;
  /**
   * The session's language (the page's `hello.language`): what the STT is told (unless the config
   * says `auto`), the system prompt, fallback phrases and TTS voice. A turn spoken in the other
   * language is answered in that one. Default: `config.language` when it is ja/en, else en.
   */
  language?: Language;
  clock: Clock;
  logger: Logger;
  stt: SttProvider;
  llm: LlmProvider;
  tts: TtsProvider;
  retriever: Retriever | null;
  log: ConversationLog;
  metrics?: TurnMetricsSink;
  /** Creates the session's VAD stream (null for text-only sessions). */
  createVad: () => VadStream;
  /**
   * Called when the user starts speaking: the answer will need the embedding, LLM and TTS
   * servers within seconds, so their connections can be opened (TCP, TLS) before then.
   */
  prewarm?: () => void;
  config: SessionConfig;
}
