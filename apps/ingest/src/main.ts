import { resolve } from 'node:path';
import { embedderFromConfig, ingestDirectory } from '@va/rag';
import { createProgress } from './progress.ts';
import { EXIT_FATAL, exitCodeFor, formatSummary } from './summary.ts';

const USAGE = 'usage: npm run ingest -- [--force] <dir>   (index goes to $DATA_DIR/index, default ./data)';

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
