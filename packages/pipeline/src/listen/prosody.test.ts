import { execFileSync } from 'node:child_process';
import { hasJapaneseSpeechFixtures, japaneseSpeech } from '@va/testkit';
import { describe, expect, it } from 'vitest';
import { decodeWavMono } from '../audio/wav.ts';
import { finalContour, intonationOf, trackPitch } from './prosody.ts';

const RATE = 16_000;

/** A voiced buzz (a pulse-like sum of harmonics) whose f0 glides from `f0a` to `f0b` Hz over `ms`. */
function glide(f0a: number, f0b: number, ms: number): Int16Array {
  const n = Math.round((ms * RATE) / 1000);
  const out = new Int16Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const f0 = f0a * (f0b / f0a) ** (i / n);
    phase += (2 * Math.PI * f0) / RATE;
    let s = 0;
    for (let h = 1; h <= 8; h++) s += Math.sin(h * phase) / h;
    out[i] = Math.round(s * 6000);
  }
  return out;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const semitones = (a: number, b: number) => 12 * Math.log2(b / a);
const voicedF0 = (pcm: Int16Array) => trackPitch(pcm).flatMap((f) => (f.f0 === null ? [] : [f.f0]));

describe('trackPitch', () => {
  it('finds the fundamental of a steady voice within 2%, and nothing in silence', () => {
    for (const f0 of [90, 140, 220, 330]) expect(Math.abs(median(voicedF0(glide(f0, f0, 300))) / f0 - 1)).toBeLessThan(0.02);
    expect(voicedF0(new Int16Array(RATE / 2))).toHaveLength(0);
  });
});

describe('finalContour / intonationOf', () => {
  it('a glide down three semitones over the end is a fall, up three a rise, steady is level', () => {
    const down = finalContour(glide(150, 150 * 2 ** (-3 / 12), 400));
    const up = finalContour(glide(150, 150 * 2 ** (3 / 12), 400));
    expect(down!.slope).toBeLessThan(-5);
    expect(up!.slope).toBeGreaterThan(5);
    expect(intonationOf(down)).toBe('fall');
    expect(intonationOf(up)).toBe('rise');
    expect(intonationOf(finalContour(glide(150, 150, 400)))).toBe('level');
  });

  it('too little voicing says nothing', () => {
    expect(finalContour(glide(150, 150, 50))).toBeNull();
    expect(intonationOf(null)).toBeNull();
  });
});

/** espeak-ng speech at 16 kHz (`-p`: the voice's pitch, 0-99). */
function espeak(text: string, pitch = 50): Int16Array {
  const wav = execFileSync('espeak-ng', ['-v', 'en-us', '-p', String(pitch), '--stdout', text]);
  const { sampleRate, pcm } = decodeWavMono(new Uint8Array(wav));
  expect(sampleRate).toBe(22_050);
  return resample(pcm, sampleRate);
}

function resample(pcm: Int16Array, from: number): Int16Array {
  const out = new Int16Array(Math.floor((pcm.length * RATE) / from));
  for (let i = 0; i < out.length; i++) {
    const x = (i * from) / RATE;
    const j = Math.floor(x);
    out[i] = Math.round((pcm[j] ?? 0) * (1 - (x - j)) + (pcm[j + 1] ?? 0) * (x - j));
  }
  return out;
}

describe('pitch of real speech', () => {
  it('English (espeak-ng): a higher voice setting measures higher, by a plausible interval', () => {
    const low = median(voicedF0(espeak('The parking lot is full today.', 20)));
    const high = median(voicedF0(espeak('The parking lot is full today.', 80)));
    expect(low).toBeGreaterThan(70);
    expect(high).toBeLessThan(300);
    expect(semitones(low, high)).toBeGreaterThan(2);
  });

  it.skipIf(!hasJapaneseSpeechFixtures())('Japanese (Open JTalk): a voice four semitones up measures about four semitones up', async () => {
    const text = '駐車場は何台とめられますか。';
    const base = await japaneseSpeech(text, { sampleRate: RATE });
    const up = await japaneseSpeech(text, { sampleRate: RATE, pitchSemitones: 4 });
    const shift = semitones(median(voicedF0(base.pcm)), median(voicedF0(up.pcm)));
    expect(shift).toBeGreaterThan(3);
    expect(shift).toBeLessThan(5);
  });
});
