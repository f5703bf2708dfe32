import type { Passage, Retriever } from '../ports.ts';

export interface RagOptions {
  k: number;
  minScore: number;
  timeoutMs: number;
}

interface Lookup {
  turnId: string;
  /** queryKey() of the text it was started with. */
  key: string;
  /** null when the lookup failed (the turn then retrieves as usual). */
  passages: Promise<Passage[] | null>;
  /** Started from an early final transcript (not only a partial). */
  fromFinal: boolean;
}

/**
 * Early retrieval, all of it: while the user is silent at the end of an utterance, the listening
 * side reports the settled text (the last partial, then the early final) and the documents are
 * looked up at once. The answer uses that lookup when its final transcript says the same words,
 * so retrieval leaves the critical path. At most one lookup per session is kept: the latest.
 */
export class EarlyRetrieval {
  private current: Lookup | null = null;

  constructor(
    private readonly retriever: Retriever | null,
    private readonly rag: RagOptions,
  ) {}

  /** The utterance `turnId` settled on `text`: look it up unless that is already under way. */
  offer(turnId: string, text: string, from: 'partial' | 'final'): void {
    if (!this.retriever?.loaded) return;
    const current = this.current?.turnId === turnId ? this.current : null;
    if (current && current.key === queryKey(text)) return; // already looking that up
    if (current?.fromFinal && from === 'partial') return; // the final's words beat a partial's
    const { k, minScore, timeoutMs } = this.rag;
    const passages = this.retriever.retrieve(text, { k, minScore, signal: AbortSignal.timeout(timeoutMs) }).catch(() => null);
    this.current = { turnId, key: queryKey(text), passages, fromFinal: from === 'final' };
  }

  /**
   * The early lookup's passages for the final transcript `text` of `turnId`, or null when there
   * is none for those words (the answer then looks them up itself). Resolves to null if it failed.
   */
  passagesFor(turnId: string, text: string): Promise<Passage[] | null> | null {
    const current = this.current;
    if (!current || current.turnId !== turnId || current.key !== queryKey(text)) return null;
    return current.passages;
  }

  clear(): void {
    this.current = null;
  }
}

const JAPANESE = '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}]';
const SPACE_BY_JAPANESE = new RegExp(`(?<=${JAPANESE}) | (?=${JAPANESE})`, 'gu');

/**
 * What decides that an early lookup answers the final transcript: the same words, ignoring case,
 * punctuation and spacing (whisper adds capitals and a full stop to a final, 、 and 。 to Japanese,
 * which has no spaces between words).
 */
export function queryKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(SPACE_BY_JAPANESE, '');
}
