import { readFile } from 'node:fs/promises';
import { pdfPageToMarkdown } from './pdf-lines.ts';

/** Text of a supported file. Throws with a short reason when it cannot be read or has no text. */
export async function loadText(abs: string, bytes?: Buffer): Promise<string> {
  const data = bytes ?? (await readFile(abs));
  if (abs.toLowerCase().endsWith('.pdf')) return pdfText(data);
  return data.toString('utf8');
}

/** PDF text via pdf-parse v2 (pdf.js): layout lines joined into paragraphs, short title lines as headings, pages joined by a blank line. */
export async function pdfText(data: Buffer): Promise<string> {
  const { PDFParse } = await import('pdf-parse');
  // pdf.js takes ownership of the array; give it a copy, not a view of a pooled Buffer.
  const parser = new PDFParse({ data: new Uint8Array(data) });
  try {
    const result = await parser.getText();
    const text = result.pages
      .map((p) => pdfPageToMarkdown(p.text.trim()))
      .filter((t) => t.length > 0)
      .join('\n\n');
    if (!text) throw new Error('no extractable text (scanned PDF?)');
    return text;
  } finally {
    await parser.destroy();
  }
}
