import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';

/** Paragraph, line, sentence (Japanese and English), clause, word, then character. */
export const SEPARATORS = ['\n\n', '\n', '。', '！', '？', '. ', '! ', '? ', '、', ' ', ''];
export const CHUNK_SIZE = 500;
export const CHUNK_OVERLAP = 80;

/**
 * LangChain's recursive splitter with one change: a separator stays at the END of the piece it
 * terminates ("文。|次の文"), not at the start of the next one as `keepSeparator: true` does,
 * so a chunk never begins with a stray "。" or ". ".
 */
class SentenceEndSplitter extends RecursiveCharacterTextSplitter {
  protected override splitOnSeparator(text: string, separator: string): string[] {
    if (!separator) return [...text];
    const escaped = separator.replace(/[/\-\\^$*+?.()|[\]{}]/g, '\\$&');
    return text.split(new RegExp(`(?<=${escaped})`)).filter((s) => s !== '');
  }
}

export function createSplitter(chunkSize = CHUNK_SIZE, chunkOverlap = CHUNK_OVERLAP): RecursiveCharacterTextSplitter {
  return new SentenceEndSplitter({ chunkSize, chunkOverlap, separators: SEPARATORS, keepSeparator: true });
}

/** Normalises line endings and drops a BOM, then splits into chunks (no empty chunks). */
export async function splitText(text: string, splitter = createSplitter()): Promise<string[]> {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const chunks = await splitter.splitText(clean);
  return chunks.map((c) => c.trim()).filter((c) => c.length > 0);
}

export interface Section {
  /** Heading path ("Guide > Tickets"), absent before the first heading. */
  heading?: string;
  text: string;
}

const ATX = /^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$/;

/** Markdown by ATX headings: each section's body with its heading path (the heading lines themselves are not body). */
export function markdownSections(text: string): Section[] {
  const out: Section[] = [];
  const path: string[] = [];
  let body: string[] = [];
  let fence = false;
  const flush = (): void => {
    const t = body.join('\n').trim();
    if (t) out.push(path.length ? { heading: path.filter(Boolean).join(' > '), text: t } : { text: t });
    body = [];
  };
  for (const line of text.split('\n')) {
    if (/^ {0,3}(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : ATX.exec(line);
    if (!m) {
      body.push(line);
      continue;
    }
    flush();
    const level = m[1]!.length;
    path.length = level - 1;
    path[level - 1] = m[2]!.trim();
  }
  flush();
  return out;
}

/** Chunks of a Markdown (or PDF-as-Markdown) text: split per section, heading kept as metadata. */
export async function splitSections(text: string, splitter = createSplitter()): Promise<Section[]> {
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const out: Section[] = [];
  for (const s of markdownSections(clean)) {
    for (const c of await splitText(s.text, splitter)) out.push(s.heading ? { heading: s.heading, text: c } : { text: c });
  }
  return out;
}
