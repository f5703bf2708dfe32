import type { ServerResponse } from 'node:http';
import { decodeAudioFile, to16kPcm } from '../audio/decode.ts';
import { encodeMp3 } from '../audio/mp3.ts';
import { concatPcm, encodeWav, pcmFromBytes, pcmToBytes } from '@va/pipeline/audio-codec';
import { bearerToken, readBody, send, sendJson, sleep } from '../common/http-util.ts';
import { field, multipartBoundary, parseMultipart } from '../common/multipart.ts';
import { Mutex } from '../common/mutex.ts';
import { serveStandin } from '../common/standin-server.ts';
import type { RequestContext, RunningStandin } from '../common/standin-server.ts';
import { splitSentences } from '../engines/espeak.ts';
import { synthesizeSpeech } from '../engines/speech.ts';
import { SphinxRecognizer } from '../engines/sphinx-worker.ts';
import { transcriptText } from '../whisper/format.ts';

export interface OpenAiAudioStandinOptions {
  host?: string;
  port?: number;
  /** `speaches` (default: both routes, 403 on a bad key, health `{"message":"OK"}`) or `kokoro`
   *  (speech only, 400 for an unknown model, health `{"status":"healthy"}`). */
  flavour?: 'speaches' | 'kokoro';
  /** Rate of `pcm`/`wav` output unless the request sends `sample_rate` (speaches). Default 24000. */
  pcmSampleRate?: number;
  /** First audio byte no earlier than firstByteMs + msPerChar * chars of the first piece. */
  firstByteMs?: number;
  msPerChar?: number;
  /** Transcriptions answer no earlier than this after the body arrived. */
  sttLatencyMs?: number;
  apiKey?: string;
  modelDir?: string;
}

const KOKORO_MODELS = ['tts-1', 'tts-1-hd', 'kokoro', 'gpt-4o-mini-tts'];
const detail = (res: ServerResponse, status: number, message: string): void => sendJson(res, status, { detail: message });

/** speaches / Kokoro-FastAPI: `POST /v1/audio/speech` (one synthesis at a time) and `POST /v1/audio/transcriptions`. */
class OpenAiAudio {
  readonly flavour: 'speaches' | 'kokoro';
  transcriptions = 0;
  syntheses = 0;
  readonly #opts: OpenAiAudioStandinOptions;
  readonly #defaultRate: number;
  readonly #ttsMutex = new Mutex();
  #recognizer: Promise<SphinxRecognizer> | undefined;

  constructor(opts: OpenAiAudioStandinOptions) {
    this.#opts = opts;
    this.flavour = opts.flavour ?? 'speaches';
    this.#defaultRate = opts.pcmSampleRate ?? 24_000;
  }

  async close(): Promise<void> {
    if (this.#recognizer) await (await this.#recognizer).close();
  }

  async transcribe(ctx: RequestContext): Promise<void> {
    const { req, res } = ctx;
    const raw = await readBody(req);
    const t0 = ctx.arrivedAt;
    const boundary = multipartBoundary(req.headers['content-type']);
    const parts = boundary ? parseMultipart(raw, boundary) : [];
    const file = parts.find((p) => p.name === 'file');
    if (!file || field(parts, 'model') === undefined) return detail(res, 422, `Field required: ${file ? 'model' : 'file'}`);
    let pcm: Int16Array;
    try {
      pcm = file.contentType === 'audio/pcm' || file.contentType === 'audio/raw' ? pcmFromBytes(file.data) : to16kPcm(decodeAudioFile(file.data));
    } catch {
      return detail(res, 415, 'Unsupported audio format');
    }
    this.#recognizer ??= SphinxRecognizer.start(this.#opts.modelDir);
    const result = await (await this.#recognizer).recognize(pcm);
    this.transcriptions++;
    if (!(await sleep((this.#opts.sttLatencyMs ?? 0) + ctx.extraMs - (performance.now() - t0), ctx.signal))) return;
    const text = transcriptText(result).trim();
    const headers = { 'X-Standin-Compute-Ms': result.computeMs.toFixed(1) };
    const format = field(parts, 'response_format') ?? 'json';
    if (format === 'text') return send(res, 200, text, 'text/plain; charset=utf-8', headers);
    if (format === 'verbose_json') {
      const duration = pcm.length / 16_000;
      return sendJson(res, 200, { task: 'transcribe', language: field(parts, 'language') ?? 'en', duration, text, segments: [], words: result.words }, headers);
    }
    sendJson(res, 200, { text }, headers);
  }

  async speech(ctx: RequestContext): Promise<void> {
    const { res, signal } = ctx;
    const { flavour } = this;
    const opts = this.#opts;
    let b: Record<string, unknown>;
    try {
      b = JSON.parse((await readBody(ctx.req)).toString('utf8')) as Record<string, unknown>;
    } catch {
      return detail(res, 422, 'JSON decode error');
    }
    const t0 = ctx.arrivedAt;
    for (const k of ['model', 'input', ...(flavour === 'speaches' ? ['voice'] : [])]) {
      if (typeof b[k] !== 'string') return detail(res, 422, `Field required: ${k}`);
    }
    if (flavour === 'kokoro' && !KOKORO_MODELS.includes(b['model'] as string)) {
      return sendJson(res, 400, { detail: { error: 'invalid_model', message: `Unsupported model: ${String(b['model'])}`, type: 'invalid_request_error' } });
    }
    const format = typeof b['response_format'] === 'string' ? b['response_format'] : 'mp3';
    if (!['pcm', 'wav', 'mp3'].includes(format)) return detail(res, 400, `Unsupported response_format for the stand-in: ${format}`);
    const rate = typeof b['sample_rate'] === 'number' && b['sample_rate'] >= 8000 && b['sample_rate'] <= 48000 ? b['sample_rate'] : this.#defaultRate;
    const speed = typeof b['speed'] === 'number' ? Math.min(4, Math.max(0.25, b['speed'])) : 1;
    const stream = b['stream'] !== false && format !== 'mp3';
    const input = b['input'] as string;
    const type = format === 'pcm' ? 'audio/pcm' : format === 'wav' ? 'audio/wav' : 'audio/mpeg';
    await this.#ttsMutex.run(async () => {
      if (signal.aborted) return;
      const pieces = stream ? splitSentences(input) : [input];
      res.writeHead(200, { 'Content-Type': type, 'X-Accel-Buffering': 'no', 'Content-Disposition': `attachment; filename=speech.${format}` });
      if (format === 'wav') res.write(encodeWav(new Int16Array(0), rate).fill(0xff, 40, 44).fill(0xff, 4, 8)); // placeholder sizes
      const all: Int16Array[] = [];
      let chars = 0;
      for (const piece of pieces.length ? pieces : [input]) {
        const s = await synthesizeSpeech(piece, { sampleRate: rate, speed, signal }).catch(() => undefined);
        if (!s || signal.aborted) return void res.end();
        this.syntheses++;
        chars += piece.length;
        const due = (opts.firstByteMs ?? 0) + (opts.msPerChar ?? 0) * chars + ctx.extraMs;
        if (!(await sleep(due - (performance.now() - t0), signal))) return;
        if (format === 'mp3') all.push(s.pcm);
        else res.write(pcmToBytes(s.pcm));
      }
      if (format === 'mp3') res.write(encodeMp3(concatPcm(all), rate));
      res.end();
    });
  }
}

/** Routes: health open, the rest behind the api key (403 like speaches); transcription on speaches only. */
async function route(audio: OpenAiAudio, apiKey: string | undefined, ctx: RequestContext): Promise<void> {
  const { req, res, path } = ctx;
  const method = req.method ?? 'GET';
  if (method === 'GET' && path === '/health') {
    return sendJson(res, 200, audio.flavour === 'kokoro' ? { status: 'healthy' } : { message: 'OK' });
  }
  if (apiKey && bearerToken(req) !== apiKey) {
    await readBody(req).catch(() => undefined);
    return detail(res, 403, 'Invalid API key');
  }
  if (method === 'POST' && path === '/v1/audio/speech') return audio.speech(ctx);
  if (method === 'POST' && path === '/v1/audio/transcriptions' && audio.flavour === 'speaches') return audio.transcribe(ctx);
  await readBody(req).catch(() => undefined);
  detail(res, 404, 'Not Found');
}

export async function startOpenAiAudioStandin(opts: OpenAiAudioStandinOptions = {}): Promise<RunningStandin> {
  const audio = new OpenAiAudio(opts);
  return serveStandin({
    name: `openai-audio-${audio.flavour}`,
    host: opts.host,
    port: opts.port,
    isWorkRoute: (method, path) => method === 'POST' && (path === '/v1/audio/speech' || path === '/v1/audio/transcriptions'),
    errorResponse: (res, status, _path, message) => detail(res, status, message),
    handle: (ctx) => route(audio, opts.apiKey, ctx),
    extraStats: () => ({ transcriptions: audio.transcriptions, syntheses: audio.syntheses }),
    onClose: () => audio.close(),
  });
}
