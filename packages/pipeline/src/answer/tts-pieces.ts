import { displayWidth } from '../text/sentence-splitter.ts';

/**
 * Longest text (display width: a CJK character counts 2) sent to TTS in one request: about 40
 * Japanese characters or 80 Latin ones, 5-7 s of speech. Fish Speech cannot cancel a request
 * (provider-apis.md, observed): after a barge-in the next answer's first request waits until the
 * abandoned text is fully synthesised. A segment longer than this is therefore sent as pieces, one
 * after another into the same segment, so an abandoned request costs at most one piece.
 */
export const TTS_PIECE_MAX_WIDTH = 80;
/** A piece is not cut shorter than this (a tiny tail sounds clipped). */
const MIN_PIECE_WIDTH = 20;

/** Where a piece may end, best first: after clause punctuation, then after a space. */
const CLAUSE_END = /[、，,;；:：]/;

/**
 * Splits `text` into pieces of at most `maxWidth` display width, each ending after clause
 * punctuation in its second half, else after its last space, else at the width (CJK text has no
 * spaces); never shorter than MIN_PIECE_WIDTH at a chosen break. Concatenated, the pieces are the text.
 */
export function ttsPieces(text: string, maxWidth = TTS_PIECE_MAX_WIDTH): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (displayWidth(rest) > maxWidth) {
    const cut = cutAt(rest, maxWidth);
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.trim().length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces.filter((p) => p.trim().length > 0);
}

/** Index after which `text` is cut: at most `maxWidth` wide, at a clause end or space when there is one. */
function cutAt(text: string, maxWidth: number): number {
  const chars = Array.from(text);
  let width = 0;
  let end = 0;
  let clause = -1;
  let clauseWidth = 0;
  let space = -1;
  for (const ch of chars) {
    const w = displayWidth(ch);
    if (width + w > maxWidth) break;
    width += w;
    end += ch.length;
    if (width >= MIN_PIECE_WIDTH && CLAUSE_END.test(ch)) [clause, clauseWidth] = [end, width];
    if (width >= MIN_PIECE_WIDTH && /\s/.test(ch)) space = end;
  }
  // a clause end in the second half beats a later space; else the last space; else any clause end
  if (clause > 0 && clauseWidth >= maxWidth / 2) return clause;
  if (space > 0) return space;
  if (clause > 0) return clause;
  return Math.max(end, chars[0]?.length ?? 1);
}
