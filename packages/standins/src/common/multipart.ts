export interface MultipartPart {
  name: string;
  filename?: string | undefined;
  contentType?: string | undefined;
  data: Buffer;
}

/** Boundary from a `multipart/form-data; boundary=...` Content-Type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Parses a multipart/form-data body. Throws on a malformed body. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delim = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) throw new Error('multipart boundary not found');
  for (;;) {
    pos += delim.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new Error('multipart part without headers');
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headerEnd + 4);
    if (next < 0) throw new Error('unterminated multipart part');
    const data = body.subarray(headerEnd + 4, next);
    let name: string | undefined;
    let filename: string | undefined;
    let contentType: string | undefined;
    for (const h of headers) {
      const [k, ...rest] = h.split(':');
      const v = rest.join(':').trim();
      if (k?.trim().toLowerCase() === 'content-disposition') {
        name = /\bname="([^"]*)"/i.exec(v)?.[1];
        filename = /\bfilename="([^"]*)"/i.exec(v)?.[1];
      } else if (k?.trim().toLowerCase() === 'content-type') {
        contentType = v.toLowerCase();
      }
    }
    if (name !== undefined) parts.push({ name, filename, contentType, data });
    pos = next + 2;
  }
  return parts;
}

/** Text value of a non-file field, or undefined. */
export function field(parts: MultipartPart[], name: string): string | undefined {
  const p = parts.find((x) => x.name === name);
  return p ? p.data.toString('utf8') : undefined;
}
