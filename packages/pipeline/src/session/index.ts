export * from './types.ts';
export { VoiceSession } from './voice-session.ts';
export { runTurn, errInfo, type TurnInput, type TurnResult } from './turn.ts';
export { buildMessages, renderContext, type HistoryTurn } from './prompt.ts';
export { heardText, estimatePlayed, type SentSegment } from './heard-text.ts';
export { AsyncQueue } from './async-queue.ts';
export { MicInput, MIC_RATE } from './mic-input.ts';
export { PARTIAL_SILENCE_MS, FINAL_TAIL_MS } from './stt-scheduler.ts';
export { llmApology, languageOf } from './fallbacks.ts';
