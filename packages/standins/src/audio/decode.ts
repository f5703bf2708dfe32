import { resample } from './resample.ts';
import { AudioDecodeError, decodeWav, floatToInt16 } from './wav.ts';
import type { DecodedAudio } from './wav.ts';

/** Decodes an uploaded audio file (RIFF/WAVE; MP3 is not supported by the stand-in). */
export function decodeAudioFile(buf: Buffer): DecodedAudio {
  if (buf.length >= 12 && buf.toString('ascii', 0, 4) === 'RIFF') return decodeWav(buf);
  throw new AudioDecodeError('unsupported or unrecognised audio container');
}

/** Any decoded audio as 16 kHz mono 16-bit PCM. */
export function to16kPcm(audio: DecodedAudio): Int16Array {
  return floatToInt16(resample(audio.samples, audio.sampleRate, 16_000));
}
