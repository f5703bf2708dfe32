export { StreamingResampler, resampleOnce, type ResamplerOptions } from './resampler.ts';
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
export { WavFormatError, decodeWav, decodeWavMono, encodeWav, type DecodedWav } from './wav.ts';
export { concatPcm, float32ToPcm16, mixToMono, pcm16ToFloat32, pcmFromBytes, pcmToBytes, rms } from './pcm.ts';
export { PcmBuffer, type PcmBufferOptions } from './pcm-buffer.ts';
export { COMMON_TTS_RATES, warmUpAudioPath } from './warm-up.ts';
