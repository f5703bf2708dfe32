import type { IncomingMessage } from 'node:http';
import { unpack } from 'msgpackr';
import { mediaType, readBody } from '../common/http-util.ts';
import { field, multipartBoundary, parseMultipart } from '../common/multipart.ts';

/** Validation of Fish Speech's `ServeTTSRequest` body, with pydantic-style 422 error items. */
export interface TtsRequestBody {
  text: string;
  format: 'wav' | 'pcm' | 'mp3' | 'opus';
  streaming: boolean;
  referenceId: string | null;
  repetitionPenalty: number | null;
}

/** Voice ids S2-era servers accept (S1 takes any string). */
export const S2_VOICE_ID = /^[A-Za-z0-9_ -]+$/;

/** The 422 item for a reference_id an S2 server refuses, or undefined. */
export function s2VoiceIdError(referenceId: string | null): FieldError | undefined {
  if (referenceId === null || S2_VOICE_ID.test(referenceId)) return undefined;
  return err('reference_id', 'string_pattern_mismatch', `String should match pattern '${S2_VOICE_ID.source}'`, referenceId);
}

export interface FieldError {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
}

type Check = (v: unknown, name: string) => FieldError | undefined;

const err = (name: string, type: string, msg: string, input: unknown): FieldError => ({ type, loc: ['body', name], msg, input });

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const range = (lo: number, hi: number): Check => (v, n) => {
  if (!isNum(v)) return err(n, 'float_type', 'Input should be a valid number', v);
  if (v < lo) return err(n, 'greater_than_equal', `Input should be greater than or equal to ${lo}`, v);
  if (v > hi) return err(n, 'less_than_equal', `Input should be less than or equal to ${hi}`, v);
  return undefined;
};
const int: Check = (v, n) => (isNum(v) && Number.isInteger(v) ? undefined : err(n, 'int_type', 'Input should be a valid integer', v));
const bool: Check = (v, n) => (typeof v === 'boolean' ? undefined : err(n, 'bool_type', 'Input should be a valid boolean', v));
const str: Check = (v, n) => (typeof v === 'string' ? undefined : err(n, 'string_type', 'Input should be a valid string', v));
const oneOf = (...vals: string[]): Check => (v, n) =>
  typeof v === 'string' && vals.includes(v) ? undefined : err(n, 'literal_error', `Input should be ${vals.map((x) => `'${x}'`).join(', ')}`, v);
const nullable = (c: Check): Check => (v, n) => (v === null ? undefined : c(v, n));
const list: Check = (v, n) => (Array.isArray(v) ? undefined : err(n, 'list_type', 'Input should be a valid list', v));

const FIELDS: Record<string, Check> = {
  text: str,
  format: oneOf('wav', 'pcm', 'mp3', 'opus'),
  streaming: bool,
  reference_id: nullable(str),
  references: list,
  use_memory_cache: oneOf('on', 'off'),
  seed: nullable(int),
  chunk_length: int, // declared range 100-300 is not enforced by the server
  max_new_tokens: int,
  top_p: range(0.1, 1),
  temperature: range(0.1, 1),
  repetition_penalty: range(0.9, 2),
  normalize: bool,
  latency: oneOf('normal', 'balanced'),
};

/** Returns the parsed request or the list of field errors (unknown fields are ignored). */
export function validateTtsBody(body: unknown): TtsRequestBody | FieldError[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object', input: body }];
  }
  const b = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (!('text' in b)) errors.push(err('text', 'missing', 'Field required', b));
  for (const [name, check] of Object.entries(FIELDS)) {
    if (name in b && b[name] !== undefined) {
      const e = check(b[name], name);
      if (e) errors.push(e);
    }
  }
  if (errors.length) return errors;
  return {
    text: b['text'] as string,
    format: (b['format'] as TtsRequestBody['format'] | undefined) ?? 'wav',
    streaming: (b['streaming'] as boolean | undefined) ?? false,
    referenceId: (b['reference_id'] as string | null | undefined) ?? null,
    repetitionPenalty: (b['repetition_penalty'] as number | undefined) ?? null,
  };
}

/** Multipart text fields arrive as strings: coerce the numeric/boolean ones like the server's parser. */
export function coerceFormFields(fields: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (['top_p', 'temperature', 'repetition_penalty', 'seed', 'chunk_length', 'max_new_tokens'].includes(k) && v.trim() !== '' && !Number.isNaN(Number(v))) {
      out[k] = Number(v);
    } else if (['streaming', 'normalize'].includes(k) && ['true', 'false'].includes(v)) out[k] = v === 'true';
    else out[k] = v;
  }
  return out;
}

/** Reads a `/v1/tts` body as JSON, msgpack or multipart form; `unsupported` / `malformed` when it cannot. */
export async function readTtsBody(req: IncomingMessage): Promise<unknown | 'unsupported' | 'malformed'> {
  const type = mediaType(req);
  const raw = await readBody(req);
  try {
    if (type === 'application/json') return JSON.parse(raw.toString('utf8')) as unknown;
    if (type === 'application/msgpack') return unpack(raw) as unknown;
    if (type === 'multipart/form-data') {
      const boundary = multipartBoundary(req.headers['content-type']);
      if (!boundary) return 'malformed';
      const parts = parseMultipart(raw, boundary);
      const fields: Record<string, string> = {};
      for (const p of parts) fields[p.name] = field(parts, p.name) ?? '';
      return coerceFormFields(fields);
    }
  } catch {
    return 'malformed';
  }
  return 'unsupported';
}
