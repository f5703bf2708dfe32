import { resolve } from 'node:path';
import { embedderFromConfig, ingestDirectory, MAX_FILE_BYTES } from '@va/rag';
import { createProgress } from './progress.ts';
import { EXIT_FATAL, exitCodeFor, formatSummary } from './summary.ts';

const USAGE =
  'usage: npm run ingest -- [--force] <dir>   (index goes to $DATA_DIR/index, default ./data;\n' +
  '       files over INGEST_MAX_FILE_MB, default 32, are refused)';

/** INGEST_MAX_FILE_MB (a positive number) in bytes, else the default. */
function maxFileBytes(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value === '') return MAX_FILE_BYTES;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`INGEST_MAX_FILE_MB must be a positive number of megabytes, got "${value}"`);
  return Math.round(n * 1024 * 1024);
}

async function main(argv: string[]): Promise<number> {
  const force = argv.includes('--force');
  const args = argv.filter((a) => a !== '--force');
  if (args.length !== 1 || args[0]?.startsWith('-')) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_FATAL;
  }
  const dir = resolve(args[0] as string);
  const dataDir = resolve(process.env.DATA_DIR || './data');
  const { embedder, model } = embedderFromConfig();
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort(new Error('interrupted')));
  const summary = await ingestDirectory({
    dir,
    dataDir,
    embedder,
    embeddingModel: model,
    force,
    maxFileBytes: maxFileBytes(process.env.INGEST_MAX_FILE_MB),
    progress: createProgress(process.stderr),
    signal: ac.signal,
  });
  process.stdout.write(`${formatSummary(summary)}\n`);
  return exitCodeFor(summary);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ingest failed (previous index left untouched): ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT_FATAL;
  },
);
