import type { ServerResponse } from 'node:http';
import { to16kPcm, decodeAudioFile } from '../audio/decode.ts';
import { readBody, send, sendJson, sleep } from '../common/http-util.ts';
import { field, multipartBoundary, parseMultipart } from '../common/multipart.ts';
import type { MultipartPart } from '../common/multipart.ts';
import { Mutex } from '../common/mutex.ts';
import { serveStandin } from '../common/standin-server.ts';
import type { RequestContext, RunningStandin } from '../common/standin-server.ts';
import { SphinxRecognizer } from '../engines/sphinx-worker.ts';
import { srt, transcriptText, verboseJson, vtt } from './format.ts';

export interface WhisperStandinOptions {
  host?: string;
  port?: number;
  /**
   * A transcription answers max(latencyMs, compute time) after its arrival, or after the
   * previous transcription finished when it had to wait for the server (one at a time). Default 0.
   */
  latencyMs?: number;
  /** Route of the transcription endpoint (whisper.cpp `--inference-path`). Default `/inference`. */
  inferencePath?: string;
  /** Prefix for every route (whisper.cpp `--request-path`). Default ''. */
  requestPath?: string;
  /** pocketsphinx model directory. Default `/usr/share/pocketsphinx/model/en-us`. */
  modelDir?: string;
  /**
   * Bounds pocketsphinx's search to at most this many active HMMs per frame (its `-maxhmmpf`, plus
   * `-maxwpf 10`). Unbounded, a growing utterance's decode time jumps between 20 and 330 ms per
   * 300 ms of new audio here, so a fixed `latencyMs` cannot hold; bounded at 3000 every request
   * fits in 80 ms, at some cost in accuracy (mean WER on the LibriVox clips 0.25 -> 0.31). The
   * benchmark bounds it; the app's embedded default does not.
   */
  maxActiveHmms?: number;
  /**
   * whisper-server notices a closed connection only at its next abort checkpoint: an aborted
   * request keeps the single worker busy until this long after its processing started (observed:
   * the next request took ~1.1 s instead of ~0.2 s). 0 = drop aborted work at once. Default 0.
   */
  abortCheckpointMs?: number;
  /** Write without TCP_NODELAY, headers and body apart (cpp-httplib). Default false. */
  nagle?: boolean;
}

export interface WhisperStandin extends RunningStandin {
  /** While on, `GET /health` answers 404 `File Not Found (/health)` as during a real `POST /load`. */
  setReloading(on: boolean): void;
}

const NUMERIC_FIELDS = [
  'temperature', 'temperature_inc', 'no_speech_thold', 'beam_size', 'best_of', 'max_len', 'offset_t',
  'offset_n', 'duration', 'max_context', 'entropy_thold', 'logprob_thold', 'vad_threshold',
];
const COMMON_HEADERS = {
  Server: 'whisper.cpp',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'content-type, authorization',
};

const truthy = (v: string | undefined): boolean => v !== undefined && ['true', '1', 'yes', 'y'].includes(v.trim());

export async function startWhisperStandin(opts: WhisperStandinOptions = {}): Promise<WhisperStandin> {
  const prefix = opts.requestPath ?? '';
  const inferencePath = prefix + (opts.inferencePath ?? '/inference');
  const recognizer = await SphinxRecognizer.start(
    opts.modelDir,
    opts.maxActiveHmms === undefined ? [] : ['-maxhmmpf', String(opts.maxActiveHmms), '-maxwpf', '10'],
  );
  const mutex = new Mutex();
  let reloading = false;
  let lastComputeMs = 0;
  let lateAborts = 0;

  /** An aborted request holds the worker until its abort checkpoint. */
  async function abandon(startedAt: number): Promise<void> {
    const checkpoint = opts.abortCheckpointMs ?? 0;
    if (checkpoint <= 0) return;
    lateAborts++;
    await sleep(startedAt + checkpoint - performance.now());
  }

  function invalid(res: ServerResponse): void {
    send(res, 400, 'Invalid request', 'text/plain', COMMON_HEADERS);
  }

  async function inference(ctx: RequestContext): Promise<void> {
    const { req, res } = ctx;
    const body = await readBody(req);
    const boundary = multipartBoundary(req.headers['content-type']);
    let parts: MultipartPart[];
    try {
      if (!boundary) throw new Error('not multipart');
      parts = parseMultipart(body, boundary);
    } catch {
      return invalid(res);
    }
    const file = parts.find((p) => p.name === 'file');
    if (!file) return invalid(res);
    for (const name of NUMERIC_FIELDS) {
      const v = field(parts, name);
      if (v !== undefined && !/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) {
        return send(res, 500, '500 Internal Server Error\nstof', 'text/plain', COMMON_HEADERS);
      }
    }
    let pcm: Int16Array;
    try {
      pcm = to16kPcm(decodeAudioFile(file.data));
    } catch {
      return invalid(res);
    }
    const format = field(parts, 'response_format') ?? 'json';
    const language = field(parts, 'language');
    await mutex.run(async () => {
      const t0 = mutex.serviceStart(ctx.arrivedAt);
      if (ctx.signal.aborted) return abandon(t0);
      let result;
      try {
        result = await recognizer.recognize(pcm);
      } catch {
        return sendJson(res, 500, { error: 'failed to process audio' }, COMMON_HEADERS);
      }
      lastComputeMs = result.computeMs;
      const wait = (opts.latencyMs ?? 0) + ctx.extraMs - (performance.now() - t0);
      if (!(await sleep(wait, ctx.signal))) return abandon(t0);
      const headers = { ...COMMON_HEADERS, 'X-Standin-Compute-Ms': result.computeMs.toFixed(1) };
      const duration = pcm.length / 16_000;
      if (format === 'text') return send(res, 200, transcriptText(result), 'text/html; charset=utf-8', headers);
      if (format === 'srt') return send(res, 200, srt(result, duration), 'application/x-subrip', headers);
      if (format === 'vtt') return send(res, 200, vtt(result, duration), 'text/vtt', headers);
      if (format === 'verbose_json') {
        const temperature = Number(field(parts, 'temperature') ?? 0);
        const value = verboseJson(result, {
          duration,
          language,
          temperature,
          noTimestamps: truthy(field(parts, 'no_timestamps')),
          languageProbabilities: !truthy(field(parts, 'no_language_probabilities')),
        });
        return sendJson(res, 200, value, headers);
      }
      sendJson(res, 200, { text: transcriptText(result) }, headers);
    });
  }

  const running = await serveStandin({
    name: 'whisper',
    host: opts.host,
    port: opts.port,
    nagle: opts.nagle,
    isWorkRoute: (method, path) => method === 'POST' && path === inferencePath,
    errorResponse(res, status, path, message) {
      if (status === 400) return invalid(res);
      if (status === 500) return sendJson(res, 500, { error: message }, COMMON_HEADERS);
      send(res, status, `File Not Found (${path})`, 'text/plain', COMMON_HEADERS);
    },
    async handle(ctx) {
      const { req, res, path } = ctx;
      const method = req.method ?? 'GET';
      if (method === 'OPTIONS') return send(res, 200, '', 'text/plain', COMMON_HEADERS);
      if (method === 'POST' && path === inferencePath) return inference(ctx);
      if (method === 'GET' && path === `${prefix}/health`) {
        if (reloading) return send(res, 404, `File Not Found (${path})`, 'text/plain', COMMON_HEADERS);
        return sendJson(res, 200, { status: 'ok' }, COMMON_HEADERS);
      }
      if (method === 'POST' && path === `${prefix}/load`) {
        const body = await readBody(req);
        const boundary = multipartBoundary(req.headers['content-type']);
        const model = boundary ? field(parseMultipart(body, boundary), 'model') : undefined;
        // The stand-in has one model; it "reloads" only its own name.
        if (model !== 'pocketsphinx-en-us') return invalid(res);
        return send(res, 200, 'Load was successful!', 'text/plain', COMMON_HEADERS);
      }
      if (method === 'GET' && (path === `${prefix}/` || path === prefix)) {
        const html = `<html><head><title>Whisper.cpp Server (stand-in)</title></head><body><h1>Whisper.cpp Server (stand-in, pocketsphinx)</h1><form action="${inferencePath}" method="post" enctype="multipart/form-data"><input type="file" name="file"><input type="submit"></form></body></html>`;
        return send(res, 200, html, 'text/html', COMMON_HEADERS);
      }
      await readBody(req).catch(() => undefined);
      send(res, 404, `File Not Found (${path})`, 'text/plain', COMMON_HEADERS);
    },
    setMode(body) {
      if (typeof body['reloading'] === 'boolean') reloading = body['reloading'];
    },
    extraStats: () => ({
      decodes: recognizer.decodes,
      incrementalDecodes: recognizer.incrementalDecodes,
      queued: mutex.queued,
      lastComputeMs,
      lateAborts,
    }),
    onClose: () => recognizer.close(),
  }).catch(async (err: unknown) => {
    await recognizer.close();
    throw err;
  });
  return { ...running, setReloading: (on) => void (reloading = on) };
}
