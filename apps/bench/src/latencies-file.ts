import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_LATENCIES, type BenchLatencies } from './latencies.ts';

const ms = z.number().finite().nonnegative();
/** The doctor's `--save-latencies` file (its measured p50s in BenchLatencies' shape); missing fields keep the defaults. */
const latenciesFileSchema = z
  .object({
    sttMs: ms,
    embeddingMs: ms,
    llmFirstTokenMs: ms,
    llmPerTokenMs: ms,
    ttsFirstByteMs: ms,
    ttsMsPerChar: ms,
    endpointMs: ms,
  })
  .partial()
  .strict();

/** The ideal's provider latencies from `file` (`npm run doctor -- --save-latencies FILE`), over DEFAULT_LATENCIES. */
export function readLatenciesFile(file: string): BenchLatencies {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`--latencies ${file}: not a readable JSON file (${(error as Error).message})`);
  }
  const parsed = latenciesFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`--latencies ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const given = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Partial<BenchLatencies>;
  return { ...DEFAULT_LATENCIES, ...given };
}
