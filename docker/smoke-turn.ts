/**
 * One voice turn over the app's real WebSocket protocol, for the compose smoke test
 * (scripts/compose-smoke.sh). Runs inside the app image (ws, opusscript and @va/protocol are there):
 *
 *   node --import tsx docker/smoke-turn.ts --url ws://127.0.0.1:3000 [--token T]
 *        [--audio speech.wav | speech.raw (16 kHz s16le mono)] [--tts-url http://tts:8080] [--text "..."]
 *        [--expect "forward"] [--timeout-ms 90000]
 *
 * Speech: the given recording, else a sentence synthesised by the stack's TTS server (`--tts-url`,
 * Fish Speech API). It is resampled to 48 kHz, Opus-encoded at 32 kbps in 20 ms packets like the
 * browser, and sent in real time, followed by 1.2 s of silence and `audio.end`.
 * Passes when `transcript.final` arrives and then at least one TTS Opus frame. Prints one JSON line
 * with the timings; exit 0 = pass, 1 = fail.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import OpusScript from 'opusscript';
import WebSocket from 'ws';
import { FrameKind, MIC_AUDIO, PROTOCOL_VERSION, decodeFrame, encodeFrame } from '@va/protocol';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const url = args.get('url') ?? `ws://127.0.0.1:${process.env['PORT'] ?? 3000}`;
const token = args.get('token') ?? process.env['APP_TOKEN'] ?? 'local-dev-token-change-me';
const timeoutMs = Number(args.get('timeout-ms') ?? 90_000);
const expect = args.get('expect')?.toLowerCase();
const RATE = MIC_AUDIO.sampleRate;
const FRAME = (RATE * MIC_AUDIO.frameMs) / 1000;

function parseWav(bytes: Buffer): { pcm: Int16Array; rate: number } {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let off = 12;
  let rate = 0;
  let channels = 1;
  let bits = 16;
  while (off + 8 <= bytes.length) {
    const id = bytes.toString('ascii', off, off + 4);
    const size = bytes.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = bytes.readUInt16LE(off + 10);
      rate = bytes.readUInt32LE(off + 12);
      bits = bytes.readUInt16LE(off + 22);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`need 16-bit PCM, got ${bits}-bit`);
      const end = Math.min(bytes.length, off + 8 + size);
      const frames = Math.floor((end - off - 8) / (2 * channels));
      const pcm = new Int16Array(frames);
      for (let i = 0; i < frames; i++) pcm[i] = bytes.readInt16LE(off + 8 + i * 2 * channels);
      return { pcm, rate };
    }
    off += 8 + size + (size & 1);
  }
  throw new Error('WAV has no data chunk');
}

/** Linear-interpolation resampler: plenty for a smoke test's speech input. */
function resample(pcm: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return pcm;
  const out = new Int16Array(Math.floor((pcm.length * to) / from));
  for (let i = 0; i < out.length; i++) {
    const x = (i * from) / to;
    const i0 = Math.floor(x);
    const a = pcm[i0] ?? 0;
    const b = pcm[i0 + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - i0));
  }
  return out;
}

async function loadSpeech(): Promise<{ pcm: Int16Array; source: string }> {
  const file = args.get('audio');
  if (file) {
    const bytes = readFileSync(file);
    if (file.endsWith('.raw')) {
      const pcm = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.byteLength & ~1)));
      return { pcm: resample(pcm, 16_000, RATE), source: file };
    }
    const { pcm, rate } = parseWav(bytes);
    return { pcm: resample(pcm, rate, RATE), source: file };
  }
  const ttsUrl = args.get('tts-url') ?? 'http://tts:8080';
  const text = args.get('text') ?? 'What does the document say about the opening hours?';
  const res = await fetch(`${ttsUrl}/v1/tts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text, format: 'wav', streaming: false }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!res.ok) throw new Error(`TTS ${ttsUrl} answered ${res.status}`);
  const { pcm, rate } = parseWav(Buffer.from(await res.arrayBuffer()));
  return { pcm: resample(pcm, rate, RATE), source: `${ttsUrl}/v1/tts "${text}"` };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const { pcm: speech, source } = await loadSpeech();
  const silence = new Int16Array(Math.round(RATE * 1.2));
  const lead = new Int16Array(Math.round(RATE * 0.3));
  const pcm = new Int16Array(lead.length + speech.length + silence.length);
  pcm.set(lead, 0);
  pcm.set(speech, lead.length);
  pcm.set(silence, lead.length + speech.length);

  const enc = new OpusScript(RATE, 1, OpusScript.Application.VOIP);
  enc.setBitrate(32_000);
  const sessionId = randomUUID();
  const ws = new WebSocket(`${url.replace(/\/$/, '')}/ws/session/${sessionId}`);
  ws.binaryType = 'nodebuffer';
  const t0 = Date.now();
  const at: Record<string, number> = {};
  const events: string[] = [];
  let transcript = '';
  let speechEndAt = 0;
  let ttsFrames = 0;

  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms; events: ${events.join(',')}`)), timeoutMs);
    ws.on('error', (err) => reject(err));
    ws.on('close', (code, reason) => reject(new Error(`socket closed ${code} ${reason.toString()}; events: ${events.join(',')}`)));
    ws.on('message', (data, isBinary) => {
      const now = Date.now() - t0;
      if (isBinary) {
        const frame = decodeFrame(new Uint8Array(data as Buffer));
        if (frame.kind === FrameKind.ttsOpus) {
          ttsFrames++;
          if (at['tts_audio'] === undefined) at['tts_audio'] = now;
          if (at['transcript.final'] !== undefined) {
            clearTimeout(timer);
            resolve();
          }
        }
        return;
      }
      const msg = JSON.parse(String(data)) as { type: string; text?: string; code?: string; message?: string };
      events.push(msg.type);
      if (at[msg.type] === undefined) at[msg.type] = now;
      if (msg.type === 'transcript.final') transcript = msg.text ?? '';
      if (msg.type === 'error') process.stderr.write(`server error: ${JSON.stringify(msg)}\n`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', protocol_version: PROTOCOL_VERSION, token, client: { name: 'compose-smoke', version: '1' }, language: 'en' }));
  while (at['ready'] === undefined) {
    if (Date.now() - t0 > 10_000) throw new Error(`no "ready" after hello; events: ${events.join(',')}`);
    await sleep(10);
  }
  // Real-time pacing, like a microphone.
  const start = Date.now();
  for (let i = 0, seq = 0; i + FRAME <= pcm.length; i += FRAME, seq++) {
    const chunk = pcm.subarray(i, i + FRAME);
    const packet = enc.encode(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), FRAME);
    ws.send(encodeFrame({ kind: FrameKind.micOpus, flags: 0, segment: 0, seq, payload: new Uint8Array(packet) }));
    if (i >= lead.length + speech.length && speechEndAt === 0) speechEndAt = Date.now() - t0;
    const due = start + ((seq + 1) * MIC_AUDIO.frameMs);
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
  }
  if (at['transcript.final'] === undefined) ws.send(JSON.stringify({ type: 'audio.end' }));
  try {
    await done;
  } finally {
    ws.removeAllListeners('close');
    ws.close();
    enc.delete();
  }
  const ok = !expect || transcript.toLowerCase().includes(expect);
  const rel = (k: string): number | null => (at[k] === undefined ? null : at[k]! - speechEndAt);
  process.stdout.write(
    `${JSON.stringify({
      ok,
      speech: source,
      speech_ms: Math.round((speech.length / RATE) * 1000),
      transcript,
      expect: expect ?? null,
      after_speech_end_ms: { final: rel('transcript.final'), first_delta: rel('assistant.delta'), tts_start: rel('tts.start'), tts_audio: rel('tts_audio') },
      tts_frames_seen: ttsFrames,
      events: [...new Set(events)],
    })}\n`,
  );
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  process.stderr.write(`smoke turn FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
