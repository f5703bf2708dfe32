import { RATE, type Clip } from './clips.ts';

/** The microphone: placed speech on a timeline over a quiet room's noise floor (about -60 dBFS). */
export class MicTrack {
  private readonly placed: Array<{ startSample: number; pcm: Int16Array }> = [];
  private seed: number;

  constructor(name: string, private readonly noiseLevel = 0.001) {
    this.seed = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 2166136261) || 1;
  }

  /** `clip` starts playing into the mic at `offsetMs` (its own leading silence included). */
  place(clip: Clip, offsetMs: number): void {
    this.placed.push({ startSample: Math.round((offsetMs / 1000) * RATE), pcm: clip.pcm });
  }

  /** The mic signal of [fromMs, fromMs + ms) as floats in [-1, 1]. */
  render(fromMs: number, ms: number): Float32Array {
    const from = Math.round((fromMs / 1000) * RATE);
    const out = new Float32Array(Math.round((ms / 1000) * RATE));
    for (let i = 0; i < out.length; i++) out[i] = (this.random() * 2 - 1) * this.noiseLevel;
    for (const p of this.placed) {
      const start = Math.max(from, p.startSample);
      const end = Math.min(from + out.length, p.startSample + p.pcm.length);
      for (let at = start; at < end; at++) out[at - from]! += p.pcm[at - p.startSample]! / 32768;
    }
    return out;
  }

  /** xorshift32: the same noise for the same scenario on every run. */
  private random(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed / 4294967296;
  }
}
