/**
 * Echo guard: the server knows what the avatar is saying, so it can tell when the microphone is
 * only hearing the avatar's own voice from a laptop's speaker. Both signals are reduced to 10 ms
 * loudness frames on the session's clock: the playback as sent, the mic as received. The delay
 * between them (network, jitter buffer, room) is found by cross-correlation while the avatar
 * speaks and the user does not, with the echo's gain; mic loudness beyond that predicted echo is
 * the user's. Pure arithmetic over injected times: no I/O, no clock of its own.
 */
export interface EchoGuardOptions {
  /** Longest delay searched between sending audio and hearing it back (ms). */
  maxLagMs: number;
  /** Audio looked at to find the delay (ms). */
  windowMs: number;
  /** Correlation needed to trust a delay estimate (0-1). */
  minCorrelation: number;
  /** Share of the mic's loudness that must be unexplained by the echo for speech to be the user's. */
  userShare: number;
}

export const defaultEchoGuardOptions: EchoGuardOptions = { maxLagMs: 900, windowMs: 1600, minCorrelation: 0.7, userShare: 0.5 };

const FRAME_MS = 10;
const NOISE_FLOOR = 0.004;
/** Frames of the avatar's voice a delay estimate needs (400 ms). */
const MIN_ACTIVE_FRAMES = 40;

class Envelope {
  private readonly sum = new Map<number, number>();
  private readonly count = new Map<number, number>();

  add(samples: ArrayLike<number>, scale: number, sampleRate: number, startMs: number): void {
    const perFrame = (sampleRate * FRAME_MS) / 1000;
    for (let i = 0; i < samples.length; i++) {
      const frame = Math.floor(startMs / FRAME_MS + i / perFrame);
      const v = samples[i]! * scale;
      this.sum.set(frame, (this.sum.get(frame) ?? 0) + v * v);
      this.count.set(frame, (this.count.get(frame) ?? 0) + 1);
    }
  }

  rms(frame: number): number {
    const n = this.count.get(frame);
    return n ? Math.sqrt(this.sum.get(frame)! / n) : 0;
  }

  has(frame: number): boolean {
    return this.count.has(frame);
  }

  dropBefore(frame: number): void {
    for (const k of this.count.keys()) {
      if (k < frame) {
        this.count.delete(k);
        this.sum.delete(k);
      }
    }
  }

  dropFrom(frame: number): void {
    for (const k of this.count.keys()) {
      if (k >= frame) {
        this.count.delete(k);
        this.sum.delete(k);
      }
    }
  }
}

/** Share of the mic's energy a pure echo fit may leave unexplained while the delay and gain are learned. */
const MAX_RESIDUAL = 0.35;

function fitResidual(m: number[], r: number[], gain: number): number {
  let res = 0;
  let tot = 0;
  for (let i = 0; i < m.length; i++) {
    res += (m[i]! - gain * r[i]!) ** 2;
    tot += m[i]! ** 2;
  }
  return tot === 0 ? 1 : res / tot;
}

export class EchoGuard {
  private readonly ref = new Envelope();
  private readonly mic = new Envelope();
  private lagFrames: number | null = null;
  private gain = 0;
  private lastCorr = 0;
  private lastMicFrame = 0;

  constructor(private readonly opts: EchoGuardOptions = defaultEchoGuardOptions) {}

  /** Avatar audio sent at `sentAtMs` (s16 PCM at `sampleRate`). */
  playback(pcm: Int16Array, sampleRate: number, sentAtMs: number): void {
    this.ref.add(pcm, 1 / 32768, sampleRate, sentAtMs);
    // bounded without mic audio too (a typed conversation): keep a few windows' worth
    this.ref.dropBefore(Math.floor(sentAtMs / FRAME_MS) - 4 * Math.ceil((this.opts.windowMs + this.opts.maxLagMs) / FRAME_MS));
  }

  /** Playback was cleared: nothing sent after `atMs` will be heard. */
  playbackCleared(atMs: number): void {
    this.ref.dropFrom(Math.floor(atMs / FRAME_MS));
  }

  /** Mic audio (floats in [-1, 1]) whose first sample arrived at `atMs`. */
  micAudio(samples: Float32Array, sampleRate: number, atMs: number): void {
    this.mic.add(samples, 1, sampleRate, atMs);
    this.lastMicFrame = Math.floor((atMs + (samples.length / sampleRate) * 1000) / FRAME_MS);
    const keep = this.lastMicFrame - Math.ceil((this.opts.windowMs + this.opts.maxLagMs) / FRAME_MS) - 1;
    this.mic.dropBefore(keep);
    this.ref.dropBefore(keep);
    if (this.lastMicFrame % 10 === 0) this.learn();
  }

  /** The delay (ms) found between playback and its echo, or null while none is known. */
  get echoDelayMs(): number | null {
    return this.lagFrames === null ? null : this.lagFrames * FRAME_MS;
  }

  /** Share of the mic's loudness over [fromMs, toMs) not explained by the avatar's echo (1 when nothing plays). */
  userShareOf(fromMs: number, toMs: number): number {
    let total = 0;
    let user = 0;
    for (let f = Math.floor(fromMs / FRAME_MS); f < Math.ceil(toMs / FRAME_MS); f++) {
      const m = this.mic.rms(f);
      if (m < NOISE_FLOOR) continue;
      total += m;
      user += Math.max(0, m - this.predictedEcho(f));
    }
    return total === 0 ? 1 : user / total;
  }

  /** True when speech heard over [fromMs, toMs) is the avatar's own voice coming back. */
  isEcho(fromMs: number, toMs: number): boolean {
    return this.judge(fromMs, toMs) === 'echo';
  }

  /** Whose sound [fromMs, toMs) holds: the avatar's echo, the user's, or nobody's (quiet). */
  judge(fromMs: number, toMs: number): 'echo' | 'user' | 'quiet' {
    if (!this.heardAnything(fromMs, toMs)) return 'quiet';
    return this.userShareOf(fromMs, toMs) < this.opts.userShare ? 'echo' : 'user';
  }

  private heardAnything(fromMs: number, toMs: number): boolean {
    for (let f = Math.floor(fromMs / FRAME_MS); f < Math.ceil(toMs / FRAME_MS); f++) if (this.mic.rms(f) >= NOISE_FLOOR) return true;
    return false;
  }

  private predictedEcho(frame: number): number {
    if (this.lagFrames === null) return 0;
    // a little of the neighbouring frames too: the delay drifts by a few ms with the jitter buffer
    const r = Math.max(this.ref.rms(frame - this.lagFrames), this.ref.rms(frame - this.lagFrames - 1), this.ref.rms(frame - this.lagFrames + 1));
    return 1.3 * this.gain * r;
  }

  /** Finds the delay and gain of the echo over the recent window (kept only when the match is clear). */
  private learn(): void {
    const end = this.lastMicFrame;
    const start = end - Math.round(this.opts.windowMs / FRAME_MS);
    const maxLag = Math.round(this.opts.maxLagMs / FRAME_MS);
    let best: { lag: number; corr: number; gain: number; r: number[] } = { lag: -1, corr: 0, gain: 0, r: [] };
    const m = [];
    for (let f = start; f < end; f++) m.push(this.mic.rms(f));
    const mMean = m.reduce((a, b) => a + b, 0) / m.length;
    for (let lag = 0; lag <= maxLag; lag++) {
      const r = [];
      let active = 0;
      for (let f = start; f < end; f++) {
        const v = this.ref.rms(f - lag);
        if (v > NOISE_FLOOR) active++;
        r.push(v);
      }
      if (active < MIN_ACTIVE_FRAMES) continue; // too little of the avatar's voice in this window to judge
      const rMean = r.reduce((a, b) => a + b, 0) / r.length;
      let mr = 0;
      let mm = 0;
      let rr = 0;
      let mrRaw = 0;
      let rrRaw = 0;
      for (let i = 0; i < m.length; i++) {
        const dm = m[i]! - mMean;
        const dr = r[i]! - rMean;
        mr += dm * dr;
        mm += dm * dm;
        rr += dr * dr;
        mrRaw += m[i]! * r[i]!;
        rrRaw += r[i]! * r[i]!;
      }
      if (mm === 0 || rr === 0) continue;
      // Pearson correlation of the two loudness curves; the gain by least squares through zero
      const corr = mr / Math.sqrt(mm * rr);
      if (corr > best.corr) best = { lag, corr, gain: mrRaw / rrRaw, r };
    }
    if (best.lag < 0 || fitResidual(m, best.r, best.gain) > MAX_RESIDUAL) return; // someone else is talking too
    if (best.corr >= this.opts.minCorrelation && (this.lagFrames === null || best.lag === this.lagFrames || best.corr > this.lastCorr + 0.05)) {
      this.lastCorr = best.corr;
      this.lagFrames = best.lag;
      this.gain = this.gain === 0 ? best.gain : 0.7 * this.gain + 0.3 * best.gain;
    }
  }
}
