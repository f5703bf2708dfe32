/**
 * Silero VAD v5 on onnxruntime-node (CPU). The ONNX file is the one shipped by @ricky0123/vad-web.
 *
 * Model I/O (checked with session.inputNames / inputMetadata):
 *   input  float32 [1, 64 + 512]  -- the last 64 samples of the previous window, then the new frame
 *   state  float32 [2, 1, 128]
 *   sr     int64   scalar (16000)
 *   output float32 [1, 1] speech probability, stateN float32 [2, 1, 128]
 * The 64-sample context is what the reference Python wrapper (OnnxWrapper) prepends at 16 kHz.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

export const VAD_SAMPLE_RATE = 16000;
export const VAD_FRAME_SAMPLES = 512;
const CONTEXT_SAMPLES = 64;
const STATE_SIZE = 2 * 1 * 128;

/** Path of silero_vad_v5.onnx inside the installed @ricky0123/vad-web package. */
export function defaultSileroModelPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@ricky0123/vad-web/package.json')), 'dist', 'silero_vad_v5.onnx');
}

/** One loaded model; share it between sessions and give each audio stream its own `createStream()`. */
export class SileroVadModel {
  private readonly session: ort.InferenceSession;
  private readonly sr: ort.Tensor;

  private constructor(session: ort.InferenceSession) {
    this.session = session;
    this.sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
  }

  static async load(opts: { modelPath?: string } = {}): Promise<SileroVadModel> {
    const session = await ort.InferenceSession.create(opts.modelPath ?? defaultSileroModelPath(), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    for (const name of ['input', 'state', 'sr']) {
      if (!session.inputNames.includes(name)) throw new Error(`not a Silero v5 model: missing input "${name}"`);
    }
    for (const name of ['output', 'stateN']) {
      if (!session.outputNames.includes(name)) throw new Error(`not a Silero v5 model: missing output "${name}"`);
    }
    return new SileroVadModel(session);
  }

  createStream(): SileroVad {
    return new SileroVad(this);
  }

  /** @internal one inference step; returns [probability, new state]. */
  async run(window: Float32Array, state: Float32Array): Promise<[number, Float32Array]> {
    const out = await this.session.run({
      input: new ort.Tensor('float32', window, [1, window.length]),
      state: new ort.Tensor('float32', state, [2, 1, 128]),
      sr: this.sr,
    });
    const prob = out['output']?.data;
    const next = out['stateN']?.data;
    if (!(prob instanceof Float32Array) || !(next instanceof Float32Array) || prob.length < 1 || next.length !== STATE_SIZE) {
      throw new Error('unexpected Silero VAD output');
    }
    return [prob[0]!, next];
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Per-stream VAD state over a shared model. Feed consecutive 512-sample frames at 16 kHz. */
export class SileroVad {
  readonly frameSamples = VAD_FRAME_SAMPLES;
  readonly sampleRate = VAD_SAMPLE_RATE;
  /** Duration of one frame in ms (32). */
  readonly frameMs = (VAD_FRAME_SAMPLES / VAD_SAMPLE_RATE) * 1000;
  private readonly model: SileroVadModel;
  private state: Float32Array = new Float32Array(STATE_SIZE);
  private readonly window = new Float32Array(CONTEXT_SAMPLES + VAD_FRAME_SAMPLES);
  private queue: Promise<unknown> = Promise.resolve();

  constructor(model: SileroVadModel) {
    this.model = model;
  }

  /** Load a private model and return one stream on it. Prefer SileroVadModel.load + createStream to share. */
  static async load(opts: { modelPath?: string } = {}): Promise<SileroVad> {
    return (await SileroVadModel.load(opts)).createStream();
  }

  /**
   * Speech probability of one frame (512 samples in [-1, 1]). Calls are serialised, so frames are
   * applied in call order even if the caller does not await each one.
   */
  process(frame: Float32Array): Promise<number> {
    if (frame.length !== VAD_FRAME_SAMPLES) {
      return Promise.reject(new RangeError(`Silero VAD frame must be ${VAD_FRAME_SAMPLES} samples, got ${frame.length}`));
    }
    const input = frame.slice();
    const result = this.queue.then(async () => {
      this.window.copyWithin(0, VAD_FRAME_SAMPLES);
      this.window.set(input, CONTEXT_SAMPLES);
      const [prob, next] = await this.model.run(this.window.slice(), this.state);
      this.state = next;
      return prob;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Forget the recurrent state and context (new utterance stream). */
  reset(): void {
    this.state = new Float32Array(STATE_SIZE);
    this.window.fill(0);
  }
}
