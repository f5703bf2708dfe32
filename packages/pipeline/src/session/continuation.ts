import type { ServerMessage } from '@va/protocol';
import { isOnlyFillers } from '../listen/fillers.ts';

type FinalMessage = Extract<ServerMessage, { type: 'transcript.final' }>;

/**
 * The user going on after a pause that the end of turn took for the end: speech that starts
 * before the answer's voice has been heard withdraws that answer (barge-in.ts decides it), and the
 * new utterance is answered together with the withdrawn one: one question, one answer. An
 * utterance of fillers only (えーと, um) is not answered at all: the next one goes on from it.
 */

/** What an utterance's final asks (Continuations.finalOf). */
export type UtteranceAsks =
  | { kind: 'question'; text: string }
  | { kind: 'again'; withdrawn: WithdrawnTurn }
  | { kind: 'fillers'; turnId: string }
  | { kind: 'nothing' };

/** A voice turn whose answer was withdrawn because the user went on. */
export interface WithdrawnTurn {
  turnId: string;
  /** What the user had said in it (itself perhaps already a continuation). */
  text: string;
}

/**
 * Joins two parts of one utterance: no space between Japanese parts; the recogniser's closing
 * period on the first part goes (and the capital it then gave the second, in English).
 */
export function joinUtterances(first: string, then: string): string {
  const a = first.trim().replace(/[.。]$/u, '');
  const b = then.trim();
  if (!a) return b;
  if (!b) return a;
  const cjk = /[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]/u;
  if (cjk.test(a.at(-1)!) || cjk.test(b[0]!)) return `${a}${b}`;
  // "but. Is there": the recogniser capitalised a sentence that goes on from the first part
  const open = !/[.!?]$/.test(a) && /^[A-Z][a-z]/.test(b) && !/^I\b/.test(b);
  return `${a} ${open ? b[0]!.toLowerCase() + b.slice(1) : b}`;
}

/** Withdrawn turns remembered (their ids: a late end of their answer must not put them in the history). */
const KEEP_WITHDRAWN = 16;

/** The utterance that goes on with a withdrawn turn (at most one at a time: the latest wins). */
export class Continuations {
  private pending: { utterance: string; withdrawn: WithdrawnTurn } | null = null;
  /** An utterance of fillers only (えーと, um): no answer; the next utterance goes on from it. */
  private held: WithdrawnTurn | null = null;
  private readonly withdrawnIds: string[] = [];

  /**
   * The final of utterance `utterance` arrived (`text`; null: it gave no words): what it asks, with
   * the turn it goes on with. Fillers only (えーと, um) ask nothing: they are held, and the next
   * utterance to start goes on with them. A wordless sound re-asks the turn it went on with.
   */
  finalOf(utterance: string, text: string | null): UtteranceAsks {
    const w = this.take(utterance);
    if (text === null && !w) return { kind: 'nothing' };
    const turn = text === null ? w! : { turnId: utterance, text: w ? joinUtterances(w.text, text) : text };
    if (isOnlyFillers(turn.text)) {
      this.held = turn;
      return { kind: 'fillers', turnId: turn.turnId };
    }
    return text === null ? { kind: 'again', withdrawn: turn } : { kind: 'question', text: turn.text };
  }

  /** Utterance `utterance` starts: a held turn of fillers goes on in it (unless it already goes on with another). */
  utteranceStarted(utterance: string): void {
    if (!this.held) return;
    if (!this.pending) this.withdraw(utterance, this.held);
    this.held = null;
  }

  /** A typed question: held fillers are let go. */
  dropHeld(): void {
    this.held = null;
  }

  /** Utterance `utterance` goes on with `withdrawn`, whose answer was just stopped. */
  withdraw(utterance: string, withdrawn: WithdrawnTurn): void {
    this.pending = { utterance, withdrawn };
    this.withdrawnIds.push(withdrawn.turnId);
    if (this.withdrawnIds.length > KEEP_WITHDRAWN) this.withdrawnIds.shift();
  }

  /** Whether `turnId`'s answer was withdrawn: its words are remembered as part of the next turn, not alone. */
  withdrew(turnId: string): boolean {
    return this.withdrawnIds.includes(turnId);
  }

  /** The turn utterance `utterance` goes on with, if any. */
  of(utterance: string): WithdrawnTurn | null {
    return this.pending?.utterance === utterance ? this.pending.withdrawn : null;
  }

  /** The words to look up and answer ahead for utterance `utterance` so far; null when they are fillers only (nothing to ask yet). */
  questionSoFar(utterance: string, text: string): string | null {
    const words = this.textFor(utterance, text);
    return isOnlyFillers(words) ? null : words;
  }

  /** The words to answer for utterance `utterance`: the withdrawn turn's and these, or these alone. */
  private textFor(utterance: string, text: string): string {
    const w = this.of(utterance);
    return w ? joinUtterances(w.text, text) : text;
  }

  /** An utterance's final as the page sees it: when it goes on with a withdrawn turn, the whole text and that turn. */
  shown(m: FinalMessage): FinalMessage {
    const w = this.of(m.turn_id);
    return w ? { ...m, text: this.textFor(m.turn_id, m.text), continues_turn_id: w.turnId } : m;
  }

  /** The utterance's final arrived (or none will): its continuation is answered now, once. */
  private take(utterance: string): WithdrawnTurn | null {
    const w = this.of(utterance);
    if (w) this.pending = null;
    return w;
  }
}
