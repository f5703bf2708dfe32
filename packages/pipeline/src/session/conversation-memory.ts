import type { HistoryTurn } from '../answer/prompt.ts';

/** Turns kept for the prompt and the page's history (the prompt takes the last `historyTurns`). */
const MAX_HISTORY = 50;
/** Playback reports kept (segment -> ms the page played). */
const MAX_PLAYED = 512;

/**
 * What a session remembers across turns: the exchanges as heard (for the prompt and a reconnecting
 * page), how much of each segment the page played (what the avatar was heard to say), and the
 * session-wide segment numbering.
 */
export class ConversationMemory {
  private readonly history: Array<HistoryTurn & { turnId: string }> = [];
  private readonly played = new Map<string, number>();
  private segmentCounter = 0;

  remember(turnId: string, user: string, assistant: string): void {
    this.history.push({ turnId, user, assistant });
    if (this.history.length > MAX_HISTORY) this.history.shift();
  }

  /** The last `n` exchanges, oldest first. */
  recent(n: number): HistoryTurn[] {
    return this.history.slice(-n);
  }

  forClient(): Array<{ turn_id: string; user_text: string; assistant_text: string }> {
    return this.history.map((h) => ({ turn_id: h.turnId, user_text: h.user, assistant_text: h.assistant }));
  }

  playbackReport(turnId: string, segmentId: number, playedMs: number): void {
    this.played.set(`${turnId}/${segmentId}`, playedMs);
    if (this.played.size > MAX_PLAYED) this.played.delete(this.played.keys().next().value as string);
  }

  playedMs(turnId: string, segmentId: number): number | undefined {
    return this.played.get(`${turnId}/${segmentId}`);
  }

  nextSegmentId(): number {
    return this.segmentCounter++;
  }

  /** What turn `turnId` is given from memory: the last `historyTurns` exchanges, segment numbers, what the page played. */
  contextFor(turnId: string, historyTurns: number) {
    return {
      history: this.recent(historyTurns),
      nextSegmentId: () => this.nextSegmentId(),
      playedMs: (seg: number) => this.playedMs(turnId, seg),
    };
  }
}
