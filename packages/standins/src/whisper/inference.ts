import type { ServerResponse } from 'node:http';
import { to16kPcm, decodeAudioFile } from '../audio/decode.ts';
import { readBody, send, sendJson, sleep } from '../common/http-util.ts';
import { field, multipartBoundary, parseMultipart } from '../common/multipart.ts';
import type { MultipartPart } from '../common/multipart.ts';
import { Mutex } from '../common/mutex.ts';
import type { RequestContext } from '../common/standin-server.ts';
import type { Recognition, SphinxRecognizer } from '../engines/sphinx-worker.ts';
import { srt, transcriptText, verboseJson, vtt, withBlankAudio } from './format.ts';
import type { WhisperStandinOptions } from './server.ts';

const NUMERIC_FIELDS = [
  'temperature', 'temperature_inc', 'no_speech_thold', 'beam_size', 'best_of', 'max_len', 'offset_t',
  'offset_n', 'duration', 'max_context', 'entropy_thold', 'logprob_thold', 'vad_threshold',
];
export const COMMON_HEADERS = {
  Server: 'whisper.cpp',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'content-type, authorization',
};

const truthy = (v: string | undefined): boolean => v !== undefined && ['true', '1', 'yes', 'y'].includes(v.trim());

export function invalid(res: ServerResponse): void {
  send(res, 400, 'Invalid request', 'text/plain', COMMON_HEADERS);
}

interface InferenceRequest {
  parts: MultipartPart[];
  pcm: Int16Array;
}

/** The form fields and the decoded 16 kHz audio, or undefined after whisper-server's error response. */
async function readInference(ctx: RequestContext): Promise<InferenceRequest | undefined> {
  const { req, res } = ctx;
  const body = await readBody(req);
  const boundary = multipartBoundary(req.headers['content-type']);
  let parts: MultipartPart[];
  try {
    if (!boundary) throw new Error('not multipart');
    parts = parseMultipart(body, boundary);
  } catch {
    return void invalid(res);
  }
  const file = parts.find((p) => p.name === 'file');
  if (!file) return void invalid(res);
  for (const name of NUMERIC_FIELDS) {
    const v = field(parts, name);
    if (v !== undefined && !/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v)) {
      return void send(res, 500, '500 Internal Server Error\nstof', 'text/plain', COMMON_HEADERS);
    }
  }
  let pcm: Int16Array;
  try {
    pcm = to16kPcm(decodeAudioFile(file.data));
  } catch {
    return void invalid(res);
  }
  return { parts, pcm };
}

/** The transcript in the `response_format` the form asked for (json by default). */
function sendTranscript(res: ServerResponse, result: Recognition, parts: MultipartPart[], duration: number, headers: Record<string, string>): void {
  const format = field(parts, 'response_format') ?? 'json';
  if (format === 'text') return send(res, 200, transcriptText(result), 'text/html; charset=utf-8', headers);
  if (format === 'srt') return send(res, 200, srt(result, duration), 'application/x-subrip', headers);
  if (format === 'vtt') return send(res, 200, vtt(result, duration), 'text/vtt', headers);
  if (format === 'verbose_json') {
    const temperature = Number(field(parts, 'temperature') ?? 0);
    const value = verboseJson(result, {
      duration,
      language: field(parts, 'language'),
      temperature,
      noTimestamps: truthy(field(parts, 'no_timestamps')),
      languageProbabilities: !truthy(field(parts, 'no_language_probabilities')),
    });
    return sendJson(res, 200, value, headers);
  }
  sendJson(res, 200, { text: transcriptText(result) }, headers);
}

/** whisper-server's transcription: one at a time on its single worker, with its counters and switches. */
export class WhisperInference {
  /** While on, `GET /health` answers 404 as during a real `POST /load`. */
  reloading = false;
  readonly prefix: string;
  readonly inferencePath: string;
  readonly #opts: WhisperStandinOptions;
  readonly #recognizer: SphinxRecognizer;
  readonly #mutex = new Mutex();
  #lastComputeMs = 0;
  #lateAborts = 0;

  constructor(opts: WhisperStandinOptions, recognizer: SphinxRecognizer) {
    this.#opts = opts;
    this.#recognizer = recognizer;
    this.prefix = opts.requestPath ?? '';
    this.inferencePath = this.prefix + (opts.inferencePath ?? '/inference');
  }

  stats(): Record<string, number> {
    return {
      decodes: this.#recognizer.decodes,
      incrementalDecodes: this.#recognizer.incrementalDecodes,
      queued: this.#mutex.queued,
      lastComputeMs: this.#lastComputeMs,
      lateAborts: this.#lateAborts,
    };
  }

  async inference(ctx: RequestContext): Promise<void> {
    const request = await readInference(ctx);
    if (!request) return;
    const { parts, pcm } = request;
    const { res } = ctx;
    await this.#mutex.run(async () => {
      const t0 = this.#mutex.serviceStart(ctx.arrivedAt);
      if (ctx.signal.aborted) return this.#abandon(t0);
      let result;
      try {
        result = withBlankAudio(await this.#recognizer.recognize(pcm), pcm, truthy(field(parts, 'suppress_non_speech')));
      } catch {
        return sendJson(res, 500, { error: 'failed to process audio' }, COMMON_HEADERS);
      }
      this.#lastComputeMs = result.computeMs;
      const wait = (this.#opts.latencyMs ?? 0) + ctx.extraMs - (performance.now() - t0);
      if (!(await sleep(wait, ctx.signal))) return this.#abandon(t0);
      const headers = { ...COMMON_HEADERS, 'X-Standin-Compute-Ms': result.computeMs.toFixed(1) };
      sendTranscript(res, result, parts, pcm.length / 16_000, headers);
    });
  }

  /** An aborted request holds the worker until its abort checkpoint. */
  async #abandon(startedAt: number): Promise<void> {
    const checkpoint = this.#opts.abortCheckpointMs ?? 0;
    if (checkpoint <= 0) return;
    this.#lateAborts++;
    await sleep(startedAt + checkpoint - performance.now());
  }
}
