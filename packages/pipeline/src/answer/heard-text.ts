export interface SentSegment {
  id: number;
  text: string;
  /** Audio duration sent for the segment. */
  durationMs: number;
}

/**
 * What the user actually heard of an interrupted answer: whole segments played to the end, plus
 * the played fraction of the segment that was cut, rounded down to a word (or character for CJK).
 */
export function heardText(segments: SentSegment[], playedMs: (segmentId: number) => number): string {
  const parts: string[] = [];
  for (const seg of segments) {
    const played = Math.max(0, playedMs(seg.id));
    if (seg.durationMs <= 0 || played <= 0) break;
    if (played >= seg.durationMs - 40) {
      parts.push(seg.text);
      continue;
    }
    parts.push(cutText(seg.text, played / seg.durationMs));
    break;
  }
  return parts.filter((p) => p.length > 0).join(' ').trim();
}

function cutText(text: string, fraction: number): string {
  const n = Math.floor(text.length * fraction);
  if (n <= 0) return '';
  const head = text.slice(0, n);
  if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(head)) return head + '…';
  const space = head.lastIndexOf(' ');
  return (space > 0 ? head.slice(0, space) : head) + '…';
}

/** Time-based estimate used when the client sent no playback reports. */
export function estimatePlayed(segments: SentSegment[], totalPlayedMs: number): (segmentId: number) => number {
  const played = new Map<number, number>();
  let left = totalPlayedMs;
  for (const seg of segments) {
    const p = Math.max(0, Math.min(seg.durationMs, left));
    played.set(seg.id, p);
    left -= p;
  }
  return (id) => played.get(id) ?? 0;
}

/**
 * Heard-text rule of an interrupted answer: the client's playback reports when it sent any,
 * otherwise the time since the first packet left, spread over the segments in order.
 */
export function heardOfInterrupted(
  sent: SentSegment[],
  reportedMs: (segmentId: number) => number | undefined,
  elapsedSinceFirstSendMs: number,
): string {
  const reported = sent.some((s) => reportedMs(s.id) !== undefined);
  const played = reported ? (id: number) => reportedMs(id) ?? 0 : estimatePlayed(sent, elapsedSinceFirstSendMs);
  return heardText(sent, played);
}
