import { z } from 'zod';
import { MAX_TEXT_CHARS } from './version.ts';

/** Messages the browser sends as JSON text frames. */
export const helloMessage = z.object({
  type: z.literal('hello'),
  protocol_version: z.number().int().positive(),
  /** The fixed app token. Sent here, never in the URL. */
  token: z.string().min(1).max(512),
  client: z.object({ name: z.string().max(64), version: z.string().max(32) }).optional(),
  /**
   * The session language as a BCP-47 tag ("ja", "ja-JP", "en-US"...): what the STT is told, the
   * prompt and fallback phrases, the voice. Normalised to ja/en (`normalizeLanguage`); absent or
   * another language: the server's default. `ready.language` says which one was taken.
   */
  language: z.string().max(35).optional(),
});

export const textInputMessage = z.object({
  type: z.literal('text.input'),
  text: z.string().min(1).max(MAX_TEXT_CHARS),
  /** Chosen by the client to match the echo in `transcript.final`. */
  client_msg_id: z.string().max(64).optional(),
});

/** Explicit end of the user's speech (mic switched off, push-to-talk released). */
export const audioEndMessage = z.object({ type: z.literal('audio.end') });

/** The user asked the avatar to stop talking (button). Same effect as barge-in. */
export const interruptMessage = z.object({ type: z.literal('interrupt') });

/** Playback progress: how much of a segment the user has actually heard. */
export const playbackProgressMessage = z.object({
  type: z.literal('playback.progress'),
  turn_id: z.string().max(64),
  segment_id: z.number().int().nonnegative(),
  played_ms: z.number().nonnegative(),
});

/** A segment finished playing, or playback was cleared part-way. */
export const playbackStoppedMessage = z.object({
  type: z.literal('playback.stopped'),
  turn_id: z.string().max(64),
  segment_id: z.number().int().nonnegative(),
  played_ms: z.number().nonnegative(),
  reason: z.enum(['finished', 'cleared']),
});

export const pingMessage = z.object({ type: z.literal('ping'), t: z.number() });

export const clientMessage = z.discriminatedUnion('type', [
  helloMessage,
  textInputMessage,
  audioEndMessage,
  interruptMessage,
  playbackProgressMessage,
  playbackStoppedMessage,
  pingMessage,
]);

export type HelloMessage = z.infer<typeof helloMessage>;
export type ClientMessage = z.infer<typeof clientMessage>;
export type ClientMessageType = ClientMessage['type'];
