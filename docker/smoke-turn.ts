/**
 * One voice turn over the app's real WebSocket protocol, for the compose smoke test
 * (scripts/compose-smoke.sh). Runs inside the app image with the testkit's protocol client:
 *
 *   node --import tsx docker/smoke-turn.ts --url ws://127.0.0.1:3000 [--token T]
 *        [--audio speech.wav | speech.raw (16 kHz s16le mono)] [--tts-url http://tts:8080] [--text "..."]
 *        [--expect "forward"] [--timeout-ms 90000]
 *
 * Speech: the given recording, else a sentence synthesised by the stack's TTS server (`--tts-url`,
 * Fish Speech API). The client sends it like the browser (48 kHz Opus, 20 ms packets, real time),
 * followed by 1.2 s of silence and `audio.end`.
 * Passes when `transcript.final` arrives and then at least one TTS Opus frame. Prints one JSON line
 * with the timings; exit 0 = pass, 1 = fail.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { concatPcm, decodeWavMono, pcmFromBytes, resampleOnce } from '@va/pipeline';
import { VoiceClient } from '@va/testkit';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const url = args.get('url') ?? `ws://127.0.0.1:${process.env['PORT'] ?? 3000}`;
const token = args.get('token') ?? process.env['APP_TOKEN'] ?? 'local-dev-token-change-me';
const timeoutMs = Number(args.get('timeout-ms') ?? 90_000);
const expected = args.get('expect')?.toLowerCase();
const RATE = 16_000;

function wavTo16k(bytes: Uint8Array): Int16Array {
  const { sampleRate, pcm } = decodeWavMono(bytes);
  return resampleOnce(pcm, sampleRate, RATE);
}

async function loadSpeech(): Promise<{ pcm: Int16Array; source: string }> {
  const file = args.get('audio');
  if (file) {
    const bytes = readFileSync(file);
    return { pcm: file.endsWith('.raw') ? pcmFromBytes(bytes) : wavTo16k(bytes), source: file };
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
  return { pcm: wavTo16k(new Uint8Array(await res.arrayBuffer())), source: `${ttsUrl}/v1/tts "${text}"` };
}

async function main(): Promise<void> {
  const { pcm: speech, source } = await loadSpeech();
  const lead = new Int16Array(Math.round(RATE * 0.3));
  const client = await VoiceClient.connect(url.replace(/\/$/, ''), randomUUID(), token, { language: 'en', clientName: 'compose-smoke' });
  const t0 = performance.now();
  const firstAt = (type: Parameters<VoiceClient['eventsOf']>[0]): number | null => client.eventsOf(type)[0]?.at ?? null;
  try {
    await client.streamSpeech(concatPcm([lead, speech]));
    const speechEndAt = performance.now();
    await client.streamSpeech(new Int16Array(Math.round(RATE * 1.2)));
    if (client.eventsOf('transcript.final').length === 0) client.send({ type: 'audio.end' });
    const final = await client.waitFor('transcript.final', Math.max(1000, timeoutMs - (performance.now() - t0)));
    const audio = await client.waitForAudio(Math.max(1000, timeoutMs - (performance.now() - t0)), final.at);
    for (const e of client.eventsOf('error')) process.stderr.write(`server error: ${JSON.stringify(e.message)}\n`);
    const transcript = final.message.text;
    const ok = !expected || transcript.toLowerCase().includes(expected);
    const rel = (at: number | null): number | null => (at === null ? null : Math.round(at - speechEndAt));
    process.stdout.write(
      `${JSON.stringify({
        ok,
        speech: source,
        speech_ms: Math.round((speech.length / RATE) * 1000),
        transcript,
        expect: expected ?? null,
        after_speech_end_ms: { final: rel(final.at), first_delta: rel(firstAt('assistant.delta')), tts_start: rel(firstAt('tts.start')), tts_audio: rel(audio.at) },
        tts_frames_seen: client.audio.length,
        events: [...new Set(client.events.map((e) => e.message.type))],
      })}\n`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await client.close();
  }
}

main().then(
  () => process.exit(),
  (err: unknown) => {
    process.stderr.write(`smoke turn FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
