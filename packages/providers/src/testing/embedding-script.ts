import { sendJson, startScriptedServer } from './scripted-server.ts';
import type { ScriptedServer } from './scripted-server.ts';

/** Test fixture reproducing llama.cpp `llama-server --embeddings` `/v1/embeddings`. */
export interface EmbeddingScriptServer extends ScriptedServer {
  dims: number;
  /** Answer items in reverse order (clients must order by `index`). */
  reverse: boolean;
  /** Return vectors that are NOT unit length (as with `--embd-normalize -1`). */
  unnormalised: boolean;
  /** Make the vector of this input index one element short. */
  shortAt: number | null;
  /** While true every route answers 503 `Loading model`. */
  loading: boolean;
}

const llamaError = (status: number, message: string, type: string): unknown => ({ error: { code: status, message, type } });

/** A deterministic vector per text. */
export function vectorFor(text: string, dims: number): number[] {
  const v: number[] = [];
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  for (let i = 0; i < dims; i++) {
    h = Math.imul(h ^ i, 16777619);
    v.push(((h >>> 0) % 2000) / 1000 - 1);
  }
  return v;
}

export async function startEmbeddingScript(): Promise<EmbeddingScriptServer> {
  const self = {} as EmbeddingScriptServer;
  const server = await startScriptedServer({
    isWork: (m, p) => m === 'POST' && p === '/v1/embeddings',
    errorResponse: (res, status) =>
      sendJson(res, status, status === 503 ? llamaError(503, 'Loading model', 'unavailable_error') : llamaError(status, `scripted ${status}`, status >= 500 ? 'server_error' : 'invalid_request_error')),
    handle(req, res) {
      if (self.loading) return sendJson(res, 503, llamaError(503, 'Loading model', 'unavailable_error'));
      if (req.path === '/health' || req.path === '/v1/health') return sendJson(res, 200, { status: 'ok' });
      if (req.path === '/v1/models') return sendJson(res, 200, { object: 'list', data: [{ id: 'bge-small', object: 'model', owned_by: 'llamacpp', meta: { n_embd: self.dims } }] });
      if (req.path !== '/v1/embeddings') return sendJson(res, 404, llamaError(404, 'File Not Found', 'not_found_error'));
      let body: { input?: unknown; encoding_format?: string; model?: string };
      try {
        body = JSON.parse(req.body.toString()) as typeof body;
      } catch {
        return sendJson(res, 500, llamaError(500, 'invalid JSON', 'server_error'));
      }
      if (body.input === undefined) return sendJson(res, 400, llamaError(400, '"input" or "content" must be provided', 'invalid_request_error'));
      const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
      if (inputs.length === 0) return sendJson(res, 500, llamaError(500, 'empty input', 'server_error'));
      const fmt = body.encoding_format ?? 'float';
      if (fmt !== 'float' && fmt !== 'base64') return sendJson(res, 400, llamaError(400, 'The format to return the embeddings in. Can be either float or base64', 'invalid_request_error'));
      const data = inputs.map((text, index) => {
        let v = vectorFor(text, self.shortAt === index ? self.dims - 1 : self.dims);
        if (!self.unnormalised) {
          const n = Math.hypot(...v);
          v = v.map((x) => x / n);
        }
        if (fmt === 'base64') {
          const f = Float32Array.from(v);
          return { embedding: Buffer.from(f.buffer).toString('base64'), index, object: 'embedding', encoding_format: 'base64' };
        }
        return { embedding: v, index, object: 'embedding' };
      });
      if (self.reverse) data.reverse();
      return sendJson(res, 200, { model: body.model ?? 'bge-small', object: 'list', usage: { prompt_tokens: inputs.length, total_tokens: inputs.length }, data });
    },
  });
  return Object.assign(self, server, { dims: 8, reverse: false, unnormalised: false, shortAt: null, loading: false });
}
