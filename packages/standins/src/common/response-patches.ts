import type { ServerResponse } from 'node:http';

/** Sends the headers in a write of their own as soon as they are set (cpp-httplib's order of writes). */
export function separateHeaderWrite(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  (res as unknown as { writeHead: (...args: unknown[]) => ServerResponse }).writeHead = (...args: unknown[]) => {
    writeHead(...args);
    res.flushHeaders();
    return res;
  };
}

/** Makes the response send its headers and part of its first body write, then drops the connection. */
export function armCut(res: ServerResponse): void {
  const origWrite = res.write.bind(res) as (chunk: Buffer, cb: () => void) => boolean;
  let done = false;
  const cut = (chunk: unknown): void => {
    if (done) return;
    done = true;
    const b = chunk === undefined || chunk === null ? Buffer.alloc(0) : Buffer.from(chunk as Buffer);
    const part = b.subarray(0, Math.max(1, b.length >> 1));
    if (b.length === 0) res.flushHeaders();
    origWrite(b.length === 0 ? Buffer.from(' ') : part, () => setTimeout(() => res.socket?.destroy(), 20));
  };
  const patched = res as unknown as { write: (c: unknown) => boolean; end: (c?: unknown) => ServerResponse };
  patched.write = (c: unknown) => {
    cut(c);
    return true;
  };
  patched.end = (c?: unknown) => {
    cut(c);
    return res;
  };
}
