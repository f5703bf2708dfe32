import type { ChatMessage, Clock, LlmProvider, ThinkCount } from '../ports.ts';
import { roundMs } from '../err-info.ts';

export interface LlmStats {
  /** Clock time the request went out. */
  startedAt: number;
  /** Request -> first text (ms). */
  firstTokenMs: number | null;
  /** Why the stream ended early; null when it completed. */
  error: unknown;
  /**
   * Think blocks the provider stripped from this stream (thinking is meant to be off on live
   * turns: a real Qwen3 on a llama-server that ignores `enable_thinking` thinks, unseen, and the
   * user waits for it); null when none were reported.
   */
  think?: ThinkCount | null;
}

/**
 * LLM stage: the answer's text deltas as the model streams them. A failure ends the stream
 * without throwing; `stats.error` says why (the turn then falls back).
 */
export async function* llmDeltas(
  llm: LlmProvider,
  clock: Clock,
  req: { messages: ChatMessage[]; signal: AbortSignal; maxTokens?: number | undefined },
  stats: LlmStats,
): AsyncGenerator<string> {
  stats.startedAt = clock.now();
  const onThink = (count: ThinkCount) => {
    const seen = stats.think ?? { blocks: 0, chars: 0 };
    stats.think = { blocks: seen.blocks + count.blocks, chars: seen.chars + count.chars };
  };
  try {
    const { maxTokens, ...rest } = req;
    for await (const chunk of llm.stream({ ...rest, ...(maxTokens === undefined ? {} : { maxTokens }), onThink })) {
      if (chunk.type !== 'text' || chunk.text.length === 0) continue;
      stats.firstTokenMs ??= roundMs(clock.now() - stats.startedAt);
      yield chunk.text;
    }
  } catch (error) {
    stats.error = error;
  }
}
