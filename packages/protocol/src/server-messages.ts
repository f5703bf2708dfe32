import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors.ts';
import { SESSION_LANGUAGES } from './language.ts';

const turnId = z.string().max(64);

export const sessionStates = ['idle', 'listening', 'thinking', 'speaking'] as const;
export type SessionState = (typeof sessionStates)[number];

export const readyMessage = z.object({
  type: z.literal('ready'),
  protocol_version: z.number().int(),
  session_id: z.string(),
  /** True when stand-in model servers answer instead of the real ones. */
  is_mock: z.boolean(),
  audio_in: z.object({ codec: z.literal('opus'), sample_rate: z.number(), channels: z.number(), frame_ms: z.number() }),
  audio_out: z.object({ codec: z.literal('opus'), sample_rate: z.number(), channels: z.number(), frame_ms: z.number() }),
  idle_timeout_ms: z.number(),
  /**
   * The session language (from `hello.language`, else the server's default). Always sent by this
   * server; optional so a client still parses an older server's ready.
   */
  language: z.enum(SESSION_LANGUAGES).optional(),
  /**
   * Per session language, whether speech recognition understands it. `ja: false` when the STT is
   * the embedded English-only stand-in (pocketsphinx): voice input in Japanese needs a real STT
   * server (whisper.cpp); the page should say so and offer typing. Always sent by this server.
   */
  voice_input: z.object({ ja: z.boolean(), en: z.boolean() }).optional(),
  /** Earlier turns of this session (on reconnect), oldest first. */
  history: z.array(z.object({ turn_id: turnId, user_text: z.string(), assistant_text: z.string() })),
});

export const stateMessage = z.object({ type: z.literal('state'), state: z.enum(sessionStates), turn_id: turnId.nullable() });

export const vadMessage = z.object({
  type: z.literal('vad'),
  event: z.enum(['speech_start', 'speech_end']),
  /** Audio time in ms since the session's first mic packet. */
  audio_ms: z.number(),
});

/** `covers_seq`: the sequence number of the last mic packet whose audio the transcript includes. */
export const transcriptPartialMessage = z.object({
  type: z.literal('transcript.partial'),
  turn_id: turnId,
  text: z.string(),
  covers_seq: z.number().int(),
});

export const transcriptFinalMessage = z.object({
  type: z.literal('transcript.final'),
  turn_id: turnId,
  text: z.string(),
  /** -1 for typed text. */
  covers_seq: z.number().int(),
  source: z.enum(['voice', 'text']),
  client_msg_id: z.string().optional(),
  /**
   * This utterance goes on with turn `continues_turn_id`, whose answer was withdrawn before any of
   * it was heard (the user had only paused): `text` is the whole of what they said, and the page
   * shows one message in place of both.
   */
  continues_turn_id: turnId.optional(),
});

export const assistantDeltaMessage = z.object({ type: z.literal('assistant.delta'), turn_id: turnId, text: z.string() });

export const sourceRef = z.object({ document_id: z.string(), chunk_id: z.string(), source: z.string(), score: z.number() });
export type SourceRef = z.infer<typeof sourceRef>;

export const assistantDoneMessage = z.object({
  type: z.literal('assistant.done'),
  turn_id: turnId,
  /** The whole answer text (what was generated; see `heard_text` when interrupted). */
  text: z.string(),
  interrupted: z.boolean(),
  sources: z.array(sourceRef),
  /** Set when a fallback replaced the LLM answer or the voice. */
  fallback: z.enum(['llm', 'tts']).nullable(),
});

export const ttsStartMessage = z.object({
  type: z.literal('tts.start'),
  turn_id: turnId,
  segment_id: z.number().int().nonnegative(),
  text: z.string(),
  emotion: z.string().nullable(),
});

export const ttsEndMessage = z.object({
  type: z.literal('tts.end'),
  turn_id: turnId,
  segment_id: z.number().int().nonnegative(),
  /** Audio duration sent for this segment. */
  duration_ms: z.number(),
  /** True when the segment was cut short (barge-in) or failed. */
  truncated: z.boolean(),
});

/** Stop playback now and drop everything queued for this turn. */
export const playbackClearMessage = z.object({
  type: z.literal('playback.clear'),
  turn_id: turnId,
  reason: z.enum(['barge_in', 'interrupt', 'error']),
});

/**
 * The user may be taking the turn: play the avatar's voice at `level` (0-1) of its volume until
 * told otherwise; `level: 1` restores it (the speech was a backchannel such as うん / yeah, or the
 * avatar's own echo). Sent within a VAD frame of the user's first sound; a real interruption
 * follows with `playback.clear`.
 */
export const playbackDuckMessage = z.object({
  type: z.literal('playback.duck'),
  turn_id: turnId.nullable(),
  level: z.number().min(0).max(1),
});

export const avatarEventMessage = z.object({
  type: z.literal('avatar_event'),
  turn_id: turnId.nullable(),
  event: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('expression'), name: z.string(), weight: z.number().min(0).max(1), duration_ms: z.number().nullable() }),
    z.object({ kind: z.literal('gesture'), name: z.string() }),
    z.object({ kind: z.literal('look'), target: z.enum(['user', 'away']) }),
  ]),
});

export const turnStages = z.object({
  /** end of speech detected -> final transcript ready */
  stt_final_ms: z.number().nullable(),
  retrieval_ms: z.number().nullable(),
  /** LLM request sent -> first answer token */
  llm_first_token_ms: z.number().nullable(),
  /** first TTS request -> first audio back */
  tts_first_audio_ms: z.number().nullable(),
  /** end of speech (or text received) -> first audio packet sent */
  end_to_end_ms: z.number().nullable(),
  /** VAD silence needed to end the turn (part of end_to_end) */
  endpoint_ms: z.number().nullable(),
});
export type TurnStages = z.infer<typeof turnStages>;

export const turnMetricsMessage = z.object({
  type: z.literal('turn.metrics'),
  turn_id: turnId,
  stages: turnStages,
  interrupted: z.boolean(),
  /** The documents were looked up from the settled partial transcript, before the final arrived. */
  retrieval_early: z.boolean().optional(),
  /** The final transcript was computed during the end-of-turn silence, before the end was detected. */
  transcript_early: z.boolean().optional(),
  /** The answer was started during the end-of-turn silence from the settled partial or the early final, held until confirmed. */
  preemptive: z.enum(['partial', 'final']).optional(),
  /** LLM / TTS calls of preemptive answers discarded for this utterance (the user went on, or the final differed). */
  wasted_llm_calls: z.number().int().nonnegative().optional(),
  wasted_tts_calls: z.number().int().nonnegative().optional(),
  /** Think blocks the model produced on this turn although thinking is meant to be off (a server that ignores the switch). */
  think_blocks: z.number().int().nonnegative().optional(),
  /**
   * Retrieved passages and earlier turns left out of the prompt to fit the model's context window
   * (present only when something was left out).
   */
  context_dropped: z.object({ passages: z.number().int().nonnegative(), history: z.number().int().nonnegative() }).optional(),
});

export const errorMessage = z.object({
  type: z.literal('error'),
  code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  retryable: z.boolean(),
  turn_id: turnId.nullable(),
});

export const pongMessage = z.object({ type: z.literal('pong'), t: z.number(), server_t: z.number() });

export const sessionEndMessage = z.object({ type: z.literal('session.end'), reason: z.enum(['idle_timeout', 'replaced', 'shutdown']) });

export const serverMessage = z.discriminatedUnion('type', [
  readyMessage,
  stateMessage,
  vadMessage,
  transcriptPartialMessage,
  transcriptFinalMessage,
  assistantDeltaMessage,
  assistantDoneMessage,
  ttsStartMessage,
  ttsEndMessage,
  playbackClearMessage,
  playbackDuckMessage,
  avatarEventMessage,
  turnMetricsMessage,
  errorMessage,
  pongMessage,
  sessionEndMessage,
]);

export type ServerMessage = z.infer<typeof serverMessage>;
export type ServerMessageType = ServerMessage['type'];
export type ServerMessageOf<T extends ServerMessageType> = Extract<ServerMessage, { type: T }>;
