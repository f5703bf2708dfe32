import type { Embedder, Logger, SttProvider, TtsProvider } from '@va/pipeline';
import { ProviderConfigError, TYPES_BY_ROLE, parseProviderConfig, resolveTimeouts } from './config.ts';
import type { ParsedProviderConfig, ProviderConfig, ProviderRole, ProviderType, ResolvedTimeouts } from './config.ts';
import { createFishSpeechTts } from './fish-speech/tts.ts';
import { createOpenAiEmbedder } from './openai-compatible/embedder.ts';
import { createOpenAiChatLlm } from './openai-compatible/llm.ts';
import type { ChatLlm, OpenAiChatDeps } from './openai-compatible/llm.ts';
import { createOpenAiStt } from './openai-compatible/stt.ts';
import { createOpenAiTts } from './openai-compatible/tts.ts';
import { createWhisperCppStt } from './whisper-cpp/stt.ts';

export interface ProviderDeps {
  logger?: Logger | undefined;
  /** LLM only: a stream carried a think block (count it: thinking is meant to be off). */
  onThink?: OpenAiChatDeps['onThink'];
}

type Factory<P> = (config: ParsedProviderConfig, timeouts: ResolvedTimeouts, deps: ProviderDeps) => P;

/** Config `type:` -> factory, per role. Adding a server family = one line here. */
const LLM: Partial<Record<ProviderType, Factory<ChatLlm>>> = { 'openai-chat': createOpenAiChatLlm };
const STT: Partial<Record<ProviderType, Factory<SttProvider>>> = { 'whisper-cpp': createWhisperCppStt, 'openai-stt': createOpenAiStt };
const TTS: Partial<Record<ProviderType, Factory<TtsProvider>>> = { 'fish-speech': createFishSpeechTts, 'openai-tts': createOpenAiTts };
const EMBEDDING: Partial<Record<ProviderType, Factory<Embedder>>> = { 'openai-embeddings': createOpenAiEmbedder };

function build<P>(role: ProviderRole, table: Partial<Record<ProviderType, Factory<P>>>, config: ProviderConfig | ParsedProviderConfig, deps: ProviderDeps): P {
  const parsed = parseProviderConfig(config, role);
  const factory = table[parsed.type];
  if (!factory) {
    throw new ProviderConfigError(`${role}: "type" ${parsed.type} is not a ${role} provider (allowed: ${TYPES_BY_ROLE[role].join(', ')})`);
  }
  return factory(parsed, resolveTimeouts(role, parsed.timeouts), deps);
}

export function createLlm(config: ProviderConfig, deps: ProviderDeps = {}): ChatLlm {
  return build('llm', LLM, config, deps);
}
export function createStt(config: ProviderConfig, deps: ProviderDeps = {}): SttProvider {
  return build('stt', STT, config, deps);
}
export function createTts(config: ProviderConfig, deps: ProviderDeps = {}): TtsProvider {
  return build('tts', TTS, config, deps);
}
export function createEmbedder(config: ProviderConfig, deps: ProviderDeps = {}): Embedder {
  return build('embedding', EMBEDDING, config, deps);
}
