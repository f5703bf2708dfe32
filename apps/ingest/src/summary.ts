import type { IngestSummary } from '@va/rag';

/** Exit codes of the CLI. */
export const EXIT_OK = 0;
export const EXIT_FATAL = 1;
/** The index was written, but some files failed or were refused (listed in the summary). */
export const EXIT_PARTIAL = 2;

export function exitCodeFor(s: IngestSummary): number {
  return s.failed.length + s.refused.length > 0 ? EXIT_PARTIAL : EXIT_OK;
}

export function formatSummary(s: IngestSummary): string {
  const lines = [
    `ingest: ${s.added.length} added, ${s.updated.length} updated, ${s.unchanged.length} unchanged, ` +
      `${s.removed.length} removed, ${s.failed.length} failed, ${s.refused.length} refused; ` +
      `${s.chunks} chunks in index (${s.embedded} embedded now) in ${s.seconds.toFixed(1)} s`,
  ];
  for (const r of s.removed) lines.push(`  removed: ${r}`);
  for (const f of s.failed) lines.push(`  FAILED:  ${f.source}: ${f.reason}`);
  for (const f of s.refused) lines.push(`  REFUSED: ${f.source}: ${f.reason}`);
  if (s.failed.length + s.refused.length > 0) lines.push('  (the other files were indexed; exit code 2)');
  if (s.generation) lines.push(`  index generation: ${s.generation}`);
  return lines.join('\n');
}
