import type { TurnMetricsSink } from '@va/pipeline';

const BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000];

class Histogram {
  readonly counts = new Array<number>(BUCKETS_MS.length).fill(0);
  sum = 0;
  count = 0;
  observe(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.sum += ms;
    this.count += 1;
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]!) this.counts[i]! += 1;
  }
}

const STAGES = {
  partial: 'STT round trip of a partial transcript',
  mic_lag: 'mic packet arrival -> decoded, resampled and through the VAD',
  stt_final: 'end of speech detected -> final transcript',
  retrieval: 'document retrieval',
  llm_first_token: 'LLM request -> first answer token',
  tts_first_audio: 'TTS request -> first audio',
  end_to_end: 'end of speech (or text received) -> first audio sent',
} as const;
type Stage = keyof typeof STAGES;

/** Prometheus text exposition of per-stage latency histograms and turn/fallback counters. */
export class Metrics implements TurnMetricsSink {
  private readonly histograms = new Map<Stage, Histogram>(Object.keys(STAGES).map((s) => [s as Stage, new Histogram()]));
  private turns = { voice: 0, text: 0, interrupted: 0 };
  fallbackCount = { llm: 0, tts: 0 };
  activeSessions = 0;
  droppedAudioFrames = 0;

  /** Live turns on which the model thought although thinking is meant to be off. */
  thinkingTurns = 0;

  observeTurn(stages: Record<string, number | null>, info: { mode: 'voice' | 'text'; interrupted: boolean; thinkBlocks?: number }): void {
    this.turns[info.mode] += 1;
    if ((info.thinkBlocks ?? 0) > 0) this.thinkingTurns += 1;
    if (info.interrupted) this.turns.interrupted += 1;
    for (const stage of Object.keys(STAGES) as Stage[]) {
      const v = stages[`${stage}_ms`];
      if (typeof v === 'number') this.histograms.get(stage)!.observe(v);
    }
  }

  observePartial(ms: number): void {
    this.histograms.get('partial')!.observe(ms);
  }

  observeMicLag(ms: number): void {
    this.histograms.get('mic_lag')!.observe(ms);
  }

  countFallback(kind: 'llm' | 'tts'): void {
    this.fallbackCount[kind] += 1;
  }

  get totalFallbacks(): number {
    return this.fallbackCount.llm + this.fallbackCount.tts;
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP va_stage_latency_ms Latency of each stage of a turn, in milliseconds.');
    out.push('# TYPE va_stage_latency_ms histogram');
    for (const [stage, h] of this.histograms) {
      BUCKETS_MS.forEach((b, i) => out.push(`va_stage_latency_ms_bucket{stage="${stage}",le="${b}"} ${h.counts[i]}`));
      out.push(`va_stage_latency_ms_bucket{stage="${stage}",le="+Inf"} ${h.count}`);
      out.push(`va_stage_latency_ms_sum{stage="${stage}"} ${h.sum}`);
      out.push(`va_stage_latency_ms_count{stage="${stage}"} ${h.count}`);
    }
    out.push('# HELP va_turns_total Finished turns.', '# TYPE va_turns_total counter');
    out.push(`va_turns_total{mode="voice"} ${this.turns.voice}`, `va_turns_total{mode="text"} ${this.turns.text}`);
    out.push('# HELP va_turns_interrupted_total Turns cut short by barge-in or stop.', '# TYPE va_turns_interrupted_total counter');
    out.push(`va_turns_interrupted_total ${this.turns.interrupted}`);
    out.push('# HELP va_fallbacks_total Fallbacks used (template apology, text without voice).', '# TYPE va_fallbacks_total counter');
    out.push(`va_fallbacks_total{kind="llm"} ${this.fallbackCount.llm}`, `va_fallbacks_total{kind="tts"} ${this.fallbackCount.tts}`);
    out.push('# HELP va_llm_thinking_turns_total Turns on which the LLM thought although thinking is off.', '# TYPE va_llm_thinking_turns_total counter');
    out.push(`va_llm_thinking_turns_total ${this.thinkingTurns}`);
    out.push('# HELP va_sessions_active Open WebSocket sessions.', '# TYPE va_sessions_active gauge');
    out.push(`va_sessions_active ${this.activeSessions}`);
    out.push('# HELP va_audio_frames_dropped_total TTS frames dropped for slow clients.', '# TYPE va_audio_frames_dropped_total counter');
    out.push(`va_audio_frames_dropped_total ${this.droppedAudioFrames}`);
    return out.join('\n') + '\n';
  }
}
