/**
 * Incremental sentence splitter for streamed LLM text (Japanese + English), feeding TTS.
 *
 * Pure. The segments depend only on the concatenated input, with one deliberate exception: a
 * stop at the very end of a delta (LLM tokenizers end a token at "word." / "。" and start the next
 * with the space) is decided from its left context, so the first sentence reaches TTS one token
 * earlier. Only "word.x" split across deltas as "word." | "x..." therefore differs from the
 * unsplit text (it becomes a sentence end); real tokenizers keep ".com", ".js", ".5" together.
 * Every other decision that needs a character not yet received waits for it.
 * Lengths are display widths: a CJK/full-width character counts 2, anything else 1.
 *
 * - Hard breaks: 。！？!?…．｡ (plus any following closers/punctuation), '.' followed by
 *   whitespace or end of text, newlines. Not breaks: decimals (3.14, ３．５), titles and Latin
 *   shorthands (Dr. / Mrs. / St. / e.g. / i.e. / U.S.), a.m. / p.m. / etc. unless a capital
 *   follows, No. / Fig. before a number (see char-classes.ts).
 * - Soft breaks: 、，,;；:： once the segment is at least softBreakMinChars wide
 *   (firstSegmentMinChars for the first segment: an early first chunk for low time to first audio).
 *   "1,000" and "10:30" are not breaks.
 * - Runs without punctuation are cut past maxChars (firstSegmentMaxChars for the first segment)
 *   at the last space, or at once for CJK.
 * - Emotion tags such as [happy] are lifted into `emotion` of the segment they start; a tag in
 *   the middle of a segment ends that segment first.
 * - Markdown noise is not spoken: '*', '`', '#' headings, list bullets, '>' quotes at line start;
 *   an ordered-list marker "1." is kept but does not end a sentence.
 * - Segments without any letter or digit (whitespace, stray punctuation) are dropped.
 */

import { CLOSERS, DEFAULT_EMOTIONS, DEFAULT_EMOTION_ALIASES, HARD, SOFT, abbreviationKind, displayWidth } from './char-classes.ts';

export { DEFAULT_EMOTIONS, DEFAULT_EMOTION_ALIASES, displayWidth, isWide } from './char-classes.ts';

export interface Segment {
  text: string;
  index: number;
  emotion?: string;
}

export interface SentenceSplitterOptions {
  /** Soft-break threshold for the first segment (default 12, i.e. ~6 CJK characters). */
  firstSegmentMinChars?: number;
  /** Hard cut for the first segment (default 60). */
  firstSegmentMaxChars?: number;
  /** Soft-break threshold for later segments (default 40). */
  softBreakMinChars?: number;
  /** Hard cut for later segments (default 160). */
  maxChars?: number;
  /** Emotion tag names recognised in [brackets] (case-insensitive). */
  emotions?: readonly string[];
  /** Other tag names mapped to an emotion, e.g. { joy: 'happy' }. */
  emotionAliases?: Readonly<Record<string, string>>;
}

const TAG_PREFIX = /^\[[A-Za-z]{0,16}$/;
const TAG = /^\[([A-Za-z]{1,16})\]/;
const SPOKEN = /[\p{L}\p{N}]/u;
const DIGIT = /[0-9０-９]/;

const WAIT = false;
const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

export class SentenceSplitter {
  private readonly firstMin: number;
  private readonly firstMax: number;
  private readonly softMin: number;
  private readonly max: number;
  private readonly emotions: Map<string, string>;
  private buf = '';
  private cur = '';
  private curEmotion: string | undefined;
  private lineStart = true;
  /** After a stop released at a delta boundary: closers/stops that follow belong to it, unspoken. */
  private dropStops = false;
  private index = 0;
  private out: Segment[] = [];

  constructor(opts: SentenceSplitterOptions = {}) {
    this.firstMin = opts.firstSegmentMinChars ?? 12;
    this.firstMax = opts.firstSegmentMaxChars ?? 60;
    this.softMin = opts.softBreakMinChars ?? 40;
    this.max = opts.maxChars ?? 160;
    this.emotions = new Map();
    for (const e of opts.emotions ?? DEFAULT_EMOTIONS) this.emotions.set(e.toLowerCase(), e);
    for (const [alias, e] of Object.entries(opts.emotionAliases ?? DEFAULT_EMOTION_ALIASES)) {
      const target = this.emotions.get(e.toLowerCase());
      if (target) this.emotions.set(alias.toLowerCase(), target);
    }
  }

  /** Feed the next piece of text; returns the segments it completed. */
  push(delta: string): Segment[] {
    this.buf += delta;
    this.scan(false);
    return this.take();
  }

  /** End of text: returns the remaining segments and resets the splitter for a new answer. */
  flush(): Segment[] {
    this.scan(true);
    this.emit();
    const segments = this.take();
    this.buf = '';
    this.cur = '';
    this.curEmotion = undefined;
    this.lineStart = true;
    this.dropStops = false;
    this.index = 0;
    return segments;
  }

  private take(): Segment[] {
    const segments = this.out;
    this.out = [];
    return segments;
  }

  private scan(final: boolean): void {
    while (this.buf.length > 0) {
      if (this.step(final) === WAIT) return;
    }
  }

  private consume(n: number): string {
    const s = this.buf.slice(0, n);
    this.buf = this.buf.slice(n);
    return s;
  }

  private emit(): void {
    const text = this.cur.trim();
    this.cur = '';
    if (!SPOKEN.test(text)) return;
    const seg: Segment = { text, index: this.index++ };
    if (this.curEmotion !== undefined) seg.emotion = this.curEmotion;
    this.curEmotion = undefined;
    this.out.push(seg);
  }

  private get first(): boolean {
    return this.index === 0;
  }

  /** Handle the start of buf. Returns WAIT when more input is needed to decide, else true. */
  private step(final: boolean): boolean {
    const buf = this.buf;
    const c = buf[0]!;
    if (this.dropStops) {
      if (HARD.has(c) || c === '.' || CLOSERS.has(c)) {
        this.consume(1);
        return true;
      }
      this.dropStops = false;
    }
    if (this.lineStart && c !== '\n' && c !== '\r') {
      const r = this.lineStartStep(final);
      if (r !== undefined) return r;
    }
    if (c === '\n' || c === '\r') {
      this.consume(1);
      this.emit();
      this.lineStart = true;
      return true;
    }
    if (isSpace(c)) {
      this.consume(1);
      if (this.cur.length > 0 && !this.cur.endsWith(' ')) this.cur += ' ';
      return true;
    }
    if (c === '*' || c === '`') {
      this.consume(1);
      return true;
    }
    if (c === '[') return this.tagStep(final);
    if (HARD.has(c) || c === '.') return this.stopStep(final);
    if (SOFT.has(c)) return this.softStep(final);
    // a surrogate pair is one character: never split it
    const n = c >= '\ud800' && c <= '\udbff' ? 2 : 1;
    if (buf.length < n && !final) return WAIT;
    this.cur += this.consume(n);
    this.checkLength();
    return true;
  }

  /** Markdown at the start of a line. undefined = nothing special here, continue normally. */
  private lineStartStep(final: boolean): boolean | undefined {
    const buf = this.buf;
    const c = buf[0]!;
    if (c === ' ' || c === '\t' || c === '>' || c === '\u3000') {
      this.consume(1);
      return true;
    }
    if (c === '•' || c === '・') {
      this.consume(1);
      this.lineStart = false;
      return true;
    }
    if (c === '-' || c === '+' || c === '*' || c === '#') {
      let run = 1;
      if (c === '#') while (run < buf.length && buf[run] === '#') run++;
      if (run === buf.length && !final) return WAIT;
      const next = buf[run];
      if (run <= 6 && (next === undefined || isSpace(next))) {
        this.consume(run);
        this.lineStart = false;
        return true;
      }
    }
    if (c >= '0' && c <= '9') {
      // "1. item" / "2) item": keep the number, but its '.' is not a sentence end
      let run = 1;
      while (run < buf.length && run <= 3 && buf[run]! >= '0' && buf[run]! <= '9') run++;
      if (run + 1 >= buf.length && !final) return WAIT;
      const after = buf[run + 1];
      if ((buf[run] === '.' || buf[run] === ')') && (after === undefined || isSpace(after))) {
        this.cur += this.consume(run + 1);
        this.lineStart = false;
        return true;
      }
    }
    this.lineStart = false;
    return undefined;
  }

  private tagStep(final: boolean): boolean {
    const m = TAG.exec(this.buf);
    if (!m && TAG_PREFIX.test(this.buf) && !final) return WAIT;
    const emotion = m ? this.emotions.get(m[1]!.toLowerCase()) : undefined;
    if (!m || emotion === undefined) {
      this.cur += this.consume(1);
      this.checkLength();
      return true;
    }
    this.consume(m[0].length);
    if (SPOKEN.test(this.cur)) this.emit();
    this.curEmotion = emotion;
    return true;
  }

  /** Sentence-final punctuation with any closers and further punctuation after it. */
  private stopStep(final: boolean): boolean {
    const buf = this.buf;
    let j = 1;
    while (j < buf.length && (HARD.has(buf[j]!) || buf[j] === '.' || CLOSERS.has(buf[j]!))) j++;
    if (j === buf.length && !final) return this.eagerStop(j);
    const next = buf[j];
    if (buf[0] === '.' && j === 1 && !(next === undefined || isSpace(next))) {
      // 3.14, v1.2, example.com: not a stop
      this.cur += this.consume(1);
      return true;
    }
    if (buf[0] === '．' && j === 1 && DIGIT.test(this.cur.at(-1) ?? '') && DIGIT.test(next ?? '')) {
      // ３．５: a full-width decimal point
      this.cur += this.consume(1);
      return true;
    }
    const hasHard = [...buf.slice(0, j)].some((ch) => HARD.has(ch));
    if (!hasHard && j === 1) {
      const abbreviation = this.abbreviationStep(final);
      if (abbreviation !== undefined) return abbreviation;
    }
    if (!hasHard && !(next === undefined || isSpace(next))) {
      // "..)x" or '."x': dots without a following space are not a stop
      this.cur += this.consume(j);
      return true;
    }
    this.cur += this.consume(j);
    this.emit();
    return true;
  }

  /**
   * A single '.' followed by whitespace or the end, after an abbreviation: kept inside the sentence
   * unless the next word says otherwise. undefined = not an abbreviation here (a normal stop).
   */
  private abbreviationStep(final: boolean): boolean | undefined {
    const kind = abbreviationKind(this.latinWord());
    if (kind === undefined) return undefined;
    if (kind !== 'never-final') {
      const nextWord = /^\s*(\S)/.exec(this.buf.slice(1));
      if (!nextWord) return final ? undefined : WAIT;
      const ends = kind === 'before-number' ? !DIGIT.test(nextWord[1]!) : /[A-Z]/.test(nextWord[1]!);
      if (ends) return undefined;
    }
    this.cur += this.consume(1);
    return true;
  }

  /**
   * The stop run reaches the end of the text received so far. Waiting for the next delta would
   * cost one LLM token interval on the critical path to first audio, so the left context decides
   * where it can: after a hard stop (。！？!?…) or a '.' ending an ordinary word the sentence is
   * released now; closers or stops arriving next are dropped (nothing to speak). Waits only where
   * the next character matters: a '.' after a digit (3.14, ３．５), after a single letter or inside
   * a dotted word (a.m., example.co), after an abbreviation that may end a sentence (no., etc.),
   * or a run of dots ("..." may continue).
   */
  private eagerStop(j: number): boolean {
    const run = this.buf.slice(0, j);
    const hasHard = [...run].some((ch) => HARD.has(ch));
    if (run === '．' && DIGIT.test(this.cur.at(-1) ?? '')) return WAIT;
    if (!hasHard) {
      if (j > 1 || [...run].some((ch) => ch !== '.')) return WAIT;
      const word = this.lastWord();
      const kind = abbreviationKind(this.latinWord());
      if (kind === 'never-final') {
        this.cur += this.consume(1);
        return true;
      }
      if (kind !== undefined || !/\p{L}\p{L}$/u.test(word) || word.includes('.')) return WAIT;
    }
    this.cur += this.consume(j);
    this.emit();
    this.dropStops = true;
    return true;
  }

  private lastWord(): string {
    return /([^\s]+)$/.exec(this.cur)?.[1] ?? '';
  }

  /** The Latin letters and dots before the '.', also right after Japanese text (学芸員はDr.). */
  private latinWord(): string {
    return /[A-Za-z][A-Za-z.]*$/.exec(this.cur)?.[0] ?? '';
  }

  private softStep(final: boolean): boolean {
    const c = this.buf[0]!;
    if ((c === ',' || c === ':' || c === '，' || c === '：') && DIGIT.test(this.cur.at(-1) ?? '')) {
      if (this.buf.length < 2 && !final) return WAIT;
      if (DIGIT.test(this.buf[1] ?? '')) {
        this.cur += this.consume(1);
        return true;
      }
    }
    this.cur += this.consume(1);
    if (displayWidth(this.cur.trim()) >= (this.first ? this.firstMin : this.softMin)) this.emit();
    return true;
  }

  private checkLength(): void {
    if (displayWidth(this.cur.trim()) <= (this.first ? this.firstMax : this.max)) return;
    const cut = this.cur.trimEnd().lastIndexOf(' ');
    if (cut > 0) {
      const rest = this.cur.slice(cut + 1);
      this.cur = this.cur.slice(0, cut);
      this.emit();
      this.cur = rest;
    } else {
      this.emit();
    }
  }
}

/** Stage form: streamed text deltas in, segments out. */
export async function* splitSentences(deltas: AsyncIterable<string>, opts: SentenceSplitterOptions = {}): AsyncIterable<Segment> {
  const splitter = new SentenceSplitter(opts);
  for await (const delta of deltas) yield* splitter.push(delta);
  yield* splitter.flush();
}
