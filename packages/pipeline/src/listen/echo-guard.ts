import { rms } from '../audio/pcm.ts';

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
/** Playback quieter than this (10 ms RMS) is silence; the mic's own floor is `micFloor`. */
const NOISE_FLOOR = 0.004;
/** The mic's floor follows the room: this many times its quietest level, between MIN_MIC_FLOOR and NOISE_FLOOR. */
const MIC_FLOOR_OVER_QUIET = 3;
const MIN_MIC_FLOOR = 0.0015;
/** Frames of the avatar's voice a delay estimate needs (400 ms). */
const MIN_ACTIVE_FRAMES = 15;

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

/** A sound starts when the mic is this many times louder than the room's quiet level (beyond the echo)... */
const ONSET_OVER_QUIET = 4;
/** ...and at least this loud (10 ms RMS, about -50 dBFS: a breathy は or ち starts there). */
const ONSET_MIN = 0.003;
/** Consecutive 10 ms frames that make an onset (a click is shorter). */
const ONSET_FRAMES = 2;
/** Frames before those in which the mic must have been quiet (an onset is a rise, not a level). */
const ONSET_RISE_FRAMES = 4;

/** Silence in the avatar's voice after which it starts anew (ms). */
const VOICE_GAP_MS = 1000;
/**
 * After the avatar's voice starts, how long a guard that knows no echo delay yet takes to learn
 * one from an echo (the delay itself, up to ~400 ms, and ~150 ms of the echo): see `settling`.
 */
const SETTLE_MS = 600;
/**
 * Mic frames heard quiet while the avatar spoke loudly enough that even a -30 dB echo would have
 * been heard, after which the guard knows there is no echo path (headphones) and stops settling at
 * the start of each answer (600 ms: the settling time of one answer).
 */
const NO_ECHO_PATH_FRAMES = 60;
/** An echo 30 dB down is this many times quieter than the avatar's voice. */
const MINUS_30_DB = 0.0316;
/** Delays (frames) the quiet mic must cover: every plausible echo delay, 30-400 ms. */
const PATH_LAGS = { from: 3, to: 40 };

/** Share of the mic's energy a pure echo fit may leave unexplained while the delay and gain are learned. */
const MAX_RESIDUAL = 0.35;

/**
 * Where the fitted echo would be audible, whether the mic heard it: a real echo follows the
 * avatar's voice everywhere, also where the user is silent; one burst of the user's that happens
 * to match one syllable of the avatar's leaves the rest of the predicted echo missing.
 */
function echoFit(m: number[], r: number[], gain: number, floor: number): { audible: number; missed: number; heardAt: number[] } {
  let audible = 0;
  let missed = 0;
  const heardAt: number[] = [];
  for (let i = 0; i < m.length; i++) {
    const e = gain * r[i]!;
    if (e < floor) continue;
    audible++;
    if (m[i]! < 0.3 * e) missed++;
    else heardAt.push(i);
  }
  return { audible, missed, heardAt };
}
/** Frames of audible predicted echo a fit needs (100 ms). */
const MIN_AUDIBLE_FRAMES = 10;
/** Share of the audible predicted echo the mic may lack for a fit to be an echo. */
const MAX_MISSED = 0.2;

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
  /** When the avatar's voice last started after a silence, and when it was last audible (ms). */
  private voiceStartMs: number | null = null;
  private voiceUntilMs = Number.NEGATIVE_INFINITY;
  private nextLearnFrame = 0;
  /** Mic frames quieter than this are the room, not sound (a quiet room lets a quiet echo be heard). */
  private micFloor = NOISE_FLOOR;
  /** A first delay found once, waiting to be found again on more of the echo (see `confirms`). */
  private candidate: { lag: number; endFrame: number } | null = null;
  /** Mic frames that would have held an audible echo and were quiet (see NO_ECHO_PATH_FRAMES). */
  private quietUnderVoice = 0;

  constructor(private readonly opts: EchoGuardOptions = defaultEchoGuardOptions) {}

  /** Avatar audio sent at `sentAtMs` (s16 PCM at `sampleRate`). */
  playback(pcm: Int16Array, sampleRate: number, sentAtMs: number): void {
    this.ref.add(pcm, 1 / 32768, sampleRate, sentAtMs);
    if (rms(pcm) >= NOISE_FLOOR) {
      if (sentAtMs - this.voiceUntilMs > VOICE_GAP_MS) this.voiceStartMs = sentAtMs;
      this.voiceUntilMs = sentAtMs + (pcm.length / sampleRate) * 1000;
    }
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
    this.micFloor = Math.min(NOISE_FLOOR, Math.max(MIN_MIC_FLOOR, MIC_FLOOR_OVER_QUIET * this.quietLevel(this.lastMicFrame)));
    this.countQuietUnderVoice(this.lastMicFrame - Math.round((samples.length / sampleRate) * 1000 / FRAME_MS), this.lastMicFrame);
    // every 100 ms; every 50 ms while settling (the start of the avatar's voice, no delay known yet)
    if (this.lastMicFrame >= this.nextLearnFrame) {
      this.nextLearnFrame = this.lastMicFrame + (this.settling(this.lastMicFrame * FRAME_MS) ? 5 : 10);
      this.learn();
    }
  }

  /**
   * No echo delay is known yet and the avatar's voice started less than SETTLE_MS ago, or a delay
   * found once waits to be confirmed: a sound in the mic now may be its echo, which the guard
   * cannot tell until it has heard a little more of it.
   */
  settling(nowMs: number): boolean {
    if (this.lagFrames !== null || this.noEchoPath || this.voiceStartMs === null || nowMs < this.voiceStartMs) return false;
    return nowMs - this.voiceStartMs < SETTLE_MS || this.candidate !== null;
  }

  /**
   * No delay is known and the mic has stayed quiet where even a -30 dB echo of the avatar's loud
   * voice would have been heard, at every plausible delay, for NO_ECHO_PATH_FRAMES: there is no
   * echo path (headphones). A delay learned later (speakers after all) takes over.
   */
  get noEchoPath(): boolean {
    return this.lagFrames === null && this.quietUnderVoice >= NO_ECHO_PATH_FRAMES;
  }

  private countQuietUnderVoice(from: number, to: number): void {
    if (this.lagFrames !== null || this.quietUnderVoice >= NO_ECHO_PATH_FRAMES) return;
    for (let f = Math.max(0, from); f < to; f++) {
      if (this.mic.rms(f) >= this.micFloor) continue;
      let loud = 0;
      for (let lag = PATH_LAGS.from; lag <= PATH_LAGS.to; lag++) if (this.ref.rms(f - lag) * MINUS_30_DB >= this.micFloor) loud++;
      // the avatar's voice was loud at most delays: an echo, if there were one, would be here
      if (loud >= 0.8 * (PATH_LAGS.to - PATH_LAGS.from + 1)) this.quietUnderVoice++;
    }
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
      if (m < this.micFloor) continue;
      total += m;
      user += Math.max(0, m - this.predictedEcho(f));
    }
    return total === 0 ? 1 : user / total;
  }

  /** The mic's 10 ms levels over [fromMs, toMs) beyond the predicted echo (the user's part), and the room's floor. */
  userLevels(fromMs: number, toMs: number): { levels: number[]; floor: number } {
    const levels: number[] = [];
    for (let f = Math.floor(fromMs / FRAME_MS); f < Math.ceil(toMs / FRAME_MS); f++) if (this.mic.has(f)) levels.push(Math.max(0, this.mic.rms(f) - this.predictedEcho(f)));
    return { levels, floor: this.micFloor };
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

  /**
   * A sound that the avatar's echo does not explain has just started in the mic: its last complete
   * ONSET_FRAMES frames are louder, beyond the predicted echo, than ONSET_OVER_QUIET times the
   * room's quiet level (the quietest recent frame), and a frame shortly before them was not. Much
   * faster than a VAD on a breathy or voiceless onset (は, ち, s): the avatar can be ducked at once.
   */
  userOnset(): boolean {
    const last = this.lastMicFrame - 1;
    const threshold = Math.max(ONSET_MIN, ONSET_OVER_QUIET * this.quietLevel(last));
    const loud = (f: number) => this.mic.rms(f) - this.predictedEcho(f) >= threshold;
    for (let f = last - ONSET_FRAMES + 1; f <= last; f++) if (!loud(f)) return false;
    for (let f = last - ONSET_FRAMES - ONSET_RISE_FRAMES + 1; f <= last - ONSET_FRAMES; f++) if (this.mic.has(f) && !loud(f)) return true;
    return false;
  }

  /**
   * When (ms) a sound the echo does not explain first began in [fromMs, toMs): the first of
   * ONSET_FRAMES frames in a row that `userOnset` would hear as one. Null when there is none.
   */
  userOnsetIn(fromMs: number, toMs: number): number | null {
    let run = 0;
    for (let f = Math.floor(fromMs / FRAME_MS); f < Math.ceil(toMs / FRAME_MS); f++) {
      const threshold = Math.max(ONSET_MIN, ONSET_OVER_QUIET * this.quietLevel(f));
      run = this.mic.has(f) && this.mic.rms(f) - this.predictedEcho(f) >= threshold ? run + 1 : 0;
      if (run === ONSET_FRAMES) return (f - ONSET_FRAMES + 1) * FRAME_MS;
    }
    return null;
  }

  /** The quietest 10 ms mic level heard before `frame` (within what is kept). */
  private quietLevel(frame: number): number {
    let q = Number.POSITIVE_INFINITY;
    const keep = Math.ceil((this.opts.windowMs + this.opts.maxLagMs) / FRAME_MS);
    for (let f = frame - keep; f < frame - ONSET_FRAMES; f++) if (this.mic.has(f)) q = Math.min(q, this.mic.rms(f));
    return Number.isFinite(q) ? q : 0;
  }

  private heardAnything(fromMs: number, toMs: number): boolean {
    for (let f = Math.floor(fromMs / FRAME_MS); f < Math.ceil(toMs / FRAME_MS); f++) if (this.mic.rms(f) >= this.micFloor) return true;
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
    // the mic before the avatar's voice started holds no echo of it (but maybe the user's question)
    const voiceStart = this.voiceStartMs === null ? Number.NEGATIVE_INFINITY : Math.floor(this.voiceStartMs / FRAME_MS);
    const start = Math.max(end - Math.round(this.opts.windowMs / FRAME_MS), voiceStart);
    if (end - start < MIN_ACTIVE_FRAMES) return;
    const m = [];
    for (let f = start; f < end; f++) m.push(this.mic.rms(f));
    const best = this.bestLag(m, start, end);
    const fit = best.lag < 0 ? null : echoFit(m, best.r, best.gain, this.micFloor);
    // no clear echo: someone else is talking too, or the mic is silent where the echo would be heard
    const clear = fit !== null && best.corr >= this.opts.minCorrelation && fitResidual(m, best.r, best.gain) <= MAX_RESIDUAL && fit.audible >= MIN_AUDIBLE_FRAMES && fit.missed / fit.audible <= MAX_MISSED;
    if (!clear) {
      this.candidate = null;
      return;
    }
    if (this.lagFrames === null && !this.confirms(best.lag, start, end, fit.heardAt)) return;
    if (this.lagFrames === null || best.lag === this.lagFrames || best.corr > this.lastCorr + 0.05) {
      this.lastCorr = best.corr;
      this.lagFrames = best.lag;
      this.gain = this.gain === 0 ? best.gain : 0.7 * this.gain + 0.3 * best.gain;
    }
  }

  /**
   * A first delay is taken only when a later window, with at least MIN_AUDIBLE_FRAMES more of the
   * echo heard where predicted, finds it again: one burst of the user's that happens to follow one
   * burst of the avatar's (a うん after its はい) fits once, and nothing after it confirms it.
   */
  private confirms(lag: number, start: number, end: number, heardAt: number[]): boolean {
    const c = this.candidate;
    if (!c || Math.abs(c.lag - lag) > 1) {
      this.candidate = { lag, endFrame: end };
      return false;
    }
    if (heardAt.filter((i) => start + i >= c.endFrame).length < MIN_AUDIBLE_FRAMES) return false;
    this.candidate = null;
    return true;
  }

  /** The delay whose playback loudness correlates best with the mic's over [start, end). */
  private bestLag(m: number[], start: number, end: number): { lag: number; corr: number; gain: number; r: number[] } {
    const maxLag = Math.round(this.opts.maxLagMs / FRAME_MS);
    let best: { lag: number; corr: number; gain: number; r: number[] } = { lag: -1, corr: 0, gain: 0, r: [] };
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
    return best;
  }
}
