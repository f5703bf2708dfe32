import type { ServerResponse } from 'node:http';
import { delay, sendJson, startScriptedServer } from './scripted-server.ts';
import type { RecordedRequest, ScriptedServer } from './scripted-server.ts';

/** Test fixture reproducing NIM/vLLM and llama.cpp chat servers, frame for frame. */
export type Flavour = 'vllm' | 'llama.cpp';
export type ThinkAs = 'reasoning' | 'reasoning_content' | 'content';

const base = (flavour: Flavour, model: string): Record<string, unknown> =>
  flavour === 'vllm'
    ? { id: 'chatcmpl-7f3a', object: 'chat.completion.chunk', created: 1767225600, model }
    : { created: 1767225600, id: 'chatcmpl-Xq1', model, system_fingerprint: 'b10573-1a2b3c', object: 'chat.completion.chunk' };

const frame = (obj: unknown): string => `data: ${JSON.stringify(obj)}\n\n`;

/** A whole SSE body as the real servers send it: role chunk, deltas, finish chunk, usage chunk, [DONE]. */
export function chatFrames(opts: {
  flavour: Flavour;
  model?: string;
  pieces: string[];
  think?: { as: ThinkAs; pieces: string[] } | undefined;
  usage?: boolean;
  finish?: string;
  done?: boolean;
}): string[] {
  const model = opts.model ?? 'qwen/qwen3-32b';
  const b = base(opts.flavour, model);
  const choice = (delta: unknown, finish: string | null): unknown =>
    opts.flavour === 'vllm' ? { index: 0, delta, logprobs: null, finish_reason: finish } : { finish_reason: finish, index: 0, delta };
  const out = [frame({ ...b, choices: [choice({ role: 'assistant', content: opts.flavour === 'vllm' ? '' : null }, null)] })];
  if (opts.think) {
    const t = opts.think;
    if (t.as === 'content') {
      for (const p of ['<think>', ...t.pieces, '</think>', '\n\n']) out.push(frame({ ...b, choices: [choice({ content: p }, null)] }));
    } else {
      for (const p of t.pieces) out.push(frame({ ...b, choices: [choice({ [t.as]: p }, null)] }));
    }
  }
  for (const p of opts.pieces) out.push(frame({ ...b, choices: [choice({ content: p }, null)] }));
  out.push(frame({ ...b, choices: [choice({}, opts.finish ?? 'stop')], ...(opts.flavour === 'llama.cpp' ? { timings: { predicted_n: opts.pieces.length } } : {}) }));
  if (opts.usage !== false) {
    out.push(frame({ ...b, choices: [], usage: { prompt_tokens: 12, completion_tokens: opts.pieces.length, total_tokens: 12 + opts.pieces.length } }));
  }
  if (opts.done !== false) out.push('data: [DONE]\n\n');
  return out;
}

export type ErrorShape = 'openai' | 'vllm-object';
export function chatErrorBody(shape: ErrorShape, status: number, message: string): unknown {
  const type = status === 503 ? 'unavailable_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return shape === 'openai' ? { error: { code: status, message, type } } : { object: 'error', message, type, param: null, code: status };
}

export interface ChatScriptServer extends ScriptedServer {
  /** Override the next streamed bodies (raw text written one element per write). */
  script: ((body: Record<string, unknown>) => string[]) | null;
  frameDelayMs: number;
  errorShape: ErrorShape;
  readyStatus: number;
  modelId: string;
}

export async function startChatScript(opts: { flavour?: Flavour; nim?: boolean } = {}): Promise<ChatScriptServer> {
  const flavour = opts.flavour ?? 'vllm';
  const state = { script: null as ChatScriptServer['script'], frameDelayMs: 2, errorShape: 'openai' as ErrorShape, readyStatus: 200, modelId: 'qwen/qwen3-32b' };
  let self: ChatScriptServer = state as unknown as ChatScriptServer;
  const errorResponse = (res: ServerResponse, status: number): void =>
    sendJson(res, status, chatErrorBody(self.errorShape, status, status === 503 ? 'Loading model' : `scripted ${status}`));
  const server = await startScriptedServer({
    isWork: (m, p) => m === 'POST' && p === '/v1/chat/completions',
    errorResponse,
    async handle(req: RecordedRequest, res, signal) {
      if (req.path === '/v1/models') return sendJson(res, 200, { object: 'list', data: [{ id: self.modelId, object: 'model', owned_by: 'system' }] });
      if (opts.nim !== false && req.path === '/v1/health/ready') return sendJson(res, self.readyStatus, { object: 'health.response', message: self.readyStatus === 200 ? 'Service is ready.' : 'Service is not ready.' });
      if (req.path === '/health') return sendJson(res, self.readyStatus, {});
      if (req.path !== '/v1/chat/completions') return sendJson(res, 404, chatErrorBody('openai', 404, 'File Not Found'));
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return sendJson(res, 500, chatErrorBody(self.errorShape, 500, 'invalid JSON'));
      }
      const kwargs = body.chat_template_kwargs as { enable_thinking?: boolean } | undefined;
      const frames = self.script
        ? self.script(body)
        : chatFrames({
            flavour,
            model: self.modelId,
            pieces: ['Hello', ' there', '.', ' How can I', ' help?'],
            think: kwargs?.enable_thinking === false ? undefined : { as: 'reasoning_content', pieces: ['Let me', ' think.'] },
            usage: (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true,
          });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
      for (const f of frames) {
        if (signal.aborted) return;
        res.write(f);
        await delay(self.frameDelayMs, signal);
      }
      res.end();
    },
  });
  self = Object.assign(server, state);
  return self;
}
