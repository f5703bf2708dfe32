export { MicInput, MIC_RATE, GAP_ALLOWANCE_MS, type MicFrameInfo, type MicInputEvents, type MicInputOptions } from './mic-input.ts';
export { SttScheduler, PARTIAL_SILENCE_MS, FINAL_TAIL_MS, type FinalTranscript, type SttSchedulerDeps } from './stt-scheduler.ts';
export { Listener, type HeardUtterance, type ListenerEvents } from './listener.ts';
export { classifyUtteranceEnd, endOfTurnSilenceMs, defaultTurnEndOptions, type TurnEndOptions, type UtteranceEnd } from './turn-end.ts';
export { decideBargeIn, defaultBargeInOptions, normalizeUtterance, type BargeInDecision, type BargeInOptions, type BargeInState } from './backchannel.ts';
export { EchoGuard, defaultEchoGuardOptions, type EchoGuardOptions } from './echo-guard.ts';
export { trackPitch, finalContour, intonationOf, defaultPitchOptions, defaultContourOptions, defaultIntonationOptions, type PitchOptions, type PitchFrame, type FinalContour, type ContourOptions, type Intonation, type IntonationOptions } from './prosody.ts';
