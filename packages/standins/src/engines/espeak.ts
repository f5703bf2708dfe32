import { spawn } from 'node:child_process';
import { resample } from '../audio/resample.ts';
import { float32ToPcm16 } from '@va/pipeline/audio-codec';
import { decodeWavMono } from '../audio/wav.ts';

export interface Speech {
  sampleRate: number;
  pcm: Int16Array;
  computeMs: number;
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/;

/** espeak-ng voice for a text: `ja` when it contains kana or kanji, else `en-us`. */
export function voiceFor(text: string): string {
  return JAPANESE.test(text) ? 'ja' : 'en-us';
}

/**
 * Synthesises `text` with the espeak-ng binary (text passed on stdin, never through a shell),
 * resampled from espeak's 22050 Hz to `sampleRate`. `speed` scales espeak's 175 words/minute.
 */
export async function synthesize(
  text: string,
  opts: { sampleRate: number; voice?: string; speed?: number; signal?: AbortSignal },
): Promise<Speech> {
  const t0 = performance.now();
  const wpm = Math.round(Math.min(500, Math.max(80, 175 * (opts.speed ?? 1))));
  const args = ['--stdout', '-v', opts.voice ?? voiceFor(text), '-s', String(wpm), '--stdin'];
  const wav = await new Promise<Buffer>((resolve, reject) => {
    const proc = spawn('espeak-ng', args, { stdio: ['pipe', 'pipe', 'pipe'], signal: opts.signal });
    const out: Buffer[] = [];
    let err = '';
    proc.stdout.on('data', (d: Buffer) => out.push(d));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    proc.on('error', (e) =>
      reject((e as NodeJS.ErrnoException).code === 'ENOENT' ? new Error('espeak-ng not found: install the Debian package espeak-ng') : e),
    );
    proc.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`espeak-ng exited ${code}: ${err.trim()}`))));
    proc.stdin.on('error', () => undefined);
    proc.stdin.end(text.replace(/\s+/g, ' '), 'utf8');
  });
  const decoded = decodeWavMono(wav);
  const pcm = float32ToPcm16(resample(decoded.samples, decoded.sampleRate, opts.sampleRate));
  return { sampleRate: opts.sampleRate, pcm, computeMs: performance.now() - t0 };
}

/** Splits text at sentence punctuation (Latin and CJK), keeping the punctuation. */
export function splitSentences(text: string): string[] {
  const parts = text.match(/[^.!?。！？\n]+(?:[.!?。！？]+|\n|$)/g) ?? [];
  return parts.map((s) => s.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));
}
