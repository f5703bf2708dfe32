import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { decodeWavMono } from '@va/pipeline/audio-codec';

/**
 * Japanese speech with the Debian `open_jtalk` binary (packages open-jtalk,
 * open-jtalk-mecab-naist-jdic, hts-voice-nitech-jp-atr503-m001 from contrib).
 * Runs without a shell in a private temp dir; the text goes in a file, never on the command line.
 */

export interface OpenJTalkConfig {
  binary: string;
  /** MeCab dictionary directory (naist-jdic). */
  dictionary: string;
  /** HTS voice file (.htsvoice). */
  voice: string;
}

export const OPEN_JTALK_DEFAULTS: OpenJTalkConfig = {
  binary: 'open_jtalk',
  dictionary: '/var/lib/mecab/dic/open-jtalk/naist-jdic',
  voice: '/usr/share/hts-voice/nitech-jp-atr503-m001/nitech_jp_atr503_m001.htsvoice',
};

const EnvSchema = z.object({
  OPEN_JTALK_BIN: z.string().min(1).optional(),
  OPEN_JTALK_DIC: z.string().min(1).optional(),
  OPEN_JTALK_VOICE: z.string().min(1).optional(),
});

/** Paths from OPEN_JTALK_BIN / OPEN_JTALK_DIC / OPEN_JTALK_VOICE, else the Debian locations. */
export function openJTalkConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OpenJTalkConfig {
  const e = EnvSchema.parse(env);
  return {
    binary: e.OPEN_JTALK_BIN ?? OPEN_JTALK_DEFAULTS.binary,
    dictionary: e.OPEN_JTALK_DIC ?? OPEN_JTALK_DEFAULTS.dictionary,
    voice: e.OPEN_JTALK_VOICE ?? OPEN_JTALK_DEFAULTS.voice,
  };
}

export class OpenJTalkNotInstalledError extends Error {
  constructor(what: string) {
    super(
      `Open JTalk is not installed (${what}): install the Debian packages open-jtalk, open-jtalk-mecab-naist-jdic ` +
        'and hts-voice-nitech-jp-atr503-m001 (contrib), or set OPEN_JTALK_BIN / OPEN_JTALK_DIC / OPEN_JTALK_VOICE',
    );
    this.name = 'OpenJTalkNotInstalledError';
  }
}

/** True when the dictionary and voice files exist (the binary is checked when it is run). */
export function hasOpenJTalk(config: OpenJTalkConfig = openJTalkConfigFromEnv()): boolean {
  return existsSync(join(config.dictionary, 'sys.dic')) && existsSync(config.voice);
}

export interface PhonemeLabel {
  /** Open JTalk phoneme: a i u e o (A I U E O devoiced), N, cl, pau, sil, consonants (k, sh, ry, ...). */
  phoneme: string;
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
}

export interface JapaneseSpeech {
  /** As Open JTalk produces it (48000 for the nitech voice). */
  sampleRate: number;
  pcm: Int16Array;
  labels: PhonemeLabel[];
  computeMs: number;
}

export interface OpenJTalkOptions {
  signal?: AbortSignal;
  /** Speech rate (Open JTalk `-r`), 1 = the voice's own. */
  speed?: number;
  /** Pitch shift in semitones (Open JTalk `-fm`), 0 = the voice's own. */
  pitchSemitones?: number;
  /**
   * Frequency-warping all-pass constant (Open JTalk `-a`; the nitech voice's own is 0.55). Lower
   * moves the formants up (a shorter vocal tract), higher moves them down.
   */
  allPass?: number;
  config?: OpenJTalkConfig;
}

const LABEL_LINE = /^(\d+)\s+(\d+)\s+[^-\s]*-([^+\s]+)\+/;

/** Phoneme timing from an `-ot` trace: the lines of its "[Output label]" section (times in 100 ns). */
export function parseTraceLabels(trace: string): PhonemeLabel[] {
  const lines = trace.split(/\r?\n/);
  const from = lines.findIndex((l) => l.trim() === '[Output label]');
  if (from < 0) return [];
  const labels: PhonemeLabel[] = [];
  for (const line of lines.slice(from + 1)) {
    if (line.startsWith('[')) break;
    const m = LABEL_LINE.exec(line.trim());
    if (m) labels.push({ phoneme: m[3]!, start: Number(m[1]) / 1e7, end: Number(m[2]) / 1e7 });
  }
  return labels;
}

/** open_jtalk reads one line of at most 1024 bytes: longer texts go in pieces cut at punctuation. */
export function pieceTextForOpenJTalk(text: string, maxBytes = 900): string[] {
  const oneLine = text.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();
  if (Buffer.byteLength(oneLine) <= maxBytes) return oneLine ? [oneLine] : [];
  const clauses = oneLine.match(/[^。！？!?、，,]+[。！？!?、，,]*|[。！？!?、，,]+/g) ?? [];
  const pieces: string[] = [];
  let cur = '';
  for (const clause of clauses.flatMap((c) => splitBytes(c, maxBytes))) {
    if (cur && Buffer.byteLength(cur + clause) > maxBytes) {
      pieces.push(cur);
      cur = '';
    }
    cur += clause;
  }
  if (cur.trim()) pieces.push(cur);
  return pieces.map((p) => p.trim()).filter(Boolean);
}

function splitBytes(s: string, maxBytes: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of s) {
    if (Buffer.byteLength(cur + ch) > maxBytes) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** True when Open JTalk has something to say (it fails on punctuation-only input). */
function speakable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/**
 * Synthesises Japanese `text` with Open JTalk: 16-bit mono PCM at the voice's rate (48 kHz) and the
 * phoneme timing of the audio. Text without letters or digits gives empty audio. Aborting the
 * signal kills the child process and rejects with the signal's reason.
 */
export async function synthesizeJapanese(text: string, opts: OpenJTalkOptions = {}): Promise<JapaneseSpeech> {
  const t0 = performance.now();
  const config = opts.config ?? openJTalkConfigFromEnv();
  checkInstalled(config);
  const pieces = pieceTextForOpenJTalk(text).filter(speakable);
  const dir = await mkdtemp(join(tmpdir(), 'va-openjtalk-'));
  try {
    const parts: { sampleRate: number; pcm: Int16Array; labels: PhonemeLabel[] }[] = [];
    for (const [i, piece] of pieces.entries()) {
      opts.signal?.throwIfAborted();
      parts.push(await runPiece(piece, join(dir, String(i)), config, opts));
    }
    return { ...concatParts(parts), computeMs: performance.now() - t0 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function checkInstalled(config: OpenJTalkConfig): void {
  if (!existsSync(join(config.dictionary, 'sys.dic'))) throw new OpenJTalkNotInstalledError(`no dictionary at ${config.dictionary}`);
  if (!existsSync(config.voice)) throw new OpenJTalkNotInstalledError(`no voice at ${config.voice}`);
}

async function runPiece(
  text: string,
  base: string,
  config: OpenJTalkConfig,
  opts: OpenJTalkOptions,
): Promise<{ sampleRate: number; pcm: Int16Array; labels: PhonemeLabel[] }> {
  const [input, wav, trace] = [`${base}.txt`, `${base}.wav`, `${base}.trace`];
  await writeFile(input, `${text}\n`, 'utf8');
  const speed = Math.min(4, Math.max(0.25, opts.speed ?? 1));
  const args = ['-x', config.dictionary, '-m', config.voice, '-r', speed.toFixed(3), '-ow', wav, '-ot', trace];
  if (opts.pitchSemitones) args.push('-fm', Math.min(24, Math.max(-24, opts.pitchSemitones)).toFixed(2));
  if (opts.allPass !== undefined) args.push('-a', Math.min(0.95, Math.max(0, opts.allPass)).toFixed(3));
  args.push(input);
  await runBinary(config.binary, args, opts.signal);
  const decoded = decodeWavMono(await readFile(wav));
  return { sampleRate: decoded.sampleRate, pcm: decoded.pcm, labels: parseTraceLabels(await readFile(trace, 'utf8')) };
}

function runBinary(binary: string, args: string[], signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'], signal, killSignal: 'SIGKILL' });
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-2000)));
    proc.on('error', (e) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') reject(new OpenJTalkNotInstalledError(`no binary ${binary}`));
      else reject(signal?.aborted ? signal.reason : e);
    });
    proc.on('close', (code) => (code === 0 ? resolve() : reject(signal?.aborted ? signal.reason : new Error(`open_jtalk exited ${code}: ${err.trim()}`))));
  });
}

function concatParts(parts: { sampleRate: number; pcm: Int16Array; labels: PhonemeLabel[] }[]): Omit<JapaneseSpeech, 'computeMs'> {
  const sampleRate = parts[0]?.sampleRate ?? 48_000;
  const pcm = new Int16Array(parts.reduce((n, p) => n + p.pcm.length, 0));
  const labels: PhonemeLabel[] = [];
  let offset = 0;
  for (const p of parts) {
    if (p.sampleRate !== sampleRate) throw new Error(`open_jtalk changed its sample rate (${p.sampleRate} != ${sampleRate})`);
    pcm.set(p.pcm, offset);
    const t = offset / sampleRate;
    for (const l of p.labels) labels.push({ phoneme: l.phoneme, start: l.start + t, end: l.end + t });
    offset += p.pcm.length;
  }
  return { sampleRate, pcm, labels };
}
