/**
 * Turns an s16le byte stream split at arbitrary (TCP) boundaries into whole samples: an odd
 * trailing byte is kept and prefixed to the next chunk.
 */
export class PcmCarry {
  #odd: number | undefined;
  /** Total bytes seen, including a carried byte. */
  bytes = 0;

  push(chunk: Uint8Array): Int16Array {
    this.bytes += chunk.byteLength;
    let src = chunk;
    if (this.#odd !== undefined && chunk.byteLength > 0) {
      src = new Uint8Array(chunk.byteLength + 1);
      src[0] = this.#odd;
      src.set(chunk, 1);
      this.#odd = undefined;
    }
    const even = src.byteLength & ~1;
    if (even !== src.byteLength) this.#odd = src[src.byteLength - 1];
    const n = even >> 1;
    const out = new Int16Array(n);
    const v = new DataView(src.buffer, src.byteOffset, even);
    for (let i = 0; i < n; i++) out[i] = v.getInt16(i * 2, true);
    return out;
  }

  /** Whether a dangling half sample is pending (dropped at end of stream). */
  get hasCarry(): boolean {
    return this.#odd !== undefined;
  }
}
