/**
 * A speech-like test signal for the avatar preview: a glottal buzz (sawtooth ~190 Hz) through two
 * formant band-pass filters that step through vowels, with a syllable-rate loudness envelope.
 */
const VOWEL_FORMANTS: Array<[number, number]> = [
  [850, 1400], // a
  [320, 2600], // i
  [350, 900], // u
  [500, 2100], // e
  [520, 900], // o
];

export interface SpeechSignal {
  output: AudioNode;
  stop(): void;
}

export function startSpeechSignal(ctx: AudioContext, seconds = 60): SpeechSignal {
  const t0 = ctx.currentTime + 0.02;
  const src = ctx.createOscillator();
  src.type = 'sawtooth';
  src.frequency.setValueAtTime(190, t0);
  const f1 = ctx.createBiquadFilter();
  const f2 = ctx.createBiquadFilter();
  for (const f of [f1, f2]) {
    f.type = 'bandpass';
    f.Q.value = 6;
  }
  const env = ctx.createGain();
  env.gain.setValueAtTime(0, t0);
  const mix = ctx.createGain();
  mix.gain.value = 2.5;
  src.connect(f1).connect(mix);
  src.connect(f2).connect(mix);
  mix.connect(env);
  const syllable = 0.22;
  for (let k = 0; k * syllable < seconds; k++) {
    const t = t0 + k * syllable;
    const [a, b] = VOWEL_FORMANTS[k % VOWEL_FORMANTS.length] ?? [700, 1200];
    f1.frequency.setValueAtTime(a, t);
    f2.frequency.setValueAtTime(b, t);
    src.frequency.setValueAtTime(170 + 40 * Math.sin(k * 0.7), t);
    const pause = k % 7 === 6;
    env.gain.setValueAtTime(0.0001, t);
    env.gain.linearRampToValueAtTime(pause ? 0.0001 : 1, t + 0.05);
    env.gain.linearRampToValueAtTime(pause ? 0.0001 : 0.7, t + syllable - 0.06);
    env.gain.linearRampToValueAtTime(0.0001, t + syllable);
  }
  src.start(t0);
  src.stop(t0 + seconds);
  return {
    output: env,
    stop() {
      env.gain.cancelScheduledValues(ctx.currentTime);
      env.gain.setValueAtTime(0, ctx.currentTime);
      try {
        src.stop();
      } catch {
        // already stopped
      }
      env.disconnect();
    },
  };
}
