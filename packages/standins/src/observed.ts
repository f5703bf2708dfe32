import type { ChatStandinOptions } from './chat/server.ts';
import type { EmbeddingStandinOptions } from './embedding/server.ts';
import type { FishSpeechStandinOptions } from './fish/server.ts';
import type { WhisperStandinOptions } from './whisper/server.ts';

/**
 * What real model servers were seen to do (provider-apis.md, "Observed on real servers, 2026-12"),
 * as stand-in options: llama-server (Feb 2025), whisper-server (Aug 2026), Fish Speech (S1/S2
 * source). `STANDIN_OBSERVED=1` turns them all on; the benchmark runs with them by default.
 */
export const OBSERVED_BEHAVIOURS = {
  /** llama-server: client errors as 500, /props, context shift from the front, old in-stream error framing, no TCP_NODELAY. */
  llm: { flavour: 'llama.cpp', contextShift: true, streamErrorFraming: 'sse-error-field', nagle: true },
  /** whisper-server: an aborted request holds the worker until its next checkpoint (~1 s); no TCP_NODELAY. */
  stt: { abortCheckpointMs: 1000, nagle: true },
  /** Fish Speech: uncancellable generation; failures after the 200 cut the connection; repetition_penalty < 2. */
  tts: { uncancellable: true, realFailures: true },
  /** llama-server --embeddings: physical batch of 512 tokens (longer input: 500); no TCP_NODELAY. */
  embedding: { batchTokens: 512, nagle: true },
} as const satisfies {
  llm: ChatStandinOptions;
  stt: WhisperStandinOptions;
  tts: FishSpeechStandinOptions;
  embedding: EmbeddingStandinOptions;
};
