/**
 * The ports of the voice engine: everything the pipeline needs from the outside world.
 * Adapters (packages/providers, packages/db, apps/ingest) implement these; the pipeline never
 * imports a vendor SDK, `ws` or `pg`.
 */

/** Injected time source. Real time in production, fake time in tests. Milliseconds. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Resolves after `ms`; rejects with the signal's reason if aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
export type TimerHandle = { readonly id: number } | NodeJS.Timeout;

/** A pino-compatible subset. Never put user text in `msg`. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface ProviderHealth {
  ok: boolean;
  /** Short machine-friendly reason when not ok, e.g. "connection_refused", "http_503". */
  detail?: string;
  latencyMs: number;
}

export interface ProviderInfo {
  /** Config key, e.g. "stt". */
  readonly role: 'llm' | 'stt' | 'tts' | 'embedding';
  /** Config `type`, e.g. "whisper-cpp". */
  readonly type: string;
  readonly baseUrl: string;
  health(signal?: AbortSignal): Promise<ProviderHealth>;
}

// ---------- STT ----------
export interface SttRequest {
  /** 16 kHz mono signed 16-bit PCM of the whole utterance so far. */
  pcm: Int16Array;
  language?: string;
  prompt?: string;
  signal: AbortSignal;
}
export interface SttResult {
  text: string;
}
export interface SttProvider extends ProviderInfo {
  transcribe(req: SttRequest): Promise<SttResult>;
}

// ---------- LLM ----------
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
export interface LlmRequest {
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  signal: AbortSignal;
  /** Called at the end of this stream if the model thought (a think block was stripped). Optional for providers. */
  onThink?: (count: ThinkCount) => void;
}
/** Think blocks seen in one stream and their non-blank characters. */
export interface ThinkCount {
  blocks: number;
  chars: number;
}
/** What `LlmProvider.fitPrompt` is given: passages best first, history oldest first, and how to render them. */
export interface LlmFitInput<P, H> {
  passages: P[];
  history: H[];
  /** Renders the prompt; the system prompt and the question are always in it. */
  build: (passages: P[], history: H[]) => ChatMessage[];
  maxTokens?: number | undefined;
  signal?: AbortSignal | undefined;
}
export interface LlmFitResult<P, H> {
  messages: ChatMessage[];
  /** The request's `maxTokens` (capped when the prompt leaves less room). */
  maxTokens: number;
  passages: P[];
  history: H[];
  droppedPassages: number;
  droppedHistory: number;
  /** The context window used; null when unknown (nothing trimmed). */
  nCtx: number | null;
  promptTokens: number;
}
export type LlmChunk =
  | { type: 'text'; text: string }
  | { type: 'usage'; promptTokens: number; completionTokens: number }
  | { type: 'finish'; reason: string };
export interface LlmProvider extends ProviderInfo {
  /** Spoken-answer text only: reasoning/<think> content is never yielded as `text`. */
  stream(req: LlmRequest): AsyncIterable<LlmChunk>;
  /**
   * Optional: fits passages (dropped from the end) and history (dropped from the front) to the
   * model's context window and caps max tokens; throws a `bad_request` ProviderError when even the
   * system prompt and the question do not fit. Without it the prompt is sent as built.
   */
  fitPrompt?<P, H>(input: LlmFitInput<P, H>): Promise<LlmFitResult<P, H>>;
}

// ---------- TTS ----------
/** The languages a session speaks (the session's, or the one a turn was spoken in). */
export type Language = 'ja' | 'en';

export interface TtsRequest {
  text: string;
  /** The language of `text`: an adapter may pick a voice or reference audio by it. */
  language?: Language;
  signal: AbortSignal;
}
/** A piece of synthesised audio: mono signed 16-bit PCM at `sampleRate`. */
export interface TtsChunk {
  sampleRate: number;
  pcm: Int16Array;
}
export interface TtsProvider extends ProviderInfo {
  synthesize(req: TtsRequest): AsyncIterable<TtsChunk>;
}

// ---------- Embeddings / retrieval ----------
export interface Embedder extends ProviderInfo {
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

export interface Passage {
  documentId: string;
  chunkId: string;
  /** Path of the source file relative to the ingested folder. */
  source: string;
  text: string;
  /** Similarity in [0, 1], higher is more relevant. */
  score: number;
  /** The heading (path) of the passage's section: context for the model, not text to speak. */
  heading?: string;
}
export interface Retriever {
  /** Whether an index is loaded (for /ready). */
  readonly loaded: boolean;
  retrieve(query: string, opts: { k: number; minScore: number; signal?: AbortSignal }): Promise<Passage[]>;
}

// ---------- Conversation log ----------
export interface StageLatencies {
  /** end of speech -> final transcript */
  sttFinalMs?: number;
  /** retrieval time */
  retrievalMs?: number;
  /** LLM request -> first text token */
  llmFirstTokenMs?: number;
  /** first TTS request -> first audio chunk */
  ttsFirstAudioMs?: number;
  /** end of speech (or text received) -> first audio packet sent */
  endToEndMs?: number;
}
export interface TurnRecord {
  sessionId: string;
  turnId: string;
  /** "voice" or "text" */
  mode: 'voice' | 'text';
  userText: string;
  /** What the user actually heard if interrupted, otherwise the whole answer. */
  assistantText: string;
  interrupted: boolean;
  startedAt: Date;
  endedAt: Date;
  latencies: StageLatencies;
  sources: Array<{ documentId: string; chunkId: string; source: string; score: number }>;
  fallback?: 'llm' | 'tts' | undefined;
}
export interface ConversationLog {
  /** Never blocks the caller: queued and written in the background, retried until written. */
  recordSessionStart(sessionId: string, startedAt: Date): void;
  recordTurn(turn: TurnRecord): void;
  /** Number of records waiting to be written. */
  pending(): number;
  health(): Promise<ProviderHealth>;
  close(): Promise<void>;
}

// ---------- Errors ----------
export type ProviderErrorCode =
  | 'timeout'
  | 'unavailable'
  | 'connection_refused'
  | 'bad_request'
  | 'unauthorized'
  | 'rate_limited'
  | 'server_error'
  | 'bad_response'
  | 'stream_cut'
  | 'aborted';

export class ProviderError extends Error {
  readonly provider: string;
  readonly code: ProviderErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  constructor(opts: {
    provider: string;
    code: ProviderErrorCode;
    message: string;
    retryable: boolean;
    status?: number;
    cause?: unknown;
  }) {
    super(opts.message, { cause: opts.cause });
    this.name = 'ProviderError';
    this.provider = opts.provider;
    this.code = opts.code;
    this.retryable = opts.retryable;
    this.status = opts.status;
  }
}
