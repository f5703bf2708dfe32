import { bearerToken, readBody, sendJson } from '../common/http-util.ts';
import { serveStandin } from '../common/standin-server.ts';
import type { RequestContext, RunningStandin } from '../common/standin-server.ts';
import { httpError } from './http.ts';
import { FishSynthesis } from './synthesis.ts';

export { FISH_SAMPLE_RATE } from './synthesis.ts';

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

function authorised(apiKey: string | undefined, ctx: RequestContext): boolean {
  if (!apiKey) return true;
  const h = ctx.req.headers.authorization;
  if (!h || !/^Bearer\s/i.test(h)) {
    httpError(ctx.res, 401, 'Not authenticated', { 'WWW-Authenticate': 'Bearer' });
    return false;
  }
  if (bearerToken(ctx.req) !== apiKey) {
    httpError(ctx.res, 401, 'Invalid token', { 'WWW-Authenticate': 'Bearer' });
    return false;
  }
  return true;
}

/** Routes of the Fish Speech stand-in; every one, health included, behind the api key when set. */
async function route(fish: FishSynthesis, apiKey: string | undefined, ctx: RequestContext): Promise<void> {
  const { req, res, path } = ctx;
  const method = req.method ?? 'GET';
  if (!authorised(apiKey, ctx)) return;
  if (path === '/v1/health' && (method === 'GET' || method === 'POST')) {
    if (fish.blockHealth) await fish.idle();
    return sendJson(res, 200, { status: 'ok' });
  }
  if (path === '/v1/tts') {
    if (method !== 'POST') return httpError(res, 405, 'Method Not Allowed');
    return fish.tts(ctx);
  }
  await readBody(req).catch(() => undefined);
  httpError(res, 404, 'Not Found');
}

export async function startFishSpeechStandin(opts: FishSpeechStandinOptions = {}): Promise<FishSpeechStandin> {
  const fish = new FishSynthesis(opts);
  return serveStandin({
    name: 'fish-speech',
    host: opts.host,
    port: opts.port,
    isWorkRoute: (method, path) => method === 'POST' && path === '/v1/tts',
    errorResponse: (res, status, _path, message) => httpError(res, status, message),
    handle: (ctx) => route(fish, opts.apiKey, ctx),
    setMode: (body) => fish.setMode(body),
    extraStats: () => fish.stats(),
  }).then((running) => ({ ...running, setBlockHealthDuringSynthesis: (on: boolean) => void (fish.blockHealth = on) }));
}
