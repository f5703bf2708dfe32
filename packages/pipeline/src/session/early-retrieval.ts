import type { Passage } from '../ports.ts';

/** A document lookup started from the settled partial transcript of an utterance. */
export interface EarlyRetrieval {
  turnId: string;
  /** queryKey() of the text it was started with. */
  key: string;
  /** null when the lookup failed (the turn then retrieves as usual). */
  passages: Promise<Passage[] | null>;
  /** Started from an early final transcript (not only a partial). */
  fromFinal: boolean;
}

/**
 * What decides that an early lookup answers the final transcript: the same words, ignoring case,
 * punctuation and spacing (whisper adds capitals and a full stop to a final).
 */
export function queryKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
