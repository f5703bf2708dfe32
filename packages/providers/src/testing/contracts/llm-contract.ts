import { describe, expect, it } from 'vitest';
import { startForSuite } from '@va/testkit/suite';
import type { LlmChunk, LlmProvider } from '@va/pipeline';
import { createLlm } from '../../registry.ts';
import { drain, expectProviderError, expectRefusalCycle, withFault } from './common.ts';
import type { ContractServer } from './common.ts';

export interface LlmContractOptions {
  start(): Promise<ContractServer>;
  options?: Record<string, unknown>;
  model?: string;
}

/** Behaviour every LlmProvider must show against a server speaking the OpenAI chat API. */
export function llmContract(name: string, o: LlmContractOptions): void {
  describe(`LLM contract: ${name}`, () => {
    let server: ContractServer;
    const make = (timeouts: { first_byte_ms?: number; total_ms?: number } = {}): LlmProvider =>
      createLlm({ type: 'openai-chat', base_url: server.url, model: o.model ?? 'auto', timeouts, options: o.options ?? {} });
    const req = (signal = new AbortController().signal) => ({ messages: [{ role: 'user' as const, content: 'Say hello.' }], signal });
    startForSuite(o.start, (s) => (server = s));

    it('streams text, then finish and usage, never a think block', async () => {
      const chunks = await drain(make().stream(req()));
      const text = chunks.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
      expect(text.trim().length).toBeGreaterThan(0);
      expect(text).not.toMatch(/<\/?think>/);
      const finish = chunks.find((c): c is Extract<LlmChunk, { type: 'finish' }> => c.type === 'finish');
      expect(finish?.reason).toBe('stop');
      const usage = chunks.find((c) => c.type === 'usage');
      expect(usage).toMatchObject({ type: 'usage', promptTokens: expect.any(Number), completionTokens: expect.any(Number) });
    });

    it('caller abort mid-stream stops promptly with code aborted', async () => {
      const ctl = new AbortController();
      const it = make().stream(req(ctl.signal))[Symbol.asyncIterator]();
      const first = await it.next();
      expect(first.done).toBe(false);
      ctl.abort(new Error('barge-in'));
      const rest = (async () => {
        for (;;) if ((await it.next()).done) return;
      })();
      await expectProviderError(rest, 'aborted', { retryable: false, provider: 'llm:openai-chat' });
    });

    it('breaking out early leaves the provider usable', async () => {
      const llm = make();
      for await (const c of llm.stream(req())) if (c.type === 'text') break;
      const again = await drain(llm.stream(req()));
      expect(again.some((c) => c.type === 'finish')).toBe(true);
    });

    it('503 -> unavailable, retryable', async () => {
      server.setFault({ kind: 'status', status: 503, times: 1 });
      await expectProviderError(drain(make().stream(req())), 'unavailable', { retryable: true, status: 503 });
    });

    it('400 -> bad_request, not retryable; 429 -> rate_limited retryable', async () => {
      server.setFault({ kind: 'status', status: 400, times: 1 });
      await expectProviderError(drain(make().stream(req())), 'bad_request', { retryable: false, status: 400 });
      server.setFault({ kind: 'status', status: 429, times: 1 });
      await expectProviderError(drain(make().stream(req())), 'rate_limited', { retryable: true, status: 429 });
    });

    it('a hanging server -> timeout after first_byte_ms', async () => {
      const llm = make({ first_byte_ms: 300 });
      await withFault(server, { kind: 'hang' }, () => expectProviderError(drain(llm.stream(req())), 'timeout', { retryable: true }));
    });

    it('a cut stream is an error, not a silent end', async () => {
      await withFault(server, { kind: 'cut' }, () => expectProviderError(drain(make().stream(req())), ['stream_cut', 'bad_response']));
    });

    it('health ok; refused connection -> connection_refused and not ok', async () => {
      const llm = make();
      await expectRefusalCycle(server, llm, () => drain(llm.stream(req())));
    });
  });
}
