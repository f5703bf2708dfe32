/**
 * For heard-latency.e2e.test.ts: the looping fake-microphone WAV whose speech end is known, the
 * tap that finds each loop's speech onset on the page's capture clock, and the benchmark's server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { encodeWav, rms } from '@va/pipeline/audio-codec';
import { goForward, speechEndMs } from '@va/testkit';
import { execFileAsync, repoRoot } from './e2e-support.ts';

/** Chromium's fake capture device runs at 44.1 kHz: a 44.1 kHz file loops without a gap. */
export const WAV_RATE = 44_100;
/** RMS block of the onset detector: one render quantum. */
export const TAP_BLOCK = 128;
/** An onset: the first block above this fraction of the loudest block, after `QUIET_MS` below it. */
export const ONSET_FRACTION = 0.1;
const QUIET_MS = 600;

export interface LoopWav {
  path: string;
  /** Exact loop period (file length) in ms. */
  periodMs: number;
  /** File time (ms) where the speech ends: the benchmark's definition (testkit speechEndMs, last 20 ms window above 0.01 RMS). */
  speechEndMs: number;
  /** File time (ms) of the speech onset, found as the tap finds it in the capture. */
  onsetMs: number;
}

/** RMS of consecutive TAP_BLOCK-sample blocks. */
export function blockRms(pcm: Int16Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + TAP_BLOCK <= pcm.length; i += TAP_BLOCK) out.push(rms(pcm.subarray(i, i + TAP_BLOCK)));
  return out;
}

/**
 * Onsets in a series of (time ms, rms) blocks: the first block above ONSET_FRACTION of the loudest,
 * after at least QUIET_MS of blocks below it (the start of the series counts as quiet).
 */
export function findOnsets(times: number[], levels: number[]): number[] {
  const threshold = ONSET_FRACTION * levels.reduce((m, v) => Math.max(m, v), 0);
  const onsets: number[] = [];
  // the start of the series counts as quiet, however short (the tap starts with the microphone)
  let quietSince: number | null = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < levels.length; i++) {
    const t = times[i]!;
    if (levels[i]! >= threshold) {
      if (quietSince !== null && t - quietSince >= QUIET_MS) onsets.push(t);
      quietSince = null;
    } else quietSince ??= t;
  }
  return onsets;
}

/** "go forward ten meters" (pocketsphinx-testdata) after `leadMs` of silence, padded to `periodMs`, as a 44.1 kHz WAV. */
export async function makeLoopWav(dir: string, leadMs: number, periodMs: number): Promise<LoopWav> {
  const clip = goForward();
  const raw16 = join(dir, 'goforward-16k.raw');
  const raw44 = join(dir, 'goforward-44k.raw');
  writeFileSync(raw16, Buffer.from(clip.pcm.buffer, clip.pcm.byteOffset, clip.pcm.byteLength));
  const fmt = ['-e', 'signed', '-b', '16', '-c', '1'];
  await execFileAsync('sox', ['-t', 'raw', '-r', '16000', ...fmt, raw16, '-t', 'raw', '-r', String(WAV_RATE), ...fmt, raw44]);
  const bytes = readFileSync(raw44);
  const speech = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  const total = Math.round((periodMs / 1000) * WAV_RATE);
  const lead = Math.round((leadMs / 1000) * WAV_RATE);
  if (lead + speech.length >= total) throw new Error('loop period too short for the clip');
  const pcm = new Int16Array(total);
  pcm.set(speech, lead);
  const path = join(dir, 'loop-44k.wav');
  writeFileSync(path, encodeWav(pcm, WAV_RATE));
  const levels = blockRms(pcm);
  const onset = findOnsets(levels.map((_, i) => ((i * TAP_BLOCK + TAP_BLOCK / 2) / WAV_RATE) * 1000), levels)[0];
  if (onset === undefined) throw new Error('no speech onset found in the WAV');
  return { path, periodMs: (total / WAV_RATE) * 1000, speechEndMs: (lead / WAV_RATE) * 1000 + speechEndMs(clip.pcm), onsetMs: onset };
}

/**
 * Page init script: taps every microphone MediaStreamSource with an AudioWorklet that reports each
 * render quantum's RMS at its context time, converted to the page's capture clock
 * (`window.__captureClock`, audio-in/microphone.ts). Also keeps the context for its timing figures.
 */
export const micTapScript = (block: number) => {
  const w = window as unknown as Record<string, unknown>;
  const tap = { times: [] as number[], rms: [] as number[], error: null as string | null, ctx: null as AudioContext | null };
  w['__micTap'] = tap;
  const code = `class Tap extends AudioWorkletProcessor {
    constructor() { super(); this.buf = []; }
    process(inputs) {
      const ch = inputs[0] && inputs[0][0];
      if (ch && ch.length === ${block}) {
        let s = 0;
        for (let i = 0; i < ch.length; i++) s += ch[i] * ch[i];
        this.buf.push(currentTime + ${block / 2} / sampleRate, Math.sqrt(s / ch.length));
        if (this.buf.length >= 128) { this.port.postMessage(this.buf); this.buf = []; }
      }
      return true;
    }
  }
  registerProcessor('e2e-mic-tap', Tap);`;
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  const original = AudioContext.prototype.createMediaStreamSource;
  const install = (ctx: AudioContext, source: MediaStreamAudioSourceNode) => {
    tap.ctx = ctx;
    ctx.audioWorklet.addModule(url).then(
      () => {
        const node = new AudioWorkletNode(ctx, 'e2e-mic-tap', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
        node.port.onmessage = (e: MessageEvent<number[]>) => {
          const offset = (w['__captureClock'] as { perfMinusContextMs: number } | undefined)?.perfMinusContextMs;
          if (offset === undefined) return;
          for (let i = 0; i + 1 < e.data.length; i += 2) {
            tap.times.push(e.data[i]! * 1000 + offset);
            tap.rms.push(e.data[i + 1]!);
          }
        };
        const sink = ctx.createGain();
        sink.gain.value = 0;
        source.connect(node).connect(sink).connect(ctx.destination);
      },
      (e: unknown) => (tap.error = String(e)),
    );
  };
  AudioContext.prototype.createMediaStreamSource = function (this: AudioContext, stream: MediaStream) {
    const source = original.call(this, stream);
    install(this, source);
    return source;
  };
};

export interface BenchServer {
  child: ChildProcess;
  url: string;
  latencies: Record<string, number>;
  log(): string;
}

/**
 * The latency benchmark's system under test (apps/bench/src/bench-server.ts): stand-ins each in
 * a process of their own with the benchmark's latencies (STT 150, embedding 20, LLM 200 + 25 per
 * token, TTS 250 ms; the real servers' observed behaviours), a small ingested document, the app
 * with ENDPOINT_SILENCE_MS=480; it serves the built page too. Its process group is stopped with
 * stopServer().
 */
export async function startBenchServer(env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'apps/bench/src/bench-server.ts')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench server not ready after ${timeoutMs} ms:\n${log.slice(-4000)}`)), timeoutMs);
    lines.on('line', (line) => {
      log += `${line}\n`;
      if (line.startsWith('BENCH_READY ')) {
        clearTimeout(timer);
        resolve(line.slice('BENCH_READY '.length));
      }
    });
    child.once('exit', (code) => reject(new Error(`bench server exited (${code}):\n${log.slice(-4000)}`)));
  });
  const parsed = JSON.parse(ready) as { url: string; latencies: Record<string, number> };
  return { child, url: parsed.url, latencies: parsed.latencies, log: () => log };
}

/** What the test reads of each turn the page recorded (metrics/waterfall.ts TurnMetricsRecord). */
export interface PageTurn {
  turnId: string;
  source: 'voice' | 'text';
  start: string | null;
  totalMs: number | null;
  playoutMs: number | null;
  marks: { speechEndMs: number | null; endOfTurnMs: number | null; finalMs: number | null; firstPacketMs: number | null; firstAudioMs: number | null };
  server: Record<string, number | null> | null;
}

export interface HeardTurn {
  turnId: string;
  /** The fake microphone's speech end on the capture clock (performance.now()). */
  userStopMs: number;
  /** user stop -> first audible sample */
  stopToAudibleMs: number;
  /** first TTS packet received -> audible (the page's share) */
  clientShareMs: number;
  /** where the page put the speech end (the VAD's, mapped to the capture clock) minus the true end */
  vadEndOffsetMs: number;
  /** the page's own waterfall total (from the mapped VAD end) */
  pageTotalMs: number | null;
  marks: PageTurn['marks'];
  server: PageTurn['server'];
}

/**
 * Each voice turn against the loop whose speech ended last before the server's end of turn
 * reached the page: true end = that loop's onset on the capture clock + (end - onset) in the file.
 */
export function matchTurns(turns: PageTurn[], onsets: number[], wav: LoopWav): HeardTurn[] {
  const ends = onsets.map((o) => o + (wav.speechEndMs - wav.onsetMs));
  const out: HeardTurn[] = [];
  for (const t of turns) {
    const m = t.marks;
    if (t.source !== 'voice' || m.endOfTurnMs === null || m.firstAudioMs === null || m.firstPacketMs === null) continue;
    const end = ends.filter((e) => e <= m.endOfTurnMs!).at(-1);
    if (end === undefined || m.endOfTurnMs - end > wav.periodMs / 2) continue;
    out.push({
      turnId: t.turnId,
      userStopMs: end,
      stopToAudibleMs: m.firstAudioMs - end,
      clientShareMs: m.firstAudioMs - m.firstPacketMs,
      vadEndOffsetMs: m.speechEndMs === null ? Number.NaN : m.speechEndMs - end,
      pageTotalMs: t.totalMs,
      marks: m,
      server: t.server,
    });
  }
  return out;
}
