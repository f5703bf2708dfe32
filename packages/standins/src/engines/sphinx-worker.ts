import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Mutex } from '../common/mutex.ts';
import { checkSphinxModel, DEFAULT_SPHINX_MODEL_DIR, ensureSphinxWorker } from './sphinx-build.ts';

export interface RecognizedWord {
  word: string;
  /** Seconds from the start of the audio (approximate: silence removal shifts frames). */
  start: number;
  end: number;
  /** Probability in [0, 1] derived from the segment's log probability. */
  probability: number;
}

export interface Recognition {
  text: string;
  words: RecognizedWord[];
  /** True when only the new tail of a growing utterance was decoded. */
  incremental: boolean;
  computeMs: number;
}

const FRAMES_PER_SECOND = 100;

/**
 * One long-lived pocketsphinx process (model loaded once). Requests are serialised (pool of one);
 * a request whose PCM extends the previous one is decoded incrementally by the worker.
 */
export class SphinxRecognizer {
  readonly #mutex = new Mutex();
  #proc: ChildProcessWithoutNullStreams | undefined;
  #buf = Buffer.alloc(0);
  #waiter: { resolve: (b: Buffer) => void; reject: (e: Error) => void } | undefined;
  #closed = false;
  decodes = 0;
  incrementalDecodes = 0;

  private constructor(
    private readonly binary: string,
    private readonly modelDir: string,
    private readonly extraArgs: readonly string[],
  ) {}

  /** `extraArgs`: further pocketsphinx settings as "-name value" pairs (e.g. search bounds). */
  static async start(modelDir = DEFAULT_SPHINX_MODEL_DIR, extraArgs: readonly string[] = []): Promise<SphinxRecognizer> {
    checkSphinxModel(modelDir);
    const r = new SphinxRecognizer(await ensureSphinxWorker(), modelDir, extraArgs);
    await r.#spawn();
    return r;
  }

  /** Recognises 16 kHz mono PCM. Concurrent callers queue. */
  recognize(pcm: Int16Array): Promise<Recognition> {
    return this.#mutex.run(async () => {
      if (this.#closed) throw new Error('recognizer closed');
      if (!this.#proc) await this.#spawn();
      const t0 = performance.now();
      const head = Buffer.alloc(5);
      head.write('R', 0, 'ascii');
      head.writeUInt32LE(pcm.length, 1);
      const reply = this.#next();
      this.#proc!.stdin.write(head);
      this.#proc!.stdin.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      const text = (await reply).toString('utf8');
      const computeMs = performance.now() - t0;
      return this.#parse(text, computeMs);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const p = this.#proc;
    this.#proc = undefined;
    if (!p) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => p.kill('SIGKILL'), 2000);
      p.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      p.stdin.end(Buffer.from('Q'));
    });
  }

  #parse(text: string, computeMs: number): Recognition {
    const lines = text.split('\n');
    const status = lines[0] ?? '';
    if (!status.startsWith('OK ')) throw new Error(`sphinx worker: ${status}`);
    const incremental = status.split(' ')[1] === '1';
    this.decodes++;
    if (incremental) this.incrementalDecodes++;
    const words: RecognizedWord[] = [];
    for (const line of lines.slice(2)) {
      const [w, sf, ef, prob] = line.split('\t');
      if (!w || sf === undefined || ef === undefined) continue;
      if (w.startsWith('<') || w.startsWith('[') || w.startsWith('+')) continue;
      words.push({
        word: w.replace(/\(\d+\)$/, ''),
        start: Number(sf) / FRAMES_PER_SECOND,
        end: (Number(ef) + 1) / FRAMES_PER_SECOND,
        probability: Math.min(1, Math.max(0, Math.exp(Number(prob) / 100_000))),
      });
    }
    return { text: (lines[1] ?? '').trim(), words, incremental, computeMs };
  }

  #next(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#drain();
    });
  }

  #drain(): void {
    if (!this.#waiter || this.#buf.length < 4) return;
    const n = this.#buf.readUInt32LE(0);
    if (this.#buf.length < 4 + n) return;
    const msg = this.#buf.subarray(4, 4 + n);
    this.#buf = this.#buf.subarray(4 + n);
    const w = this.#waiter;
    this.#waiter = undefined;
    w.resolve(Buffer.from(msg));
  }

  async #spawn(): Promise<void> {
    const proc = spawn(this.binary, [this.modelDir, ...this.extraArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#proc = proc;
    this.#buf = Buffer.alloc(0);
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-2000);
    });
    proc.stdout.on('data', (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      this.#drain();
    });
    proc.stdin.on('error', () => undefined);
    proc.once('error', (err) => {
      if (this.#proc === proc) this.#proc = undefined;
      const w = this.#waiter;
      this.#waiter = undefined;
      w?.reject(err);
    });
    proc.once('exit', (code, sig) => {
      if (this.#proc === proc) this.#proc = undefined;
      const w = this.#waiter;
      this.#waiter = undefined;
      w?.reject(new Error(`sphinx worker exited (${code ?? sig}): ${stderr.trim()}`));
    });
    const ready = (await this.#next()).toString('utf8');
    if (ready !== 'READY') throw new Error(`sphinx worker did not start: ${ready}`);
  }
}
