import { readFileSync } from 'node:fs';

/** Debian `pocketsphinx-testdata`: "go forward ten meters", 16 kHz mono s16le raw. */
export const GOFORWARD_RAW = '/usr/share/pocketsphinx/test/data/goforward.raw';

export function loadGoForward(): Int16Array {
  const buf = readFileSync(GOFORWARD_RAW);
  const pcm = new Int16Array(buf.byteLength >> 1);
  for (let i = 0; i < pcm.length; i++) pcm[i] = buf.readInt16LE(i * 2);
  return pcm;
}
