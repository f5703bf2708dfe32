import { FLAG_LAST, FrameKind, TTS_AUDIO } from '@va/protocol';
import type { Clock, TtsChunk } from '../ports.ts';
import { OpusPacketizer, createOpusEncoder, type OpusEncoder } from '../audio/opus.ts';
import { StreamingResampler } from '../audio/resampler.ts';
import type { SessionOutput } from '../session/types.ts';

const FRAME_MS = TTS_AUDIO.frameMs;

/**
 * Sends TTS audio as 40 ms Opus packets at about real time with a small lead, so the client's
 * buffer stays short and an interruption wastes little. One per turn; segments share the pacing
 * clock so back-to-back segments play without a gap.
 */
export class PacedAudioSender {
  private readonly encoder: OpusEncoder;
  private readonly packetizer: OpusPacketizer;
  /** Wall time that corresponds to audio position 0 of the current continuous stream. */
  private t0 = 0;
  private streamMs = 0;
  /** All audio sent in this turn (ms) and when the first packet left. */
  totalSentMs = 0;
  firstSendAt: number | null = null;
  droppedFrames = 0;

  constructor(
    private readonly clock: Clock,
    private readonly output: SessionOutput,
    private readonly leadMs: number,
  ) {
    this.encoder = createOpusEncoder({ sampleRate: 48_000, channels: 1, bitrate: 32_000, frameMs: FRAME_MS, application: 'audio' });
    this.packetizer = new OpusPacketizer(this.encoder);
  }

  /**
   * Sends one segment; `onFirstAudio` fires just before its first packet goes out.
   * Returns the audio duration sent (ms). Stops early, without throwing, when `signal` aborts.
   */
  async sendSegment(
    segmentId: number,
    audio: AsyncIterable<TtsChunk>,
    signal: AbortSignal,
    onFirstAudio: () => void,
  ): Promise<{ durationMs: number; truncated: boolean }> {
    let resampler: StreamingResampler | null = null;
    let rate = 0;
    let seq = 0;
    let started = false;
    let pending: Uint8Array | null = null;
    const sendPacket = async (packet: Uint8Array, last: boolean) => {
      if (!started) {
        started = true;
        onFirstAudio();
      }
      await this.pace(signal);
      if (signal.aborted) return;
      const ok = this.output.sendAudio({ kind: FrameKind.ttsOpus, flags: last ? FLAG_LAST : 0, segment: segmentId, seq: seq++, payload: packet });
      if (!ok) this.droppedFrames++;
      this.streamMs += FRAME_MS;
      this.totalSentMs += FRAME_MS;
      this.firstSendAt ??= this.clock.now();
    };
    // Hold one packet back so the last one can carry FLAG_LAST; but never the first: it leaves as
    // soon as it is encoded (a one-packet segment then ends by tts.end alone).
    const emit = async (packets: Uint8Array[]) => {
      for (const p of packets) {
        if (!started) {
          await sendPacket(p, false);
          if (signal.aborted) return;
          continue;
        }
        if (pending) await sendPacket(pending, false);
        if (signal.aborted) return;
        pending = p;
      }
    };
    try {
      for await (const chunk of audio) {
        if (signal.aborted) break;
        if (!resampler || chunk.sampleRate !== rate) {
          if (resampler) await emit(this.packetizer.push(resampler.flush()));
          rate = chunk.sampleRate;
          resampler = new StreamingResampler(rate, 48_000);
        }
        // One packet's worth at a time: the first packet leaves after one frame is encoded, not
        // after the whole chunk (a TTS server may deliver seconds of audio in one burst).
        const step = Math.max(1, Math.round((rate * FRAME_MS) / 1000));
        for (let i = 0; i < chunk.pcm.length && !signal.aborted; i += step) {
          await emit(this.packetizer.push(resampler.process(chunk.pcm.subarray(i, i + step))));
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
    if (signal.aborted) {
      this.packetizer.clear();
      return { durationMs: seq * FRAME_MS, truncated: true };
    }
    if (resampler) await emit(this.packetizer.push(resampler.flush()));
    await emit(this.packetizer.flush());
    const last: Uint8Array | null = pending;
    if (last) await sendPacket(last, true);
    return { durationMs: seq * FRAME_MS, truncated: signal.aborted };
  }

  /** Waits until the next packet is due: at most `leadMs` of audio ahead of real time. */
  private async pace(signal: AbortSignal): Promise<void> {
    const now = this.clock.now();
    if (this.streamMs === 0 || now > this.t0 + this.streamMs) {
      // Start, or an underrun (TTS slower than real time): restart the pacing clock.
      this.t0 = now;
      this.streamMs = 0;
      return;
    }
    const due = this.t0 + this.streamMs - this.leadMs;
    if (due > now) {
      try {
        await this.clock.sleep(due - now, signal);
      } catch {
        // aborted: the caller checks the signal
      }
    }
  }

  /** Audio already sent that the client has not played yet (ms), by the pacing clock. */
  remainingPlaybackMs(): number {
    if (this.streamMs === 0) return 0;
    return Math.max(0, this.t0 + this.streamMs - this.clock.now());
  }

  close(): void {
    this.encoder.destroy();
  }
}
