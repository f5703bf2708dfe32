import { describe, expect, it } from 'vitest';
import { startForSuite } from '@va/testkit/suite';
import { resample } from '../audio/resample.ts';
import { encodeWav, float32ToPcm16, pcm16ToFloat32 } from '@va/pipeline';
import { goForward } from '@va/testkit';
import { startWhisperStandin } from './server.ts';
import type { WhisperStandin } from './server.ts';

const GOFORWARD = goForward().pcm;

function form(wav: Uint8Array | string, fields: Record<string, string> = {}): FormData {
  const fd = new FormData();
  fd.append('file', new Blob([wav]), 'audio.wav');
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
}

/** Word error rate of `hyp` against `ref` (Levenshtein over words). */
function wer(ref: string, hyp: string): number {
  const r = ref.toLowerCase().match(/[a-z']+/g) ?? [];
  const h = hyp.toLowerCase().match(/[a-z']+/g) ?? [];
  const d = Array.from({ length: r.length + 1 }, (_, i) => [i, ...Array<number>(h.length).fill(0)]);
  for (let j = 1; j <= h.length; j++) d[0]![j] = j;
  for (let i = 1; i <= r.length; i++)
    for (let j = 1; j <= h.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1));
  return d[r.length]![h.length]! / r.length;
}

describe('whisper.cpp stand-in', () => {
  let w: WhisperStandin;
  startForSuite(() => startWhisperStandin({ port: 0 }), (s) => (w = s));
  const post = (body: FormData | string, headers?: Record<string, string>): Promise<Response> =>
    fetch(`${w.url}/inference`, { method: 'POST', body, ...(headers ? { headers } : {}) });

  it('transcribes real speech as json with whisper quirks and headers', async () => {
    const res = await post(form(encodeWav(GOFORWARD, 16_000), { response_format: 'json', model: 'ignored' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('server')).toBe('whisper.cpp');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(Number(res.headers.get('x-standin-compute-ms'))).toBeGreaterThan(0);
    const body = (await res.json()) as { text: string };
    expect(body.text.startsWith(' ')).toBe(true);
    expect(body.text.endsWith('\n')).toBe(true);
    expect(wer('go forward ten meters', body.text)).toBeLessThanOrEqual(0.25);
  });

  it('accepts 44.1 kHz stereo WAV (resampled and down-mixed)', async () => {
    const mono = resample(pcm16ToFloat32(GOFORWARD), 16_000, 44_100);
    const stereo = new Float32Array(mono.length * 2);
    for (let i = 0; i < mono.length; i++) stereo[2 * i] = stereo[2 * i + 1] = mono[i]!;
    const wav = encodeWav(float32ToPcm16(stereo), 44_100, 2);
    const res = await post(form(wav, { response_format: 'text' }));
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(wer('go forward ten meters', await res.text())).toBeLessThanOrEqual(0.25);
  });

  it('a second or more of silence or faint noise is [BLANK_AUDIO], as whisper.cpp models write it; suppress_non_speech and short clips give ""', async () => {
    const quiet = new Int16Array(24_000);
    let x = 3;
    for (let i = 0; i < quiet.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      quiet[i] = ((x >>> 16) % 200) - 100; // about -50 dBFS of noise
    }
    const text = async (pcm: Int16Array, fields: Record<string, string> = {}) => ((await (await post(form(encodeWav(pcm, 16_000), fields))).json()) as { text: string }).text;
    expect(await text(quiet)).toBe(' [BLANK_AUDIO]\n');
    expect(await text(quiet, { suppress_non_speech: 'true' })).toBe('');
    expect(await text(quiet.subarray(0, 8000))).toBe('');
    const res = await post(form(encodeWav(quiet, 16_000), { response_format: 'verbose_json' }));
    const body = (await res.json()) as { segments: Array<{ text: string }> };
    expect(body.segments.map((s) => s.text)).toEqual([' [BLANK_AUDIO]']);
    // speech is transcribed as ever
    expect(wer('go forward ten meters', await text(GOFORWARD))).toBeLessThanOrEqual(0.25);
  });

  it('verbose_json has segments and language keys unless disabled', async () => {
    const wav = encodeWav(GOFORWARD, 16_000);
    const v = (await (await post(form(wav, { response_format: 'verbose_json' }))).json()) as Record<string, unknown>;
    expect(v['task']).toBe('transcribe');
    expect(v['language']).toBe('english');
    expect(v['duration']).toBeCloseTo(GOFORWARD.length / 16_000, 2);
    const seg = (v['segments'] as Array<Record<string, unknown>>)[0]!;
    for (const k of ['id', 'text', 'start', 'end', 'tokens', 'words', 'temperature', 'avg_logprob', 'no_speech_prob']) {
      expect(seg).toHaveProperty(k);
    }
    expect(v).toHaveProperty('language_probabilities');
    const v2 = (await (
      await post(form(wav, { response_format: 'verbose_json', no_language_probabilities: 'true' }))
    ).json()) as Record<string, unknown>;
    expect(v2).not.toHaveProperty('language_probabilities');
  });

  it('reproduces the error quirks', async () => {
    const noFile = new FormData();
    noFile.append('response_format', 'json');
    let res = await post(noFile);
    expect([res.status, await res.text(), res.headers.get('content-type')]).toEqual([400, 'Invalid request', 'text/plain']);
    res = await post(form('this is not audio at all'));
    expect([res.status, await res.text()]).toEqual([400, 'Invalid request']);
    res = await post(form(encodeWav(GOFORWARD, 16_000), { temperature: 'warm' }));
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/^500 Internal Server Error/);
    res = await fetch(`${w.url}/nope`);
    expect([res.status, await res.text()]).toEqual([404, 'File Not Found (/nope)']);
    res = await fetch(`${w.url}/inference`, { method: 'OPTIONS' });
    expect([res.status, await res.text()]).toEqual([200, '']);
  });

  it('health, reload mode and status fault in whisper shape', async () => {
    expect(await (await fetch(`${w.url}/health`)).json()).toEqual({ status: 'ok' });
    w.setReloading(true);
    const r = await fetch(`${w.url}/health`);
    expect([r.status, await r.text()]).toEqual([404, 'File Not Found (/health)']);
    w.setReloading(false);
    w.setFault({ kind: 'status', status: 500, times: 1 });
    const f = await post(form(encodeWav(GOFORWARD, 16_000)));
    expect(f.status).toBe(500);
    expect(Object.keys((await f.json()) as object)).toEqual(['error']);
    expect((await post(form(encodeWav(GOFORWARD, 16_000)))).status).toBe(200);
  });

  it('decodes a growing utterance incrementally: only the new audio, same words as a cold decode', async () => {
    await (await post(form(encodeWav(GOFORWARD.subarray(8000, 9000), 16_000)))).text(); // reset the utterance
    const cold = await post(form(encodeWav(GOFORWARD, 16_000)));
    const coldMs = Number(cold.headers.get('x-standin-compute-ms'));
    const coldText = ((await cold.json()) as { text: string }).text;
    // Restart the utterance with a different prefix, then grow it in 300 ms steps like the app does.
    const step = 4_800;
    const partialMs: number[] = [];
    let last = '';
    const before = w.stats()['incrementalDecodes']!;
    for (let n = step; n < GOFORWARD.length + step; n += step) {
      const r = await post(form(encodeWav(GOFORWARD.subarray(0, Math.min(n, GOFORWARD.length)), 16_000)));
      partialMs.push(Number(r.headers.get('x-standin-compute-ms')));
      last = ((await r.json()) as { text: string }).text;
    }
    expect(w.stats()['incrementalDecodes']! - before).toBe(partialMs.length - 1);
    expect(last).toBe(coldText);
    // (how much faster incremental decoding is belongs to the benchmark, not to a timed test)
    expect(coldMs).toBeGreaterThan(0);
  });

  it('a bounded search (maxActiveHmms, as the benchmark runs it) still recognises the speech', async () => {
    const bounded = await startWhisperStandin({ port: 0, maxActiveHmms: 3000 });
    try {
      const r = await fetch(`${bounded.url}/inference`, { method: 'POST', body: form(encodeWav(GOFORWARD, 16_000)) });
      expect(r.status).toBe(200);
      expect(wer('go forward ten meters', ((await r.json()) as { text: string }).text)).toBe(0);
    } finally {
      await bounded.close();
    }
  });

  it('serialises concurrent requests and honours latencyMs', async () => {
    const slow = await startWhisperStandin({ port: 0, latencyMs: 400 });
    try {
      const wav = encodeWav(GOFORWARD.subarray(0, 8000), 16_000);
      const t0 = performance.now();
      const done: number[] = [];
      await Promise.all(
        [0, 1].map(async () => {
          const r = await fetch(`${slow.url}/inference`, { method: 'POST', body: form(wav) });
          await r.text();
          done.push(performance.now() - t0);
        }),
      );
      done.sort((a, b) => a - b);
      expect(done[0]!).toBeGreaterThanOrEqual(390);
      expect(done[1]!).toBeGreaterThanOrEqual(790);
    } finally {
      await slow.close();
    }
  });
});
