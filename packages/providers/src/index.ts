export {
  providerConfigSchema,
  timeoutsSchema,
  parseProviderConfig,
  resolveTimeouts,
  ProviderConfigError,
  PROVIDER_TYPES,
  TYPES_BY_ROLE,
  DEFAULT_TIMEOUTS,
} from './config.ts';
export type { ProviderConfig, ParsedProviderConfig, ProviderRole, ProviderType, ResolvedTimeouts } from './config.ts';
export { createProvider, createLlm, createStt, createTts, createEmbedder } from './registry.ts';
export type { ProviderDeps } from './registry.ts';
export { createOpenAiChatLlm, openAiChatOptionsSchema } from './openai-compatible/llm.ts';
export { chatChunkSchema, parseChatStream } from './openai-compatible/chat-stream.ts';
export { ThinkStripper, stripThink } from './openai-compatible/think-strip.ts';
export { createOpenAiEmbedder, openAiEmbeddingsOptionsSchema, embeddingsResponseSchema } from './openai-compatible/embedder.ts';
export { createOpenAiStt, openAiSttOptionsSchema } from './openai-compatible/stt.ts';
export { createOpenAiTts, openAiTtsOptionsSchema, speechRequestSchema } from './openai-compatible/tts.ts';
export { createWhisperCppStt, whisperCppOptionsSchema, whisperResponseSchema } from './whisper-cpp/stt.ts';
export { createFishSpeechTts, fishSpeechOptionsSchema, fishTtsRequestSchema } from './fish-speech/tts.ts';
export { SseParser, sseEvents } from './http/sse.ts';
export type { SseEvent } from './http/sse.ts';
export { encodeWav16, decodeWav16 } from './http/wav.ts';
export { PcmCarry } from './http/pcm-carry.ts';
export { classifyStatus, errorMessageFromBody } from './http/errors.ts';
export { probeHealth } from './http/health.ts';
export { withTimeout } from './wrappers/with-timeout.ts';
export { withRetry } from './wrappers/with-retry.ts';
export type { RetryOptions } from './wrappers/with-retry.ts';
export { loadEnv, parseEnvFile } from './config-file/env.ts';
export { ConfigError, substitutePlaceholders } from './config-file/placeholders.ts';
export { loadProvidersFile, loadProviderSettings } from './config-file/providers-file.ts';
export type { ProvidersFile } from './config-file/providers-file.ts';
