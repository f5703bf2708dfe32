import { bearerToken, readBody, sendJson, sleep } from '../common/http-util.ts';
import { serveStandin } from '../common/standin-server.ts';
import type { RequestContext, RunningStandin } from '../common/standin-server.ts';
import { countTokens, featureVector } from '../engines/text-features.ts';
import { llamaError } from '../common/llama-error.ts';

export type EmbeddingMode = 'ok' | 'pooling-none' | 'no-embeddings';

export interface EmbeddingStandinOptions {
  host?: string;
  port?: number;
  /** Vector width (`meta.n_embd`). Default 384. */
  dims?: number;
  /** Server model id (llama.cpp `--alias`). Default `standin-text-features`. */
  modelId?: string;
  /** Each embedding request answers no earlier than this after its body arrived. Default 0. */
  latencyMs?: number;
  /** Start-up phase during which every route answers 503 `Loading model`. Default 0. */
  loadingMs?: number;
  /** `--api-key`: required on every route except health and models. */
  apiKey?: string;
  /** `pooling-none` / `no-embeddings` reproduce the two misconfiguration errors. Default `ok`. */
  mode?: EmbeddingMode;
  /**
   * llama-server's physical batch (`-ub`, 512 observed): an input of more tokens fails with 500
   * `input is too large to process. increase the physical batch size` (a client error sent as
   * 500: retrying cannot help). 0 = no limit. Default 0.
   */
  batchTokens?: number;
  /** Write without TCP_NODELAY, headers and body apart (cpp-httplib). Default false. */
  nagle?: boolean;
}

export interface EmbeddingStandin extends RunningStandin {
  setLoading(loading: boolean): void;
}

/** Inputs as texts; token-id arrays are embedded by their id sequence. */
function inputs(value: unknown): string[] | undefined {
  const one = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : Array.isArray(v) && v.every((x) => typeof x === 'number') ? v.join(' ') : undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((x) => typeof x === 'number')) return [value.join(' ')];
    const out = value.map(one);
    return out.every((x) => x !== undefined) ? (out as string[]) : undefined;
  }
  return undefined;
}

/** llama-server's embedding endpoints (OpenAI `/v1/embeddings` and native `/embedding(s)`), with its switches. */
class EmbeddingServer {
  readonly dims: number;
  readonly model: string;
  readonly startedAt = Date.now();
  mode: EmbeddingMode;
  forcedLoading: boolean | undefined;
  embedded = 0;
  readonly #opts: EmbeddingStandinOptions;

  constructor(opts: EmbeddingStandinOptions) {
    this.#opts = opts;
    this.dims = opts.dims ?? 384;
    this.model = opts.modelId ?? 'standin-text-features';
    this.mode = opts.mode ?? 'ok';
  }

  loading(): boolean {
    return this.forcedLoading ?? Date.now() - this.startedAt < (this.#opts.loadingMs ?? 0);
  }

  authorised(ctx: RequestContext): boolean {
    const apiKey = this.#opts.apiKey;
    if (!apiKey) return true;
    const key = bearerToken(ctx.req) ?? (ctx.req.headers['x-api-key'] as string | undefined);
    if (key === apiKey) return true;
    llamaError(ctx.res, 401, 'Invalid API Key');
    return false;
  }

  setMode(b: Record<string, unknown>): void {
    if (b['mode'] === 'ok' || b['mode'] === 'pooling-none' || b['mode'] === 'no-embeddings') this.mode = b['mode'];
    if (typeof b['loading'] === 'boolean') this.forcedLoading = b['loading'];
  }

  async embed(ctx: RequestContext, native: boolean): Promise<void> {
    const { res } = ctx;
    const raw = (await readBody(ctx.req)).toString('utf8');
    const { mode, dims } = this; // the mode as it is once the body has arrived
    const t0 = ctx.arrivedAt;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
    } catch (e) {
      return llamaError(res, 500, `[json.exception.parse_error] ${e instanceof Error ? e.message : String(e)}`);
    }
    if (mode === 'no-embeddings') {
      return llamaError(res, 501, 'This server does not support embeddings. Start it with `--embeddings`');
    }
    if (mode === 'pooling-none' && !native) {
      return llamaError(res, 400, "Pooling type 'none' is not OAI compatible. Please use a different pooling type");
    }
    const source = body['input'] ?? body['content'];
    if (source === undefined) return llamaError(res, 400, '"input" or "content" must be provided');
    const format = body['encoding_format'] ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      return llamaError(res, 400, 'The format to return the embeddings in. Can be either float or base64');
    }
    const texts = inputs(source);
    if (!texts) return llamaError(res, 400, '"input" must be a string, a list of strings or a list of tokens');
    if (texts.length === 0) return llamaError(res, 500, 'input is empty');
    if (texts.some((t) => t.trim() === '')) return llamaError(res, 400, 'Input content cannot be empty');
    const batch = this.#opts.batchTokens ?? 0;
    if (batch > 0 && texts.some((t) => countTokens(t) + 2 > batch)) {
      return llamaError(res, 500, 'input is too large to process. increase the physical batch size');
    }
    const vectors = texts.map((t) => featureVector(t, dims));
    this.embedded += texts.length;
    if (!(await sleep((this.#opts.latencyMs ?? 0) + ctx.extraMs - (performance.now() - t0), ctx.signal))) return;
    if (native) return sendJson(res, 200, vectors.map((v, index) => ({ index, embedding: [Array.from(v)] })));
    const tokens = texts.reduce((n, t) => n + countTokens(t) + 2, 0);
    sendJson(res, 200, {
      model: typeof body['model'] === 'string' ? body['model'] : this.model,
      object: 'list',
      usage: { prompt_tokens: tokens, total_tokens: tokens },
      data: vectors.map((v, index) =>
        format === 'base64'
          ? { embedding: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'), index, object: 'embedding', encoding_format: 'base64' }
          : { embedding: Array.from(v), index, object: 'embedding' },
      ),
    });
  }
}

/** Routes of llama-server with `--embeddings`: 503 while loading, health and models open, the rest behind the key. */
async function route(e: EmbeddingServer, ctx: RequestContext): Promise<void> {
  const { req, res, path } = ctx;
  const { model, dims } = e;
  const method = req.method ?? 'GET';
  if (e.loading()) {
    await readBody(req).catch(() => undefined);
    return llamaError(res, 503, 'Loading model');
  }
  if (method === 'GET' && (path === '/health' || path === '/v1/health')) return sendJson(res, 200, { status: 'ok' });
  if (method === 'GET' && (path === '/models' || path === '/v1/models')) {
    const meta = { vocab_type: 0, n_vocab: 0, n_ctx_train: 512, n_embd: dims, n_params: 0, size: 0, n_ctx: 512 };
    return sendJson(res, 200, {
      object: 'list',
      data: [{ id: model, object: 'model', owned_by: 'llamacpp', created: Math.floor(e.startedAt / 1000), meta }],
      models: [{ name: model, model, modified_at: '', size: '', digest: '', type: 'model', description: '', tags: [''], capabilities: ['completion'], parameters: '', details: { parent_model: '', format: 'gguf', family: '', families: [''], parameter_size: '', quantization_level: '' } }],
    });
  }
  if (!e.authorised(ctx)) return;
  if (method === 'POST' && path === '/v1/embeddings') return e.embed(ctx, false);
  if (method === 'POST' && (path === '/embedding' || path === '/embeddings')) return e.embed(ctx, true);
  await readBody(req).catch(() => undefined);
  llamaError(res, 404, 'File Not Found');
}

export async function startEmbeddingStandin(opts: EmbeddingStandinOptions = {}): Promise<EmbeddingStandin> {
  const embedding = new EmbeddingServer(opts);
  const running = await serveStandin({
    name: 'embedding',
    host: opts.host,
    port: opts.port,
    nagle: opts.nagle,
    isWorkRoute: (method, path) => method === 'POST' && ['/v1/embeddings', '/embedding', '/embeddings'].includes(path),
    errorResponse: (res, status, _path, message) => llamaError(res, status, message),
    handle: (ctx) => route(embedding, ctx),
    setMode: (b) => embedding.setMode(b),
    extraStats: () => ({ embedded: embedding.embedded }),
  });
  return { ...running, setLoading: (l) => void (embedding.forcedLoading = l) };
}
