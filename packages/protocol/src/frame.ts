/**
 * Binary audio frames. Every binary WebSocket message is one frame:
 *
 *   offset size  field
 *   0      1     kind      1 = mic Opus (client -> server), 2 = TTS Opus (server -> client)
 *   1      1     version   FRAME_VERSION (1)
 *   2      2     flags     bit 0: last packet of the segment (TTS)
 *   4      4     segment   TTS segment id (unique within a session); 0 for mic audio
 *   8      4     seq       packet sequence: per session for mic audio, per segment for TTS
 *   12     ...   payload   one raw Opus packet (no Ogg framing)
 *
 * All integers are big-endian, unsigned.
 */
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 12;
export const FrameKind = { micOpus: 1, ttsOpus: 2 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];
export const FLAG_LAST = 1;

export interface AudioFrame {
  kind: FrameKind;
  flags: number;
  segment: number;
  seq: number;
  payload: Uint8Array;
}

export class FrameError extends Error {
  override name = 'FrameError';
}

export function encodeFrame(frame: AudioFrame): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + frame.payload.byteLength);
  const view = new DataView(out.buffer);
  view.setUint8(0, frame.kind);
  view.setUint8(1, FRAME_VERSION);
  view.setUint16(2, frame.flags & 0xffff);
  view.setUint32(4, frame.segment >>> 0);
  view.setUint32(8, frame.seq >>> 0);
  out.set(frame.payload, FRAME_HEADER_BYTES);
  return out;
}

/** Parses one frame; the payload is a view into `bytes` (no copy). Throws FrameError. */
export function decodeFrame(bytes: Uint8Array, maxBytes = Number.POSITIVE_INFINITY): AudioFrame {
  if (bytes.byteLength < FRAME_HEADER_BYTES) throw new FrameError(`frame shorter than its ${FRAME_HEADER_BYTES}-byte header`);
  if (bytes.byteLength > maxBytes) throw new FrameError(`frame of ${bytes.byteLength} bytes exceeds ${maxBytes}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(0);
  if (kind !== FrameKind.micOpus && kind !== FrameKind.ttsOpus) throw new FrameError(`unknown frame kind ${kind}`);
  const version = view.getUint8(1);
  if (version !== FRAME_VERSION) throw new FrameError(`unsupported frame version ${version}`);
  const payload = bytes.subarray(FRAME_HEADER_BYTES);
  if (payload.byteLength === 0) throw new FrameError('frame has an empty payload');
  return { kind, flags: view.getUint16(2), segment: view.getUint32(4), seq: view.getUint32(8), payload };
}
