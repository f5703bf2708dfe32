import { describe, expect, it } from 'vitest';
import { startForSuite } from '@va/testkit/suite';
import type { SttProvider } from '@va/pipeline';
import { createStt } from '../../registry.ts';
import { expectProviderError, expectRefusalCycle, withFault } from './common.ts';
import type { ContractServer } from './common.ts';

export interface SttContractOptions {
  type: 'whisper-cpp' | 'openai-stt';
  start(): Promise<ContractServer>;
  model?: string;
  options?: Record<string, unknown>;
  /** 16 kHz mono audio and what its transcript must match. */
  sample: { pcm: Int16Array; expect: RegExp };
}

/** Behaviour every SttProvider must show. */
export function sttContract(name: string, o: SttContractOptions): void {
  describe(`STT contract: ${name}`, () => {
    let server: ContractServer;
    const make = (extra: Record<string, unknown> = {}, timeouts: { total_ms?: number } = {}): SttProvider =>
      createStt({ type: o.type, base_url: server.url, ...(o.model ? { model: o.model } : {}), timeouts, options: { ...o.options, ...extra } });
    const req = (signal = new AbortController().signal) => ({ pcm: o.sample.pcm, signal });
    const provider = `stt:${o.type}`;
    startForSuite(o.start, (s) => (server = s));

    it('transcribes to trimmed text', async () => {
      const r = await make().transcribe(req());
      expect(r.text).toMatch(o.sample.expect);
      expect(r.text).toBe(r.text.trim());
    });

    it('a transient 503 is retried (idempotent); with retries 0 it surfaces as unavailable', async () => {
      server.setFault({ kind: 'status', status: 503, times: 1 });
      expect((await make().transcribe(req())).text).toMatch(o.sample.expect);
      server.setFault({ kind: 'status', status: 503, times: 1 });
      await expectProviderError(make({ retries: 0 }).transcribe(req()), 'unavailable', { retryable: true, provider });
    });

    it('400 -> bad_request, not retryable', async () => {
      server.setFault({ kind: 'status', status: 400, times: 1 });
      await expectProviderError(make().transcribe(req()), 'bad_request', { retryable: false, status: 400 });
    });

    it('hang -> timeout after total_ms', async () => {
      await withFault(server, { kind: 'hang' }, () => expectProviderError(make({ retries: 0 }, { total_ms: 300 }).transcribe(req()), 'timeout', { retryable: true }));
    });

    it('caller abort -> aborted (not retried)', async () => {
      server.setFault({ kind: 'hang' });
      try {
        const ctl = new AbortController();
        setTimeout(() => ctl.abort(new Error('barge-in')), 50);
        await expectProviderError(make().transcribe(req(ctl.signal)), 'aborted', { retryable: false });
      } finally {
        server.setFault(null);
      }
    });

    it('health ok; refused -> connection_refused, health not ok', async () => {
      const stt = make({ retries: 0 });
      await expectRefusalCycle(server, stt, () => stt.transcribe(req()));
    });
  });
}
