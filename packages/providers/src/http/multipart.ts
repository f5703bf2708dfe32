import { randomBytes } from 'node:crypto';

/** A multipart/form-data body (RFC 7578) built in memory: one file part plus text fields. */
export interface FilePart {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

export interface MultipartBody {
  body: Uint8Array;
  /** `multipart/form-data; boundary=...` for the Content-Type header. */
  contentType: string;
}

const quote = (s: string): string => s.replace(/["\r\n\\]/g, (c) => (c === '"' ? '%22' : c === '\\' ? '\\\\' : ' '));

export function buildMultipart(file: FilePart, fields: Record<string, string | number | boolean | undefined>): MultipartBody {
  const boundary = `----va-${randomBytes(12).toString('hex')}`;
  const enc = new TextEncoder();
  const head: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    head.push(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(k)}"\r\n\r\n${String(v)}\r\n`);
  }
  head.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(file.filename)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
  );
  const pre = enc.encode(head.join(''));
  const post = enc.encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(pre.byteLength + file.bytes.byteLength + post.byteLength);
  body.set(pre, 0);
  body.set(file.bytes, pre.byteLength);
  body.set(post, pre.byteLength + file.bytes.byteLength);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
