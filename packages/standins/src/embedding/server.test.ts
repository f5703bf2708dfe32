import { describe, expect, it } from 'vitest';
import { startForSuite } from '@va/testkit/suite';
import { startEmbeddingStandin } from './server.ts';
import type { EmbeddingStandin } from './server.ts';

const cos = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('llama.cpp embedding stand-in', () => {
  let e: EmbeddingStandin;
  startForSuite(() => startEmbeddingStandin({ port: 0, apiKey: 'secret', dims: 256 }), (s) => (e = s));
  const post = (path: string, body: unknown, key = 'secret'): Promise<Response> =>
    fetch(`${e.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body: JSON.stringify(body) });

  it('answers 503 Loading model on every route, then health ok', async () => {
    const loading = await startEmbeddingStandin({ port: 0, loadingMs: 3000, dims: 256 });
    try {
      for (const p of ['/health', '/v1/models', '/nope']) {
        const r = await fetch(`${loading.url}${p}`);
        expect([r.status, await r.json()]).toEqual([503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } }]);
      }
      while ((await fetch(`${loading.url}/health`)).status === 503) await new Promise((r) => setTimeout(r, 100));
      expect(await (await fetch(`${loading.url}/health`)).json()).toEqual({ status: 'ok' });
      const models = (await (await fetch(`${loading.url}/v1/models`)).json()) as { data: Array<{ meta: { n_embd: number } }> };
      expect(models.data[0]!.meta.n_embd).toBe(256);
    } finally {
      await loading.close();
    }
  });

  it('embeds in input order with unit vectors that make keyword retrieval work', async () => {
    const texts = [
      'Returns are accepted within 30 days with a receipt.',
      'The car park closes at midnight and parking is free.',
      '営業時間は午前九時から午後六時までです。',
    ];
    const queries = ['Can I return an item after 20 days without a receipt?', 'Where is the parking?', '営業時間を教えて'];
    const r = await post('/v1/embeddings', { input: [...texts, ...queries], model: 'my-model' });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { model: string; object: string; usage: { prompt_tokens: number }; data: Array<{ index: number; object: string; embedding: number[] }> };
    expect([body.model, body.object]).toEqual(['my-model', 'list']);
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
    expect(body.data.map((d) => d.index)).toEqual([0, 1, 2, 3, 4, 5]);
    const v = body.data.map((d) => d.embedding);
    for (const x of v) {
      expect(x.length).toBe(256);
      expect(cos(x, x)).toBeCloseTo(1, 5);
    }
    for (let q = 0; q < 3; q++) {
      const sims = [0, 1, 2].map((d) => cos(v[3 + q]!, v[d]!));
      expect(sims.indexOf(Math.max(...sims))).toBe(q);
    }
    expect(cos(v[3]!, v[0]!)).toBeGreaterThan(cos(v[3]!, v[1]!) + 0.2);
  });

  it('base64 encoding, native route nesting and the error envelope', async () => {
    const f = (await (await post('/v1/embeddings', { input: 'hello world' })).json()) as { data: Array<{ embedding: number[] }> };
    const b = (await (await post('/v1/embeddings', { input: 'hello world', encoding_format: 'base64' })).json()) as {
      data: Array<{ embedding: string; encoding_format: string }>;
    };
    const buf = Buffer.from(b.data[0]!.embedding, 'base64');
    const decoded = Array.from(new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4));
    expect(decoded).toEqual(f.data[0]!.embedding);
    expect(b.data[0]!.encoding_format).toBe('base64');
    const native = (await (await post('/embedding', { content: 'hello world' })).json()) as Array<{ index: number; embedding: number[][] }>;
    expect(native[0]!.embedding[0]).toEqual(f.data[0]!.embedding);
    const cases: Array<[unknown, number]> = [[{}, 400], [{ input: '' }, 400], [{ input: 'x', encoding_format: 'int8' }, 400], [{ input: [] }, 500]];
    for (const [body, status] of cases) {
      const r = await post('/v1/embeddings', body);
      expect(r.status).toBe(status);
      expect(((await r.json()) as { error: { code: number } }).error.code).toBe(status);
    }
    const unauth = await post('/v1/embeddings', { input: 'x' }, 'wrong');
    expect([unauth.status, await unauth.json()]).toEqual([401, { error: { code: 401, message: 'Invalid API Key', type: 'authentication_error' } }]);
    await fetch(`${e.url}/__standin/mode`, { method: 'POST', body: '{"mode":"pooling-none"}' });
    expect((await post('/v1/embeddings', { input: 'x' })).status).toBe(400);
    await fetch(`${e.url}/__standin/mode`, { method: 'POST', body: '{"mode":"no-embeddings"}' });
    expect((await post('/v1/embeddings', { input: 'x' })).status).toBe(501);
    await fetch(`${e.url}/__standin/mode`, { method: 'POST', body: '{"mode":"ok"}' });
  });
});
