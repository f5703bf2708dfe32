import { decodeWavMono as decodeWavFile, pcm16ToFloat32 } from '@va/pipeline/audio-codec';

/** The stand-ins' view of a WAV file: mono float samples (the codec itself is @va/pipeline's). */
export interface DecodedAudio {
  sampleRate: number;
  /** Mono samples (down-mixed), float in [-1, 1]. */
  samples: Float32Array;
}

/** A RIFF/WAVE file (PCM 8/16/24/32-bit or float) as mono float; throws WavFormatError. */
export function decodeWavMono(bytes: Uint8Array): DecodedAudio {
  const wav = decodeWavFile(bytes);
  return { sampleRate: wav.sampleRate, samples: pcm16ToFloat32(wav.pcm) };
}
