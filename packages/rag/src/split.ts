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
