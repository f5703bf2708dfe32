import type { ServerResponse } from 'node:http';
import { encodeWav16 } from '../http/wav.ts';
import { rampPcm } from './audio-script.ts';
import { delay, sendJson, startScriptedServer, writeInPieces } from './scripted-server.ts';
import type { ScriptedServer } from './scripted-server.ts';

/** Test fixture reproducing the Fish Speech S1 api_server `/v1/tts` and `/v1/health`. */
export interface FishScriptServer extends ScriptedServer {
  apiKey: string | null;
  /** Samples of audio per request (0 reproduces "No audio generated": 200, then nothing). */
  samples: number;
  /** Delay between the 200 headers and the first audio byte (S1 renders the whole text first). */
  firstAudioMs: number;
  /** Byte sizes of successive writes; odd sizes split samples across TCP chunks. */
  writeSizes: number[];
  /** `--max-text-length` (0 = off): longer texts get 400 `Text is too long, max length is N`. */
  maxTextLength: number;
}

export const FISH_RATE = 44100;

function fishError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const error = { 400: 'Bad Request', 401: 'Unauthorized', 415: 'Unsupported Media Type', 500: 'Internal Server Error', 503: 'Service Unavailable' }[status] ?? 'Error';
  sendJson(res, status, { statusCode: status, message, error }, headers);
}

export async function startFishScript(): Promise<FishScriptServer> {
  const self = {} as FishScriptServer;
  const server = await startScriptedServer({
    isWork: (m, p) => m === 'POST' && p === '/v1/tts',
    errorResponse: (res, status) => fishError(res, status, status === 500 ? 'Failed to generate speech' : `scripted ${status}`),
    async handle(req, res, signal) {
      if (self.apiKey !== null) {
        const auth = req.headers.authorization;
        if (!auth?.startsWith('Bearer ')) return fishError(res, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
        if (auth !== `Bearer ${self.apiKey}`) return fishError(res, 401, 'Invalid token');
      }
      if (req.path === '/v1/health') return sendJson(res, 200, { status: 'ok' });
      if (req.path !== '/v1/tts') return fishError(res, 404, 'Not Found');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return fishError(res, 415, 'Unsupported Media Type');
      const body = JSON.parse(req.body.toString()) as { text?: string; format?: string; streaming?: boolean; top_p?: unknown; temperature?: unknown };
      const errs: unknown[] = [];
      for (const k of ['top_p', 'temperature'] as const) {
        const v = body[k];
        if (v !== undefined && (typeof v !== 'number' || v < 0.1 || v > 1)) {
          errs.push({ type: 'less_than_equal', loc: ['body', k], msg: 'Input should be less than or equal to 1', input: v, ctx: { le: 1 } });
        }
      }
      if (typeof body.text !== 'string') errs.push({ type: 'missing', loc: ['body', 'text'], msg: 'Field required' });
      if (errs.length > 0) return sendJson(res, 422, errs);
      if (self.maxTextLength > 0 && (body.text ?? '').length > self.maxTextLength) {
        return fishError(res, 400, `Text is too long, max length is ${self.maxTextLength}`);
      }
      const format = body.format ?? 'wav';
      if (body.streaming && format !== 'wav') return fishError(res, 400, 'Streaming only supports WAV format');
      const pcm = rampPcm(self.samples);
      if (!body.streaming) {
        await delay(self.firstAudioMs, signal);
        const wav = encodeWav16(pcm, FISH_RATE);
        res.writeHead(200, { 'content-type': 'audio/wav', 'content-disposition': 'attachment; filename=audio.wav' });
        return void res.end(Buffer.from(wav));
      }
      // headers at once, then headerless s16le PCM (the WAV header numpy array never reaches the socket)
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-disposition': 'attachment; filename=audio.wav', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      await delay(self.firstAudioMs, signal);
      const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      await writeInPieces(res, bytes, self.writeSizes, signal);
      res.end();
    },
  });
  return Object.assign(self, server, { apiKey: null, samples: 4410, firstAudioMs: 5, writeSizes: [1, 2, 3, 1, 999, 10], maxTextLength: 0 });
}
