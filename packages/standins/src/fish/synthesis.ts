import { encodeMp3 } from '../audio/mp3.ts';
import { concatPcm, encodeWav, pcmToBytes } from '@va/pipeline/audio-codec';
import { sendJson, sleep } from '../common/http-util.ts';
import { Mutex } from '../common/mutex.ts';
import type { RequestContext } from '../common/standin-server.ts';
import { splitSentences } from '../engines/espeak.ts';
import { synthesizeSpeech, type SpeechEngine } from '../engines/speech.ts';
import { httpError, writeChunked } from './http.ts';
import { readTtsBody, s2VoiceIdError, validateTtsBody } from './request.ts';
import type { TtsRequestBody } from './request.ts';
import type { FishSpeechStandinOptions } from './server.ts';

export const FISH_SAMPLE_RATE = 44_100;

/** `POST /v1/tts` of the Fish Speech stand-in: one synthesis at a time, with its counters and switches. */
export class FishSynthesis {
  blockHealth: boolean;
  burstPerSentence: boolean;
  readonly #opts: FishSpeechStandinOptions;
  readonly #mutex = new Mutex();
  #syntheses = 0;
  #lastComputeMs = 0;
  readonly #engineRuns: Record<SpeechEngine, number> = { open_jtalk: 0, 'espeak-ng': 0 };
  #failures = 0;
  #abandoned = 0;

  constructor(opts: FishSpeechStandinOptions) {
    this.#opts = opts;
    this.blockHealth = opts.blockHealthDuringSynthesis ?? false;
    this.burstPerSentence = opts.burstPerSentence ?? false;
  }

  /** Resolves when every synthesis queued so far is done (health blocked during synthesis). */
  idle(): Promise<void> {
    return this.#mutex.run(() => undefined);
  }

  setMode(body: Record<string, unknown>): void {
    if (typeof body['blockHealthDuringSynthesis'] === 'boolean') this.blockHealth = body['blockHealthDuringSynthesis'];
    if (typeof body['burstPerSentence'] === 'boolean') this.burstPerSentence = body['burstPerSentence'];
  }

  stats(): Record<string, number> {
    const runs = this.#engineRuns;
    return {
      syntheses: this.#syntheses, queued: this.#mutex.queued, lastComputeMs: this.#lastComputeMs, openJTalkRuns: runs.open_jtalk,
      espeakRuns: runs['espeak-ng'], failures: this.#failures, abandoned: this.#abandoned,
    };
  }

  async tts(ctx: RequestContext): Promise<void> {
    const { res } = ctx;
    const opts = this.#opts;
    const body = await readTtsBody(ctx.req);
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
    await this.#mutex.run(() => (ctx.signal.aborted && !opts.uncancellable ? undefined : this.#generate(ctx, v, disposition)));
  }

  /** A failure during generation: a 500 before the headers; after them a clean end, or a cut like the real server. */
  #fail(ctx: RequestContext, v: TtsRequestBody, message: string): void {
    if (!v.streaming) return httpError(ctx.res, 500, message);
    if (this.#opts.realFailures) ctx.res.destroy();
    else ctx.res.end();
  }

  async #generate(ctx: RequestContext, v: TtsRequestBody, disposition: Record<string, string>): Promise<void> {
    const { res } = ctx;
    const opts = this.#opts;
    // uncancellable: the work runs to the end of the text; only the writes stop for a gone client
    const signal = opts.uncancellable ? undefined : ctx.signal;
    const t0 = this.#mutex.serviceStart(ctx.arrivedAt);
    if (opts.realFailures && (v.repetitionPenalty ?? 0) >= 2) {
      this.#failures++;
      return this.#fail(ctx, v, 'AssertionError: repetition_penalty must be < 2');
    }
    const pieces = v.streaming && this.burstPerSentence ? splitSentences(v.text) : [v.text];
    const all: Int16Array[] = [];
    let charsDone = 0;
    for (const piece of pieces) {
      let pcm: Int16Array;
      try {
        const speech = await synthesizeSpeech(piece, { sampleRate: FISH_SAMPLE_RATE, ...(signal ? { signal } : {}) });
        pcm = speech.pcm;
        this.#syntheses++;
        for (const e of speech.engines) this.#engineRuns[e]++;
        this.#lastComputeMs = speech.computeMs;
      } catch (e) {
        if (ctx.signal.aborted) return;
        this.#failures++;
        return this.#fail(ctx, v, e instanceof Error ? e.message : String(e));
      }
      charsDone += piece.length;
      const due = (opts.firstByteMs ?? 0) + (opts.msPerChar ?? 0) * charsDone + ctx.extraMs;
      if (!(await sleep(due - (performance.now() - t0), signal)) || ctx.signal.aborted) {
        if (signal) return;
        this.#abandoned++;
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
    const headers = { ...disposition, 'X-Standin-Compute-Ms': this.#lastComputeMs.toFixed(1) };
    if (v.format === 'wav') return writeChunked(res, 'audio/wav', encodeWav(pcm, FISH_SAMPLE_RATE), headers);
    if (v.format === 'mp3') return writeChunked(res, 'audio/mpeg', encodeMp3(pcm, FISH_SAMPLE_RATE), headers);
    httpError(res, 500, 'Failed to generate speech');
  }
}
