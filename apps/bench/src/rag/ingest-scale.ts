import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnAndWait } from '../child-line.ts';
import { enSection, jaSection, prng } from './corpus.ts';

/**
 * `npm run bench -- --rag --ingest-mb 100 [--json]`: ingest that scales. Writes a folder of `mb`
 * megabytes (ja + en Markdown pages of the benchmark's domain, 512 KB each, sections of 2-4 paragraphs, plus one file over the
 * per-file cap), ingests it in a child process with the embedded embedder and reports the child's
 * peak RSS, chunks, throughput and the refusal line; then re-runs it unchanged (incremental).
 */
export interface IngestScaleFigures {
  folder_mb: number;
  files: number;
  chunks: number;
  seconds: number;
  chunks_per_s: number;
  mb_per_s: number;
  peak_rss_mb: number;
  refused: string[];
  rerun_seconds: number;
  rerun_embedded: number;
}

function writeFolder(dir: string, mb: number): { files: number; bytes: number } {
  const r = prng(5);
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  let files = 0;
  let i = 0;
  while (bytes < mb * 1024 * 1024) {
    const parts: string[] = [`# Midori Botanical Garden / みどり植物園 ${files}`];
    let size = 0;
    while (size < 512 * 1024) {
      // A section as documents have them: a heading over a few paragraphs (the benchmark's sections are one paragraph).
      const gen = i % 2 ? jaSection : enSection;
      const paragraphs = Array.from({ length: 2 + (i % 3) }, (_, j) => gen(r, i * 10 + j).replace(/^## .*\n\n/, ''));
      const s = `${gen(r, i).split('\n')[0]}\n\n${paragraphs.join('\n\n')}`;
      parts.push(s);
      size += Buffer.byteLength(s) + 2;
      i++;
    }
    const text = parts.join('\n\n');
    writeFileSync(join(dir, `page-${String(files).padStart(5, '0')}.md`), text);
    bytes += Buffer.byteLength(text);
    files++;
  }
  return { files, bytes };
}

export async function ingestScale(mb: number, log: (s: string) => void): Promise<IngestScaleFigures> {
  const base = mkdtempSync(join(tmpdir(), 'va-rag-scale-'));
  try {
    const docs = join(base, 'docs');
    const { files, bytes } = writeFolder(docs, mb);
    writeFileSync(join(docs, 'too-big.md'), `# big\n\n${'The rose garden is open every day. '.repeat(1_100_000)}`); // ~37 MB > 32 MB cap
    log(`ingest-scale: ${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MB (+ one 37 MB file over the cap)`);
    const run = async (): Promise<{ summary: { chunks: number; embedded: number; seconds: number; refused: Array<{ source: string; reason: string }> }; peakRssMb: number }> =>
      (await spawnAndWait<never>(resolve(import.meta.dirname, 'ingest-child.ts'), 'INGEST_RESULT', { ...process.env, RAG_BENCH_DOCS: docs, RAG_BENCH_DATA: join(base, 'data') }, 3_600_000)).value;
    const first = await run();
    log(`ingest-scale: ${first.summary.chunks} chunks in ${first.summary.seconds.toFixed(1)} s, peak RSS ${first.peakRssMb} MB`);
    const again = await run();
    return {
      folder_mb: Math.round(bytes / 1024 / 1024), files, chunks: first.summary.chunks, seconds: Math.round(first.summary.seconds),
      chunks_per_s: Math.round(first.summary.chunks / first.summary.seconds),
      mb_per_s: Math.round((bytes / 1024 / 1024 / first.summary.seconds) * 100) / 100,
      peak_rss_mb: first.peakRssMb, refused: first.summary.refused.map((r) => `${r.source}: ${r.reason}`),
      rerun_seconds: Math.round(again.summary.seconds * 10) / 10, rerun_embedded: again.summary.embedded,
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
