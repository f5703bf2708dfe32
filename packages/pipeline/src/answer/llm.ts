import type { ChatMessage, Clock, LlmProvider } from '../ports.ts';
import { roundMs } from '../err-info.ts';

export interface LlmStats {
  /** Clock time the request went out. */
  startedAt: number;
  /** Request -> first text (ms). */
  firstTokenMs: number | null;
  /** Why the stream ended early; null when it completed. */
  error: unknown;
}

/**
 * LLM stage: the answer's text deltas as the model streams them. A failure ends the stream
 * without throwing; `stats.error` says why (the turn then falls back).
 */
export async function* llmDeltas(
  llm: LlmProvider,
  clock: Clock,
  req: { messages: ChatMessage[]; signal: AbortSignal },
  stats: LlmStats,
): AsyncGenerator<string> {
  stats.startedAt = clock.now();
  try {
    for await (const chunk of llm.stream(req)) {
      if (chunk.type !== 'text' || chunk.text.length === 0) continue;
      stats.firstTokenMs ??= roundMs(clock.now() - stats.startedAt);
      yield chunk.text;
    }
  } catch (error) {
    stats.error = error;
  }
}
