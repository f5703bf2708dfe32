import { describe, expect, it } from 'vitest';
import { startForSuite } from '@va/testkit/suite';
import type { TtsProvider } from '@va/pipeline';
import { createTts } from '../../registry.ts';
import { drain, expectProviderError, expectRefusalCycle, withFault } from './common.ts';
import type { ContractServer } from './common.ts';

export interface TtsContractOptions {
  type: 'fish-speech' | 'openai-tts';
  start(): Promise<ContractServer>;
  model?: string;
  apiKey?: string;
  options?: Record<string, unknown>;
  sampleRate: number;
}

/** Behaviour every TtsProvider must show. */
export function ttsContract(name: string, o: TtsContractOptions): void {
  describe(`TTS contract: ${name}`, () => {
    let server: ContractServer;
    const make = (timeouts: { first_byte_ms?: number; total_ms?: number } = {}): TtsProvider =>
      createTts({
        type: o.type,
        base_url: server.url,
        ...(o.model ? { model: o.model } : {}),
        ...(o.apiKey ? { api_key: o.apiKey } : {}),
        timeouts,
        options: o.options ?? {},
      });
    const req = (signal = new AbortController().signal) => ({ text: 'Your order is ready.', signal });
    const provider = `tts:${o.type}`;
    startForSuite(o.start, (s) => (server = s));

    it('yields mono s16 chunks at the configured rate', async () => {
      const chunks = await drain(make().synthesize(req()));
      expect(chunks.length).toBeGreaterThan(0);
      for (const c of chunks) {
        expect(c.sampleRate).toBe(o.sampleRate);
        expect(c.pcm).toBeInstanceOf(Int16Array);
      }
      const total = chunks.reduce((n, c) => n + c.pcm.length, 0);
      expect(total).toBeGreaterThan(o.sampleRate / 20);
      expect(chunks.some((c) => c.pcm.some((x) => x !== 0))).toBe(true);
    });

    it('empty text yields nothing without a request', async () => {
      expect(await drain(make().synthesize({ text: '  ', signal: new AbortController().signal }))).toEqual([]);
    });

    it('503 -> unavailable retryable; 400 -> bad_request', async () => {
      server.setFault({ kind: 'status', status: 503, times: 1 });
      await expectProviderError(drain(make().synthesize(req())), 'unavailable', { retryable: true, status: 503, provider });
      server.setFault({ kind: 'status', status: 400, times: 1 });
      await expectProviderError(drain(make().synthesize(req())), 'bad_request', { retryable: false, status: 400 });
    });

    it('hang -> timeout after first_byte_ms; caller abort -> aborted', async () => {
      server.setFault({ kind: 'hang' });
      try {
        await expectProviderError(drain(make({ first_byte_ms: 300 }).synthesize(req())), 'timeout', { retryable: true });
        const ctl = new AbortController();
        setTimeout(() => ctl.abort(new Error('barge-in')), 50);
        await expectProviderError(drain(make().synthesize(req(ctl.signal))), 'aborted', { retryable: false });
      } finally {
        server.setFault(null);
      }
    });

    it('a cut stream is an error', async () => {
      await withFault(server, { kind: 'cut' }, () => expectProviderError(drain(make().synthesize(req())), ['stream_cut', 'bad_response']));
    });

    it('health ok; refused -> connection_refused, not ok', async () => {
      const tts = make();
      await expectRefusalCycle(server, tts, () => drain(tts.synthesize(req())));
    });
  });
}
