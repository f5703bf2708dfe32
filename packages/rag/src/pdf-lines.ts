/**
 * pdf.js gives a page as layout lines: a sentence wrapped over two lines arrives cut, a Japanese one
 * without any space to tell. Lines are joined back into paragraphs (no space between CJK characters,
 * one space between Latin words), and a short line without sentence punctuation that is followed by
 * text is taken as a heading and written as a Markdown heading, so it becomes chunk metadata instead
 * of being glued to the sentence after it.
 */
const CJK = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
const END = /[。！？.!?:：」』）)]$/u;

const width = (s: string): number => [...s].reduce((w, ch) => w + (CJK.test(ch) ? 2 : 1), 0);

export function pdfPageToMarkdown(page: string): string {
  const lines = page.split('\n').map((l) => l.trim());
  const full = Math.max(1, ...lines.map(width));
  const out: string[] = [];
  let para = '';
  const flush = (): void => {
    if (para) out.push(para);
    para = '';
  };
  lines.forEach((line, i) => {
    if (!line) return flush();
    const next = lines[i + 1] ?? '';
    const short = width(line) < 0.6 * full && width(line) <= 40;
    if (!para && short && !END.test(line) && next !== '' && !/^[-•・*\d]/u.test(line)) {
      out.push(`## ${line}`);
      return;
    }
    if (!para) para = line;
    else para += CJK.test(para.at(-1) ?? '') && CJK.test(line[0] ?? '') ? line : ` ${line}`;
    const wrapped = !END.test(line) && width(line) >= 0.8 * full;
    if (!wrapped) flush();
  });
  flush();
  return out.join('\n\n');
}
