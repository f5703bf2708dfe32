import { OpusPacketizer, createOpusDecoder, createOpusEncoder } from './opus.ts';
import { StreamingResampler } from './resampler.ts';

/** Sample rates TTS servers commonly return (Fish 44.1 kHz, OpenAI-style 24 kHz, others). */
export const COMMON_TTS_RATES: readonly number[] = [44_100, 24_000, 22_050, 16_000, 32_000];

/**
 * Runs the audio path once with a short tone, so the first answer of the first session does not
 * pay one-time costs on its critical path: compiling libopus's WASM paths, building resampler
 * filter tables (cached per ratio), and JIT warm-up of the per-sample loops. Measured here: the
 * first TTS packet of a cold process took ~35 ms longer than later ones. Returns the time spent (ms).
 */
export function warmUpAudioPath(ttsRates: readonly number[] = COMMON_TTS_RATES): number {
  const t0 = performance.now();
  const encoder = createOpusEncoder({ sampleRate: 48_000, channels: 1, bitrate: 32_000, frameMs: 40, application: 'audio' });
  const decoder = createOpusDecoder({ sampleRate: 48_000, channels: 1 });
  try {
    const packetizer = new OpusPacketizer(encoder);
    for (const rate of ttsRates) {
      const tone = new Int16Array(Math.round(rate * 0.1)).map((_, i) => Math.round(3000 * Math.sin((2 * Math.PI * 220 * i) / rate)));
      const rs = new StreamingResampler(rate, 48_000);
      for (const p of [...packetizer.push(rs.process(tone)), ...packetizer.push(rs.flush()), ...packetizer.flush()]) decoder.decode(p);
    }
    // the mic path: 48 kHz from the browser down to the VAD/STT rate
    const down = new StreamingResampler(48_000, 16_000);
    down.process(new Int16Array(960));
    down.flush();
  } finally {
    encoder.destroy();
    decoder.destroy();
  }
  return performance.now() - t0;
}
