import { WavFormatError, float32ToPcm16 } from '@va/pipeline/audio-codec';
import { resample } from './resample.ts';
import { decodeWavMono, type DecodedAudio } from './wav.ts';

/** Decodes an uploaded audio file (RIFF/WAVE; MP3 is not supported by the stand-in). */
export function decodeAudioFile(buf: Uint8Array): DecodedAudio {
  if (buf.length >= 12 && String.fromCharCode(...buf.subarray(0, 4)) === 'RIFF') return decodeWavMono(buf);
  throw new WavFormatError('unsupported or unrecognised audio container');
}

/** Any decoded audio as 16 kHz mono 16-bit PCM. */
export function to16kPcm(audio: DecodedAudio): Int16Array {
  return float32ToPcm16(resample(audio.samples, audio.sampleRate, 16_000));
}
