export { MicInput, MIC_RATE, GAP_ALLOWANCE_MS, type MicFrameInfo, type MicInputEvents, type MicInputOptions } from './mic-input.ts';
export { SttScheduler, PARTIAL_SILENCE_MS, FINAL_TAIL_MS, type FinalTranscript, type SttSchedulerDeps } from './stt-scheduler.ts';
export { Listener, type HeardUtterance, type ListenerEvents } from './listener.ts';
