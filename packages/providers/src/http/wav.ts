/**
 * The WAV codec and the PCM byte helpers live in @va/pipeline (audio/wav.ts, audio/pcm.ts); these
 * are the names the adapters import them by.
 */
export { decodeWavMono as decodeWav16, encodeWav as encodeWav16, pcmFromBytes as bytesToInt16, pcmToBytes as int16ToBytes } from '@va/pipeline';
