import type { ServerResponse } from 'node:http';
import { readBody, send, sendJson } from '../common/http-util.ts';
import { field, multipartBoundary, parseMultipart } from '../common/multipart.ts';
import { serveStandin } from '../common/standin-server.ts';
import type { RequestContext, RunningStandin } from '../common/standin-server.ts';
import { SphinxRecognizer } from '../engines/sphinx-worker.ts';
import { COMMON_HEADERS, invalid, WhisperInference } from './inference.ts';

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

/** Errors in whisper-server's shapes (used for `status` faults and crashes). */
function errorResponse(res: ServerResponse, status: number, path: string, message: string): void {
  if (status === 400) return invalid(res);
  if (status === 500) return sendJson(res, 500, { error: message }, COMMON_HEADERS);
  send(res, status, `File Not Found (${path})`, 'text/plain', COMMON_HEADERS);
}

/** Routes of whisper-server (`--request-path` prefix, `--inference-path`). */
async function route(whisper: WhisperInference, ctx: RequestContext): Promise<void> {
  const { req, res, path } = ctx;
  const { prefix, inferencePath } = whisper;
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') return send(res, 200, '', 'text/plain', COMMON_HEADERS);
  if (method === 'POST' && path === inferencePath) return whisper.inference(ctx);
  if (method === 'GET' && path === `${prefix}/health`) {
    if (whisper.reloading) return send(res, 404, `File Not Found (${path})`, 'text/plain', COMMON_HEADERS);
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
}

export async function startWhisperStandin(opts: WhisperStandinOptions = {}): Promise<WhisperStandin> {
  const recognizer = await SphinxRecognizer.start(
    opts.modelDir,
    opts.maxActiveHmms === undefined ? [] : ['-maxhmmpf', String(opts.maxActiveHmms), '-maxwpf', '10'],
  );
  const whisper = new WhisperInference(opts, recognizer);
  const running = await serveStandin({
    name: 'whisper',
    host: opts.host,
    port: opts.port,
    nagle: opts.nagle,
    isWorkRoute: (method, path) => method === 'POST' && path === whisper.inferencePath,
    errorResponse,
    handle: (ctx) => route(whisper, ctx),
    setMode(body) {
      if (typeof body['reloading'] === 'boolean') whisper.reloading = body['reloading'];
    },
    extraStats: () => whisper.stats(),
    onClose: () => recognizer.close(),
  }).catch(async (err: unknown) => {
    await recognizer.close();
    throw err;
  });
  return { ...running, setReloading: (on) => void (whisper.reloading = on) };
}
