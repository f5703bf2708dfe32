/** One server-sent event: `data` lines joined with "\n"; comment-only blocks produce nothing. */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
  /**
   * Value of a non-standard `error:` field line: older llama-server builds report an in-stream
   * failure as `error: {"code":...,"message":...}` (then still `data: [DONE]`).
   */
  error?: string;
}

/**
 * Incremental SSE parser (WHATWG rules): lines end in LF, CRLF or CR (even split across chunks),
 * lines starting with `:` are comments (llama.cpp `: ping`), several `data:` lines join with "\n",
 * a blank line dispatches the event. Pure: feed text, take events.
 */
export class SseParser {
  #buf = '';
  #data: string[] = [];
  #error: string[] = [];
  #event: string | undefined;
  #id: string | undefined;
  #pendingCr = false;

  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let s = text;
    if (this.#pendingCr && s.startsWith('\n')) s = s.slice(1);
    this.#pendingCr = false;
    this.#buf += s;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.#buf);
      if (!m) break;
      // a trailing CR may be the first half of CRLF: the LF is skipped when it arrives
      if (m[0] === '\r' && m.index === this.#buf.length - 1) this.#pendingCr = true;
      const line = this.#buf.slice(0, m.index);
      this.#buf = this.#buf.slice(m.index + m[0].length);
      this.#line(line, out);
    }
    return out;
  }

  /** End of stream: an unterminated final event is dispatched (lenient). */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.#buf !== '') this.#line(this.#buf, out);
    this.#buf = '';
    this.#line('', out);
    return out;
  }

  #line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0 || this.#error.length > 0) {
        const ev: SseEvent = { data: this.#data.join('\n') };
        if (this.#event !== undefined) ev.event = this.#event;
        if (this.#id !== undefined) ev.id = this.#id;
        if (this.#error.length > 0) ev.error = this.#error.join('\n');
        out.push(ev);
      }
      this.#data = [];
      this.#error = [];
      this.#event = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id') this.#id = value;
    else if (field === 'error') this.#error.push(value);
  }
}

/** Decodes a byte stream into SSE events. */
export async function* sseEvents(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder('utf-8');
  const parser = new SseParser();
  for await (const chunk of bytes) {
    yield* parser.push(decoder.decode(chunk, { stream: true }));
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
