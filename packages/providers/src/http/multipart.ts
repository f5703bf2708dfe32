/** Builds a multipart body with global FormData/Blob; fetch sets the boundary header itself. */
export interface FilePart {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

export function buildMultipart(file: FilePart, fields: Record<string, string | number | boolean | undefined>): FormData {
  const form = new FormData();
  // copy into a fresh ArrayBuffer-backed view: Blob wants ArrayBuffer, not SharedArrayBuffer
  const copy = new Uint8Array(file.bytes.byteLength);
  copy.set(file.bytes);
  form.append('file', new Blob([copy], { type: file.contentType }), file.filename);
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined) form.append(k, String(v));
  }
  return form;
}
