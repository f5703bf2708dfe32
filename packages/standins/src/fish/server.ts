import type { ServerResponse } from 'node:http';
import { unpack } from 'msgpackr';
import { encodeMp3 } from '../audio/mp3.ts';
import { concatPcm, encodeWav, pcmToBytes } from '@va/pipeline/audio-codec';
import { bearerToken, mediaType, readBody, sendJson, sleep } from '../common/http-util.ts';
import { field, multipartBoundary, parseMultipart } from '../common/multipart.ts';
import { Mutex } from '../common/mutex.ts';
import { serveStandin } from '../common/standin-server.ts';
import type { RequestContext, RunningStandin } from '../common/standin-server.ts';
import { splitSentences } from '../engines/espeak.ts';
import { synthesizeSpeech, type SpeechEngine } from '../engines/speech.ts';
import { coerceFormFields, s2VoiceIdError, validateTtsBody } from './request.ts';
import type { TtsRequestBody } from './request.ts';

export const FISH_SAMPLE_RATE = 44_100;

export interface FishSpeechStandinOptions {
  host?: string;
  port?: number;
  /** First audio byte no earlier than firstByteMs + msPerChar * text length after the request arrived
   *  (or the real synthesis time if longer). Defaults 0 and 0. */
  firstByteMs?: number;
  msPerChar?: number;
  /** `--api-key`: every route, health included, then needs `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** `--max-text-length` (0 = off). */
  maxTextLength?: number;
  /** Health waits while a synthesis runs (the real server's event loop is blocked). Default false. */
  blockHealthDuringSynthesis?: boolean;
  /** Streaming sends one burst per sentence (fish-speech 1.5.x) instead of one at the end (S1). */
  burstPerSentence?: boolean;
  /**
   * The generation thread has no abort check: a cancelled request keeps it busy until its text
   * is done, and the next request waits (observed in S1 and S2 source). Default false.
   */
  uncancellable?: boolean;
  /**
   * A failure after the 200 closes the socket mid-body (the real server never ends such a stream
   * cleanly), and `repetition_penalty` >= 2 fails in the generator's assertion (< 2) although the
   * schema allows 2. Default false: a failure ends the stream cleanly, 2 is accepted.
   */
  realFailures?: boolean;
  /** `s2`: reference_id must match ^[A-Za-z0-9_ -]+$ (422 otherwise). Default `s1` (any string). */
  voiceIds?: 's1' | 's2';
}

export interface FishSpeechStandin extends RunningStandin {
  setBlockHealthDuringSynthesis(on: boolean): void;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed', 415: 'Unsupported Media Type',
  422: 'Unprocessable Entity', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

function httpError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { statusCode: status, message, error: STATUS_TEXT[status] ?? 'Error' }, headers);
}

export async function startFishSpeechStandin(opts: FishSpeechStandinOptions = {}): Promise<FishSpeechStandin> {
  const mutex = new Mutex();
  let blockHealth = opts.blockHealthDuringSynthesis ?? false;
  let burstPerSentence = opts.burstPerSentence ?? false;
  let syntheses = 0;
  let lastComputeMs = 0;
  const engineRuns: Record<SpeechEngine, number> = { open_jtalk: 0, 'espeak-ng': 0 };
  let failures = 0;
  let abandoned = 0;

  function authorised(ctx: RequestContext): boolean {
    if (!opts.apiKey) return true;
    const h = ctx.req.headers.authorization;
    if (!h || !/^Bearer\s/i.test(h)) {
      httpError(ctx.res, 401, 'Not authenticated', { 'WWW-Authenticate': 'Bearer' });
      return false;
    }
    if (bearerToken(ctx.req) !== opts.apiKey) {
      httpError(ctx.res, 401, 'Invalid token', { 'WWW-Authenticate': 'Bearer' });
      return false;
    }
    return true;
  }

  async function parseBody(ctx: RequestContext): Promise<unknown | 'unsupported' | 'malformed'> {
    const type = mediaType(ctx.req);
    const raw = await readBody(ctx.req);
    try {
      if (type === 'application/json') return JSON.parse(raw.toString('utf8')) as unknown;
      if (type === 'application/msgpack') return unpack(raw) as unknown;
      if (type === 'multipart/form-data') {
        const boundary = multipartBoundary(ctx.req.headers['content-type']);
        if (!boundary) return 'malformed';
        const parts = parseMultipart(raw, boundary);
        const fields: Record<string, string> = {};
        for (const p of parts) fields[p.name] = field(parts, p.name) ?? '';
        return coerceFormFields(fields);
      }
    } catch {
      return 'malformed';
    }
    return 'unsupported';
  }

  async function tts(ctx: RequestContext): Promise<void> {
    const { res } = ctx;
    const body = await parseBody(ctx);
    if (body === 'unsupported') return httpError(res, 415, 'Unsupported Media Type');
    if (body === 'malformed') {
      return sendJson(res, 422, [{ type: 'json_invalid', loc: ['body'], msg: 'Invalid request body', input: null }]);
    }
    const v = validateTtsBody(body);
    if (Array.isArray(v)) return sendJson(res, 422, v);
    const voiceIdError = opts.voiceIds === 's2' ? s2VoiceIdError(v.referenceId) : undefined;
    if (voiceIdError) return sendJson(res, 422, [voiceIdError]);
    if (v.streaming && v.format !== 'wav') return httpError(res, 400, 'Streaming only supports WAV format');
    const max = opts.maxTextLength ?? 0;
    if (max > 0 && v.text.length > max) return httpError(res, 400, `Text is too long, max length is ${max}`);
    const disposition = { 'Content-Disposition': `attachment; filename=audio.${v.format}` };
    if (v.streaming) {
      // Status and headers go out before generation starts; errors later can only end the stream.
      res.writeHead(200, { 'Content-Type': 'audio/wav', ...disposition });
      res.flushHeaders();
    }
    await mutex.run(() => (ctx.signal.aborted && !opts.uncancellable ? undefined : generate(ctx, v, disposition)));
  }

  /** A failure during generation: a 500 before the headers; after them a clean end, or a cut like the real server. */
  function fail(ctx: RequestContext, v: TtsRequestBody, message: string): void {
    if (!v.streaming) return httpError(ctx.res, 500, message);
    if (opts.realFailures) ctx.res.destroy();
    else ctx.res.end();
  }

  async function generate(ctx: RequestContext, v: TtsRequestBody, disposition: Record<string, string>): Promise<void> {
    const { res } = ctx;
    // uncancellable: the work runs to the end of the text; only the writes stop for a gone client
    const signal = opts.uncancellable ? undefined : ctx.signal;
    const t0 = mutex.serviceStart(ctx.arrivedAt);
    if (opts.realFailures && (v.repetitionPenalty ?? 0) >= 2) {
      failures++;
      return fail(ctx, v, 'AssertionError: repetition_penalty must be < 2');
    }
    const pieces = v.streaming && burstPerSentence ? splitSentences(v.text) : [v.text];
    const all: Int16Array[] = [];
    let charsDone = 0;
    for (const piece of pieces) {
      let pcm: Int16Array;
      try {
        const speech = await synthesizeSpeech(piece, { sampleRate: FISH_SAMPLE_RATE, ...(signal ? { signal } : {}) });
        pcm = speech.pcm;
        syntheses++;
        for (const e of speech.engines) engineRuns[e]++;
        lastComputeMs = speech.computeMs;
      } catch (e) {
        if (ctx.signal.aborted) return;
        failures++;
        return fail(ctx, v, e instanceof Error ? e.message : String(e));
      }
      charsDone += piece.length;
      const due = (opts.firstByteMs ?? 0) + (opts.msPerChar ?? 0) * charsDone + ctx.extraMs;
      if (!(await sleep(due - (performance.now() - t0), signal)) || ctx.signal.aborted) {
        if (signal) return;
        abandoned++;
        continue;
      }
      if (v.streaming) {
        if (pcm.length > 0) res.write(pcmToBytes(pcm));
      } else all.push(pcm);
    }
    if (ctx.signal.aborted) return;
    if (v.streaming) return void res.end();
    const pcm = concatPcm(all);
    if (pcm.length === 0) return httpError(res, 500, 'No audio generated, please check the input text.');
    const headers = { ...disposition, 'X-Standin-Compute-Ms': lastComputeMs.toFixed(1) };
    if (v.format === 'wav') return writeChunked(res, 'audio/wav', encodeWav(pcm, FISH_SAMPLE_RATE), headers);
    if (v.format === 'mp3') return writeChunked(res, 'audio/mpeg', encodeMp3(pcm, FISH_SAMPLE_RATE), headers);
    httpError(res, 500, 'Failed to generate speech');
  }

  return serveStandin({
    name: 'fish-speech',
    host: opts.host,
    port: opts.port,
    isWorkRoute: (method, path) => method === 'POST' && path === '/v1/tts',
    errorResponse: (res, status, _path, message) => httpError(res, status, message),
    async handle(ctx) {
      const { req, res, path } = ctx;
      const method = req.method ?? 'GET';
      if (!authorised(ctx)) return;
      if (path === '/v1/health' && (method === 'GET' || method === 'POST')) {
        if (blockHealth) await mutex.run(() => undefined);
        return sendJson(res, 200, { status: 'ok' });
      }
      if (path === '/v1/tts') {
        if (method !== 'POST') return httpError(res, 405, 'Method Not Allowed');
        return tts(ctx);
      }
      await readBody(req).catch(() => undefined);
      httpError(res, 404, 'Not Found');
    },
    setMode(body) {
      if (typeof body['blockHealthDuringSynthesis'] === 'boolean') blockHealth = body['blockHealthDuringSynthesis'];
      if (typeof body['burstPerSentence'] === 'boolean') burstPerSentence = body['burstPerSentence'];
    },
    extraStats: () => ({ syntheses, queued: mutex.queued, lastComputeMs, openJTalkRuns: engineRuns.open_jtalk, espeakRuns: engineRuns['espeak-ng'], failures, abandoned }),
  }).then((running) => ({ ...running, setBlockHealthDuringSynthesis: (on: boolean) => void (blockHealth = on) }));
}

/** Non-streaming bodies are still sent with chunked transfer encoding, like the real server. */
function writeChunked(res: ServerResponse, type: string, body: Uint8Array, headers: Record<string, string>): void {
  res.writeHead(200, { ...headers, 'Content-Type': type });
  const step = 64 * 1024;
  for (let i = 0; i < body.length; i += step) res.write(body.subarray(i, i + step));
  res.end();
}

