import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnAndWait } from '../child-line.ts';
import { writeCorpus } from './corpus.ts';
import type { QuestionResult, RagFigures } from './evaluate.ts';

/**
 * `npm run bench -- --rag [--json] [--verbose] [--no-configured] [--tokenizer bigram|kuromoji] [--sections N]`
 * (`--ann-check [--ann-n 100000] [--ann-m M] [--ann-efc N] [--ann-segment ROWS]`: HNSW against exact search, see ann-check.ts; `--ingest-mb 100`: ingest
 * of a generated folder, peak RSS, see ingest-scale.ts): retrieval quality and speed over a
 * generated folder with known facts, for the embedded embedder and the configured one (if reachable).
 * With --json the last line is the embedded embedder's figures.
 */
const log = (s: string): void => void process.stderr.write(`${s}\n`);

interface ChildResult {
  note: string;
  figures?: RagFigures;
  results?: QuestionResult[];
}

function print(label: string, r: ChildResult, verbose: boolean): void {
  log(`\n[${label}] ${r.note}`);
  const f = r.figures;
  if (!f) return;
  if (verbose) for (const q of r.results ?? []) log(`  ${q.rank >= 1 && q.rank <= 4 ? 'ok  ' : 'MISS'} rank=${q.rank} ${q.lang} ${q.kind.padEnd(10)} ${q.q}  | top: ${q.top}`);
  const byKind = new Map<string, number[]>();
  for (const q of r.results ?? []) byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), q.rank >= 1 && q.rank <= 4 ? 1 : 0]);
  log(`  questions ${f.questions}, chunks ${f.chunks}`);
  log(`  recall@4 overall ${f.recall_at_4.overall}  ja ${f.recall_at_4.ja}  en ${f.recall_at_4.en}   (target >= 0.9 each)`);
  log(`  recall@4 by kind ${[...byKind].map(([k, v]) => `${k} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(2)} (n=${v.length})`).join(', ')}`);
  log(`  MRR@10 ${f.mrr_at_10}`);
  log(`  query latency p50 ${f.query_ms.p50} ms  p95 ${f.query_ms.p95} ms`);
  log(`  ingest ${f.ingest.chunks_per_s} chunks/s, peak RSS ${f.ingest.peak_rss_mb} MB`);
}

export async function runRagBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  if (argv.includes('--ingest-mb')) {
    const f = await (await import('./ingest-scale.ts')).ingestScale(Number(argv[argv.indexOf('--ingest-mb') + 1]) || 100, log);
    log(`ingest-scale: ${f.folder_mb} MB, ${f.files} files -> ${f.chunks} chunks in ${f.seconds} s (${f.chunks_per_s} chunks/s, ${f.mb_per_s} MB/s), peak RSS ${f.peak_rss_mb} MB (target <= 500)`);
    for (const r of f.refused) log(`  refused: ${r}`);
    log(`  re-run unchanged: ${f.rerun_seconds} s, ${f.rerun_embedded} chunks embedded`);
    if (json) process.stdout.write(`${JSON.stringify(f)}\n`);
    return;
  }
  if (argv.includes('--ann-check')) {
    const n = Number(argv[argv.indexOf('--ann-n') + 1] ?? '') || 100_000;
    const num = (flag: string): number | undefined => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : undefined);
    const a = (await import('./ann-check.ts')).annCheck(n, log, { m: num('--ann-m'), efConstruction: num('--ann-efc'), segmentRows: num('--ann-segment') });
    log(`ann-check: ${a.chunks} chunks, HNSW agreement@10 with exact search ${a.agreement_at_10} (target >= 0.98), ANN query p95 ${a.ann_query_ms.p95} ms, exact p95 ${a.exact_query_ms.p95} ms`);
    if (json) process.stdout.write(`${JSON.stringify(a)}\n`);
    return;
  }
  const verbose = argv.includes('--verbose');
  const base = mkdtempSync(join(tmpdir(), 'va-rag-corpus-'));
  try {
    const sections = Number(argv[argv.indexOf('--sections') + 1] ?? '') || undefined;
    const corpus = writeCorpus(join(base, 'docs'), sections ? { sections } : {});
    log(`corpus: ${corpus.files} files, ${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.questions.length} questions (${corpus.questions.filter((q) => q.lang === 'ja').length} ja)`);
    const run = async (which: string): Promise<ChildResult> =>
      (
        await spawnAndWait<ChildResult>(resolve(import.meta.dirname, 'run-one.ts'), 'RAG_RESULT', {
          ...process.env,
          RAG_BENCH_DOCS: corpus.dir,
          RAG_BENCH_QUESTIONS: JSON.stringify(corpus.questions),
          RAG_BENCH_EMBEDDER: which,
          RAG_BENCH_TOKENIZER: argv.includes('--tokenizer') ? (argv[argv.indexOf('--tokenizer') + 1] ?? '') : '',
        }, 900_000)
      ).value;
    const configured = argv.includes('--no-configured') ? undefined : await run('configured');
    const embedded = await run('embedded');
    if (configured) print('configured', configured, verbose);
    print('embedded', embedded, verbose);
    if (json && configured?.figures) process.stdout.write(`${JSON.stringify(configured.figures)}\n`);
    if (json && embedded.figures) process.stdout.write(`${JSON.stringify(embedded.figures)}\n`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
