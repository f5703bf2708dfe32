export { createLlm, createStt, createTts, createEmbedder } from './registry.ts';
export { loadEnv, parseEnvFile } from './config-file/env.ts';
export { ConfigError, substitutePlaceholders } from './config-file/placeholders.ts';
export { loadProvidersFile, loadProviderSettings } from './config-file/providers-file.ts';
export type { ChatLlm, ThinkStats } from './openai-compatible/llm.ts';
export type { ContextWindow, FitInput, FitResult } from './openai-compatible/context.ts';
export type { ThinkCount } from './openai-compatible/chat-stream.ts';
export type { ProvidersFile } from './config-file/providers-file.ts';
