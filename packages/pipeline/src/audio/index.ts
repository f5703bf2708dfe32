export * from './codec.ts';
export {
  OpusDecodeError,
  OpusEncodeError,
  OpusPacketizer,
  createOpusDecoder,
  createOpusEncoder,
  type OpusDecoder,
  type OpusDecoderOptions,
  type OpusEncoder,
  type OpusEncoderOptions,
  type OpusFrameMs,
  type OpusSampleRate,
} from './opus.ts';
export { SileroVad, SileroVadModel, VAD_FRAME_SAMPLES, VAD_SAMPLE_RATE, defaultSileroModelPath } from './vad.ts';
export { createEndpointer, type EndpointEvent, type Endpointer, type EndpointerOptions } from './endpointer.ts';
export { PcmBuffer, type PcmBufferOptions } from './pcm-buffer.ts';
export { COMMON_TTS_RATES, warmUpAudioPath } from './warm-up.ts';
