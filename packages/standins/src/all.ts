import type { RunningStandin } from './common/standin-server.ts';
import { startChatStandin } from './chat/server.ts';
import type { ChatStandin, ChatStandinOptions } from './chat/server.ts';
import { startEmbeddingStandin } from './embedding/server.ts';
import type { EmbeddingStandin, EmbeddingStandinOptions } from './embedding/server.ts';
import { startFishSpeechStandin } from './fish/server.ts';
import type { FishSpeechStandin, FishSpeechStandinOptions } from './fish/server.ts';
import { startOpenAiAudioStandin } from './openai-audio/server.ts';
import type { OpenAiAudioStandinOptions } from './openai-audio/server.ts';
import { startWhisperStandin } from './whisper/server.ts';
import type { WhisperStandin, WhisperStandinOptions } from './whisper/server.ts';

export interface AllStandinsConfig {
  host?: string;
  llm?: ChatStandinOptions | false;
  stt?: WhisperStandinOptions | false;
  tts?: FishSpeechStandinOptions | false;
  embedding?: EmbeddingStandinOptions | false;
  audio?: OpenAiAudioStandinOptions | false;
}

export interface AllStandins {
  llm?: ChatStandin;
  stt?: WhisperStandin;
  tts?: FishSpeechStandin;
  embedding?: EmbeddingStandin;
  audio?: RunningStandin;
  close(): Promise<void>;
}

/** Starts every stand-in not set to `false` (ports default to 0 = ephemeral). Closes all on failure. */
export async function startAllStandins(config: AllStandinsConfig = {}): Promise<AllStandins> {
  const host = config.host;
  const out: AllStandins = { close: async () => undefined };
  const started: RunningStandin[] = [];
  const add = <T extends RunningStandin>(s: T): T => {
    started.push(s);
    return s;
  };
  out.close = async () => {
    await Promise.all(started.map((s) => s.close()));
  };
  try {
    if (config.stt !== false) out.stt = add(await startWhisperStandin({ host, ...config.stt }));
    if (config.tts !== false) out.tts = add(await startFishSpeechStandin({ host, ...config.tts }));
    if (config.llm !== false) out.llm = add(await startChatStandin({ host, ...config.llm }));
    if (config.embedding !== false) out.embedding = add(await startEmbeddingStandin({ host, ...config.embedding }));
    if (config.audio !== false) out.audio = add(await startOpenAiAudioStandin({ host, ...config.audio }));
  } catch (err) {
    await out.close();
    throw err;
  }
  return out;
}
