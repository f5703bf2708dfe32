import { finalContour, intonationOf, resampleOnce } from '@va/pipeline';
import { RATE, type Clip } from './clips.ts';

/** The pitch at the end of a clip's speech (listen/prosody.ts on its 16 kHz audio), for --verbose and prosody-probe.ts. */
export function endPitch(c: Clip): string {
  const end = Math.round((c.speechEndMs * RATE) / 1000);
  const k = finalContour(resampleOnce(c.pcm.subarray(0, end), RATE, 16_000));
  if (!k) return 'no voicing';
  return `${intonationOf(k)} (slope ${k.slope.toFixed(1)} st/s, last 100 ms ${k.finalDrop.toFixed(2)} st)`;
}
