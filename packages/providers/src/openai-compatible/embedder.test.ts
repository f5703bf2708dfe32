import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddingStandin } from '@va/standins';
import { createEmbedder } from '../registry.ts';
import { expectProviderError } from '../testing/contracts/common.ts';
import { embedderContract } from '../testing/contracts/embedder-contract.ts';
import { startEmbeddingScript, vectorFor } from '../testing/embedding-script.ts';
import type { EmbeddingScriptServer } from '../testing/embedding-script.ts';

embedderContract('scripted llama.cpp (float)', { start: () => startEmbeddingScript() });
embedderContract('scripted llama.cpp (base64)', { start: () => startEmbeddingScript(), options: { encoding_format: 'base64' } });
embedderContract('@va/standins embedding', { start: () => startEmbeddingStandin({ port: 0 }), model: 'bge-m3' });

describe('openai-embeddings wire details (scripted)', () => {
  let s: EmbeddingScriptServer;
  beforeAll(async () => {
    s = await startEmbeddingScript();
  });
  afterAll(() => s.close());
  const emb = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    createEmbedder({ type: 'openai-embeddings', base_url: s.url, options, ...extra });

  it('sends array input in batches with encoding_format and model; bearer key', async () => {
    s.requests.length = 0;
    await emb({ batch_size: 2 }, { model: 'bge-m3', api_key: 'k' }).embed(['a', 'b', 'c']);
    const bodies = s.work().map((r) => JSON.parse(r.body.toString()) as unknown);
    expect(bodies).toEqual([
      { input: ['a', 'b'], encoding_format: 'float', model: 'bge-m3' },
      { input: ['c'], encoding_format: 'float', model: 'bge-m3' },
    ]);
    expect(s.work()[0]!.headers.authorization).toBe('Bearer k');
  });

  it('no model configured: llama.cpp needs none; discover_model asks /v1/models', async () => {
    s.requests.length = 0;
    await emb().embed(['a']);
    expect(JSON.parse(s.work()[0]!.body.toString())).not.toHaveProperty('model');
    await emb({ discover_model: true }).embed(['a']);
    expect(JSON.parse(s.work()[1]!.body.toString())).toMatchObject({ model: 'bge-small' });
  });

  it('orders by index when the server answers out of order; base64 decodes to the same floats', async () => {
    s.reverse = true;
    try {
      const [a, b] = await emb({ encoding_format: 'base64', normalize: false }).embed(['first', 'second']);
      const expectA = vectorFor('first', 8);
      const n = Math.hypot(...expectA);
      expect(Array.from(a!)).toEqual(expectA.map((x) => Math.fround(x / n)));
      expect(b!.length).toBe(8);
    } finally {
      s.reverse = false;
    }
  });

  it('normalize option L2-normalises unnormalised vectors; normalize=false leaves them', async () => {
    s.unnormalised = true;
    try {
      const [v] = await emb().embed(['x']);
      expect(Math.hypot(...v!)).toBeCloseTo(1, 5);
      const [raw] = await emb({ normalize: false }).embed(['x']);
      expect(Math.hypot(...raw!)).not.toBeCloseTo(1, 2);
    } finally {
      s.unnormalised = false;
    }
  });

  it('unequal widths -> bad_response', async () => {
    s.shortAt = 1;
    try {
      await expectProviderError(emb().embed(['a', 'b']), 'bad_response', { retryable: false });
    } finally {
      s.shortAt = null;
    }
  });

  it('llama.cpp error envelope message is surfaced; Loading model is retryable', async () => {
    s.loading = true;
    const e = await expectProviderError(emb({ retries: 0 }).embed(['a']), 'unavailable', { status: 503, retryable: true });
    expect(e.message).toContain('Loading model');
    expect(await emb().health()).toMatchObject({ ok: false, detail: 'http_503' });
    s.loading = false;
  });
});
