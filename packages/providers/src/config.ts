import { z } from 'zod';

/** Roles a provider can fill (the keys of config/providers.yaml). */
export type ProviderRole = 'llm' | 'stt' | 'tts' | 'embedding';

export const PROVIDER_TYPES = [
  'openai-chat',
  'whisper-cpp',
  'openai-stt',
  'fish-speech',
  'openai-tts',
  'openai-embeddings',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** Which `type:` values each role accepts. */
export const TYPES_BY_ROLE: Record<ProviderRole, readonly ProviderType[]> = {
  llm: ['openai-chat'],
  stt: ['whisper-cpp', 'openai-stt'],
  tts: ['fish-speech', 'openai-tts'],
  embedding: ['openai-embeddings'],
};

/** A number, or a numeric string (values filled from env placeholders arrive as strings). */
export const numberish = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'expected a number')
    .transform(Number),
]);
/** A boolean, or "true"/"false"/"1"/"0". */
export const boolish = z.union([
  z.boolean(),
  z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1'),
]);
/** An optional string where "" means "not set" (env placeholders with empty defaults). */
export const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));

const positiveMs = numberish.pipe(z.number().positive());

export const timeoutsSchema = z
  .object({
    connect_ms: positiveMs.optional(),
    first_byte_ms: positiveMs.optional(),
    total_ms: positiveMs.optional(),
  })
  .strict();

/** The config block of one provider, as written in config/providers.yaml. */
export const providerConfigSchema = z
  .object({
    type: z.enum(PROVIDER_TYPES),
    base_url: z.url(),
    model: optionalString,
    api_key: optionalString,
    timeouts: timeoutsSchema.optional(),
    /**
     * The server writes without TCP_NODELAY (cpp-httplib: whisper-server, llama-server): each request
     * goes on a fresh connection (opened ahead) instead of a pooled one, which would cost ~40 ms.
     * Default: true for whisper-cpp and openai-embeddings, detected for openai-chat (llama-server
     * answers `/props`), false otherwise. `npm run doctor` measures both.
     */
    nagle: boolish.optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type ProviderConfig = z.input<typeof providerConfigSchema>;
export type ParsedProviderConfig = z.output<typeof providerConfigSchema>;

export interface ResolvedTimeouts {
  connectMs: number;
  firstByteMs: number;
  totalMs: number;
}

/** Defaults per role: LLM and TTS stream (first byte matters), STT and embeddings are one-shot. */
export const DEFAULT_TIMEOUTS: Record<ProviderRole, ResolvedTimeouts> = {
  llm: { connectMs: 3000, firstByteMs: 10_000, totalMs: 60_000 },
  stt: { connectMs: 3000, firstByteMs: 10_000, totalMs: 10_000 },
  tts: { connectMs: 3000, firstByteMs: 15_000, totalMs: 60_000 },
  embedding: { connectMs: 3000, firstByteMs: 5000, totalMs: 5000 },
};

export function resolveTimeouts(role: ProviderRole, t: ParsedProviderConfig['timeouts']): ResolvedTimeouts {
  const d = DEFAULT_TIMEOUTS[role];
  const totalMs = t?.total_ms ?? d.totalMs;
  return {
    connectMs: t?.connect_ms ?? d.connectMs,
    // first byte can never outlast the whole call
    firstByteMs: Math.min(t?.first_byte_ms ?? d.firstByteMs, totalMs),
    totalMs,
  };
}

export class ProviderConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderConfigError';
  }
}

/** Validates `options` with a strict schema; the error names the offending key. */
export function parseOptions<S extends z.ZodType>(schema: S, options: unknown, where: string): z.output<S> {
  const r = schema.safeParse(options ?? {});
  if (r.success) return r.data;
  const parts = r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `unknown option key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    const key = i.path.map(String).join('.');
    return `option "${key}": ${i.message}`;
  });
  throw new ProviderConfigError(`${where}: ${parts.join('; ')}`);
}

/** Parses a whole provider block; the error names the offending key. */
export function parseProviderConfig(config: unknown, where = 'provider'): ParsedProviderConfig {
  const r = providerConfigSchema.safeParse(config);
  if (r.success) return r.data;
  const parts = r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `"${i.path.map(String).join('.')}": ${i.message}`;
  });
  throw new ProviderConfigError(`${where}: ${parts.join('; ')}`);
}

/** Joins a base URL (which may carry a path prefix such as `/compat`) and a route path. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}
