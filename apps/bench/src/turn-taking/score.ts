import type { ServerMessage } from '@va/protocol';
import type { ScenarioOutcome } from './run-scenario.ts';
import { UTTERANCE_KINDS, type Kind } from './scenarios.ts';

/** What one scenario shows, in the benchmark's terms. */
export interface ScenarioScore {
  id: string;
  lang: string;
  kind: Kind;
  /**
   * a, b: the turn was ended before the user finished and stayed split (two questions, two
   * answers). An early end whose answer was withdrawn before it was heard, the rest answered with
   * it (`transcript.final.continues_turn_id`), is one turn: counted in `withdrawn`, not here.
   */
  falseEnd: boolean | null;
  /** a, b: an early end of turn whose answer was withdrawn unheard when the user went on. */
  withdrawn: boolean | null;
  /** b: end of speech -> end of turn (transcript.final). */
  endDelayMs: number | null;
  /** c, d, e: the avatar's voice was cleared after the user (or the echo) spoke. */
  interrupted: boolean | null;
  /** d: speech start -> playback.clear. */
  reactionMs: number | null;
  /** c, d: speech start -> the avatar's voice ducked (playback.duck), when the server ducks. */
  duckMs: number | null;
  /** e: the echo ducked the avatar's voice (cheap and undone, but it should be rare). */
  echoDucked: boolean | null;
  /** STT requests the session made in the scenario. */
  sttRequests: number;
}

export function score(o: ScenarioOutcome): ScenarioScore {
  const sc = o.scenario;
  const finals = o.events.filter((e): e is { at: number; m: Extract<ServerMessage, { type: 'transcript.final' }> } => e.m.type === 'transcript.final');
  const base = { id: sc.id, lang: sc.lang, kind: sc.kind, falseEnd: null, withdrawn: null, endDelayMs: null, interrupted: null, reactionMs: null, duckMs: null, echoDucked: null, sttRequests: o.sttRequests.length };
  if (UTTERANCE_KINDS.includes(sc.kind)) {
    const continued = new Set(finals.flatMap((f) => (f.m.continues_turn_id ? [f.m.continues_turn_id] : [])));
    const early = finals.filter((f) => f.at < o.userSpeechEndMs);
    const split = early.some((f) => !continued.has(f.m.turn_id));
    const after = finals.find((f) => f.at >= o.userSpeechEndMs);
    return { ...base, falseEnd: split, withdrawn: early.length > 0 && !split, endDelayMs: sc.kind === 'complete' && after ? after.at - o.userSpeechEndMs : null };
  }
  const from = sc.kind === 'echo' ? 0 : (o.duringSpeechStartMs ?? Number.POSITIVE_INFINITY);
  const clear = o.events.find((e) => e.m.type === 'playback.clear' && e.at >= from);
  const duck = o.events.find((e) => e.m.type === 'playback.duck' && e.m.level < 1 && e.at >= from);
  return {
    ...base,
    interrupted: clear !== undefined,
    reactionMs: sc.kind === 'interrupt' && clear ? clear.at - from : null,
    duckMs: duck && sc.kind !== 'echo' ? duck.at - from : null,
    echoDucked: sc.kind === 'echo' ? duck !== undefined : null,
  };
}

export interface Percentiles {
  p50: number | null;
  p95: number | null;
}

export interface Summary {
  scenarios: number;
  false_end_rate: number;
  /** a, b: ended early, the answer withdrawn unheard and the rest answered with it (not a false end; its cost is wasted LLM work). */
  withdrawn_rate: number;
  /** f: afterthoughts answered as two questions (the user went on after the answer was heard, or it was not withdrawn). */
  afterthought_split_rate: number;
  /** g: a filler alone, a long silence, then the question, answered as two (the filler answered). */
  thinking_split_rate: number;
  end_delay_ms: Percentiles;
  backchannel_interrupt_rate: number;
  echo_interrupt_rate: number;
  interruption_miss_rate: number;
  interruption_reaction_ms: Percentiles;
  duck_ms: Percentiles;
  /** Echo scenarios in which the echo ducked the avatar's voice (not a target: reported). */
  echo_duck_rate: number;
  /** STT requests: all, and per scenario of each kind (mean). */
  stt_requests: { total: number; per_scenario: Partial<Record<Kind, number>> };
}

function pct(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
}

const rate = (xs: boolean[]): number => (xs.length ? Math.round((xs.filter(Boolean).length / xs.length) * 1000) / 1000 : 0);

export function summarize(scores: ScenarioScore[]): Summary {
  const of = (k: Kind) => scores.filter((s) => s.kind === k);
  const ab = scores.filter((s) => s.kind === 'pause' || s.kind === 'complete');
  const ends = ab.map((s) => s.falseEnd === true);
  const delays = of('complete').flatMap((s) => (s.endDelayMs === null ? [] : [s.endDelayMs]));
  const reactions = of('interrupt').flatMap((s) => (s.reactionMs === null ? [] : [s.reactionMs]));
  const ducks = scores.flatMap((s) => (s.duckMs === null ? [] : [s.duckMs]));
  return {
    scenarios: scores.length,
    false_end_rate: rate(ends),
    withdrawn_rate: rate(ab.map((s) => s.withdrawn === true)),
    afterthought_split_rate: rate(of('afterthought').map((s) => s.falseEnd === true)),
    thinking_split_rate: rate(of('thinking').map((s) => s.falseEnd === true)),
    end_delay_ms: { p50: pct(delays, 50), p95: pct(delays, 95) },
    backchannel_interrupt_rate: rate(of('backchannel').map((s) => s.interrupted === true)),
    echo_interrupt_rate: rate(of('echo').map((s) => s.interrupted === true)),
    interruption_miss_rate: rate(of('interrupt').map((s) => s.interrupted !== true)),
    interruption_reaction_ms: { p50: pct(reactions, 50), p95: pct(reactions, 95) },
    duck_ms: { p50: pct(ducks, 50), p95: pct(ducks, 95) },
    echo_duck_rate: rate(of('echo').map((s) => s.echoDucked === true)),
    stt_requests: { total: scores.reduce((n, s) => n + s.sttRequests, 0), per_scenario: requestsPerKind(scores) },
  };
}

function requestsPerKind(scores: ScenarioScore[]): Partial<Record<Kind, number>> {
  const out: Partial<Record<Kind, number>> = {};
  for (const k of ['pause', 'complete', 'backchannel', 'interrupt', 'echo', 'afterthought', 'thinking'] as const) {
    const xs = scores.filter((s) => s.kind === k);
    if (xs.length) out[k] = Math.round((xs.reduce((n, s) => n + s.sttRequests, 0) / xs.length) * 10) / 10;
  }
  return out;
}
