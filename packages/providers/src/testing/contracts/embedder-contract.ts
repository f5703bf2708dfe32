import { describe, expect, it } from 'vitest';
import { startForSuite } from '@va/testkit/suite';
import type { Embedder } from '@va/pipeline';
import { createEmbedder } from '../../registry.ts';
import { expectProviderError, expectRefusalCycle } from './common.ts';
import type { ContractServer } from './common.ts';

export interface EmbedderContractOptions {
  start(): Promise<ContractServer>;
  model?: string;
  options?: Record<string, unknown>;
}

const norm = (v: Float32Array): number => Math.hypot(...v);
const cos = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0) / (norm(a) * norm(b));

/** Behaviour every Embedder must show. */
export function embedderContract(name: string, o: EmbedderContractOptions): void {
  describe(`Embedder contract: ${name}`, () => {
    let server: ContractServer;
    const make = (extra: Record<string, unknown> = {}, timeouts: { total_ms?: number } = {}): Embedder =>
      createEmbedder({ type: 'openai-embeddings', base_url: server.url, ...(o.model ? { model: o.model } : {}), timeouts, options: { ...o.options, ...extra } });
    startForSuite(o.start, (s) => (server = s));

    it('embeds in input order across batches, unit length, equal widths', async () => {
      const texts = ['opening hours', 'refund policy', 'parking', 'opening hours', 'wifi password'];
      const e = make({ batch_size: 2 });
      const vs = await e.embed(texts);
      expect(vs).toHaveLength(5);
      const width = vs[0]!.length;
      expect(width).toBeGreaterThan(0);
      for (const v of vs) {
        expect(v).toBeInstanceOf(Float32Array);
        expect(v.length).toBe(width);
        expect(norm(v)).toBeCloseTo(1, 4);
      }
      expect(cos(vs[0]!, vs[3]!)).toBeCloseTo(1, 5);
      const single = await e.embed(['parking']);
      expect(cos(single[0]!, vs[2]!)).toBeCloseTo(1, 5);
    });

    it('empty input -> no request, empty result', async () => {
      expect(await make().embed([])).toEqual([]);
    });

    it('transient 503 (Loading model) is retried; without retries it is unavailable', async () => {
      server.setFault({ kind: 'status', status: 503, times: 1 });
      expect(await make().embed(['x'])).toHaveLength(1);
      server.setFault({ kind: 'status', status: 503, times: 1 });
      await expectProviderError(make({ retries: 0 }).embed(['x']), 'unavailable', { retryable: true, status: 503, provider: 'embedding:openai-embeddings' });
    });

    it('400 -> bad_request; hang -> timeout; abort -> aborted', async () => {
      server.setFault({ kind: 'status', status: 400, times: 1 });
      await expectProviderError(make().embed(['x']), 'bad_request', { retryable: false });
      server.setFault({ kind: 'hang' });
      try {
        await expectProviderError(make({ retries: 0 }, { total_ms: 300 }).embed(['x']), 'timeout');
        const ctl = new AbortController();
        setTimeout(() => ctl.abort(), 50);
        await expectProviderError(make().embed(['x'], ctl.signal), 'aborted', { retryable: false });
      } finally {
        server.setFault(null);
      }
    });

    it('health ok; refused -> not ok', async () => {
      const e = make({ retries: 0 });
      await expectRefusalCycle(server, e, () => e.embed(['x']));
    });
  });
}
