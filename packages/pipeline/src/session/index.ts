export * from './types.ts';
export { VoiceSession } from './voice-session.ts';
export { reportTurn, type FinishedTurn } from './turn-report.ts';
