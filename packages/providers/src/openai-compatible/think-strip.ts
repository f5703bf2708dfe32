const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Removes `<think>...</think>` blocks from streamed model text, robust to tags split across chunks.
 * Also drops a stray `</think>` (templates that pre-fill the opening tag) and the whitespace right
 * after a removed block. An unclosed block swallows the rest (it is reasoning, never speech).
 * Pure: the concatenated output does not depend on how the input was chunked.
 */
export class ThinkStripper {
  #inside = false;
  #skipWs = false;
  /** Text held back because it may be the start of a tag. */
  #held = '';
  /** Non-blank characters removed from inside think blocks (0 when the model did not think). */
  thoughtChars = 0;
  /** Think blocks seen: an opening tag, or a stray closing one (the template opened the block). */
  blocks = 0;

  push(chunk: string): string {
    let s = this.#held + chunk;
    this.#held = '';
    let out = '';
    while (s.length > 0) {
      if (this.#skipWs) {
        const trimmed = s.replace(/^\s+/, '');
        if (trimmed.length === 0) return out;
        s = trimmed;
        this.#skipWs = false;
      }
      if (this.#inside) {
        const close = s.indexOf(CLOSE);
        if (close === -1) {
          this.#held = partialSuffix(s, CLOSE);
          this.#countThought(s.slice(0, s.length - this.#held.length));
          return out;
        }
        this.#countThought(s.slice(0, close));
        s = s.slice(close + CLOSE.length);
        this.#inside = false;
        this.#skipWs = true;
        continue;
      }
      const open = s.indexOf(OPEN);
      const close = s.indexOf(CLOSE);
      const next = open === -1 ? close : close === -1 ? open : Math.min(open, close);
      if (next === -1) {
        const hold = Math.max(partialSuffix(s, OPEN).length, partialSuffix(s, CLOSE).length);
        out += s.slice(0, s.length - hold);
        this.#held = s.slice(s.length - hold);
        return out;
      }
      out += s.slice(0, next);
      this.blocks++;
      if (next === open) {
        s = s.slice(next + OPEN.length);
        this.#inside = true;
      } else {
        s = s.slice(next + CLOSE.length);
        this.#skipWs = true;
      }
    }
    return out;
  }

  #countThought(text: string): void {
    this.thoughtChars += text.replace(/\s+/g, '').length;
  }

  /** End of stream: releases text that turned out not to be a tag. */
  end(): string {
    const rest = this.#inside || this.#skipWs ? '' : this.#held;
    this.#held = '';
    return rest;
  }
}

/** The longest suffix of `s` that is a proper prefix of `tag`. */
function partialSuffix(s: string, tag: string): string {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (tag.startsWith(s.slice(s.length - n))) return s.slice(s.length - n);
  }
  return '';
}

/** Convenience for whole strings. */
export function stripThink(text: string): string {
  const t = new ThinkStripper();
  return t.push(text) + t.end();
}
