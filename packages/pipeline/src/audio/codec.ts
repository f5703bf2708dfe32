/**
 * The audio helpers with no native dependency (WAV, PCM, resampling): what processes that never
 * run the VAD import (`@va/pipeline/audio-codec`, e.g. the stand-in servers' image, which has no
 * onnxruntime). The package's main entry re-exports them too.
 */
export { StreamingResampler, resampleOnce, type ResamplerOptions } from './resampler.ts';
export { WavFormatError, decodeWav, decodeWavMono, encodeWav, type DecodedWav } from './wav.ts';
export { concatPcm, float32ToPcm16, mixToMono, pcm16ToFloat32, pcmFromBytes, pcmToBytes, rms } from './pcm.ts';
