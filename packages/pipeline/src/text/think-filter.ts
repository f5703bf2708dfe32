/**
 * Removes <think>...</think> blocks from streamed LLM text, wherever they are and however the
 * tags are split across deltas. Whitespace right after a closing tag is dropped too (Qwen3 emits
 * "<think>\n\n</think>\n\n" before the answer). An unclosed block at the end is dropped whole.
 */
const OPEN = '<think>';
const CLOSE = '</think>';

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialTagSuffix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

export class ThinkFilter {
  private pending = '';
  private inside = false;
  private skipSpace = false;

  /** Feed a delta; returns the visible text it releases. */
  push(delta: string): string {
    this.pending += delta;
    let out = '';
    for (;;) {
      if (this.inside) {
        const end = this.pending.indexOf(CLOSE);
        if (end < 0) {
          this.pending = this.pending.slice(this.pending.length - partialTagSuffix(this.pending, CLOSE));
          return out;
        }
        this.pending = this.pending.slice(end + CLOSE.length);
        this.inside = false;
        this.skipSpace = true;
        continue;
      }
      if (this.skipSpace) {
        const trimmed = this.pending.trimStart();
        if (trimmed.length === 0) {
          this.pending = '';
          return out;
        }
        this.pending = trimmed;
        this.skipSpace = false;
      }
      const start = this.pending.indexOf(OPEN);
      if (start >= 0) {
        out += this.pending.slice(0, start);
        this.pending = this.pending.slice(start + OPEN.length);
        this.inside = true;
        continue;
      }
      const keep = partialTagSuffix(this.pending, OPEN);
      out += this.pending.slice(0, this.pending.length - keep);
      this.pending = this.pending.slice(this.pending.length - keep);
      return out;
    }
  }

  /** End of stream: releases a held partial tag as text (or drops an unclosed block) and resets. */
  flush(): string {
    const rest = this.inside ? '' : this.pending;
    this.pending = '';
    this.inside = false;
    this.skipSpace = false;
    return rest;
  }

  /** Whether the stream is currently inside a think block. */
  get thinking(): boolean {
    return this.inside;
  }
}
