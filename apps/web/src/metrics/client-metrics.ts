import { summarize, type Summary } from './stats.ts';
import type { TurnMetricsRecord } from './waterfall.ts';

export interface ClientMetrics {
  captureToSendMs: number[];
  receiveToAudibleMs: number[];
  turns: TurnMetricsRecord[];
}

export interface ClientMetricsSummary {
  captureToSendMs: Summary;
  receiveToAudibleMs: Summary;
  /** The user stopped -> first audio audible, for turns whose start is measured (capture clock, mic off, text). */
  turnTotalMs: Summary;
  turnSttMs: Summary;
  /** A turn's first TTS packet received -> its first sample audible (the page's share of the wait). */
  turnPlayoutMs: Summary;
}

declare global {
  interface Window {
    __clientMetrics?: ClientMetrics;
    __clientMetricsSummary?: () => ClientMetricsSummary;
  }
}

/** Bounded so a long session does not grow memory without limit. */
const MAX_SAMPLES = 5000;

function push(arr: number[], v: number): void {
  if (!Number.isFinite(v)) return;
  arr.push(Math.round(v * 100) / 100);
  if (arr.length > MAX_SAMPLES) arr.splice(0, arr.length - MAX_SAMPLES);
}

export const clientMetrics: ClientMetrics = { captureToSendMs: [], receiveToAudibleMs: [], turns: [] };

export function recordCaptureToSend(ms: number): void {
  push(clientMetrics.captureToSendMs, ms);
}

export function recordReceiveToAudible(ms: number): void {
  push(clientMetrics.receiveToAudibleMs, ms);
}

export function recordTurn(turn: TurnMetricsRecord): void {
  const i = clientMetrics.turns.findIndex((t) => t.turnId === turn.turnId);
  if (i >= 0) clientMetrics.turns[i] = turn;
  else clientMetrics.turns.push(turn);
  if (clientMetrics.turns.length > 500) clientMetrics.turns.shift();
}

export function summarizeClientMetrics(m: ClientMetrics = clientMetrics): ClientMetricsSummary {
  const nums = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  return {
    captureToSendMs: summarize(m.captureToSendMs),
    receiveToAudibleMs: summarize(m.receiveToAudibleMs),
    turnTotalMs: summarize(nums(m.turns.filter((t) => t.start !== 'estimate' && t.start !== 'vad').map((t) => t.totalMs))),
    turnSttMs: summarize(nums(m.turns.map((t) => t.sttMs))),
    turnPlayoutMs: summarize(nums(m.turns.map((t) => t.playoutMs))),
  };
}

if (typeof window !== 'undefined') {
  window.__clientMetrics = clientMetrics;
  window.__clientMetricsSummary = () => summarizeClientMetrics();
}
