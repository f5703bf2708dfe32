/** How ingest reports its progress; the CLI draws it (apps/ingest), tests and the bench stay silent. */
export interface Progress {
  /** A new phase of `total` units (files, or bytes: the bar then shows MB and an ETA). */
  phase(label: string, total: number, unit?: 'items' | 'bytes'): void;
  advance(n?: number): void;
  /** A message that must not be lost (a failed file); printed on its own line. */
  note(line: string): void;
  end(): void;
}

export const silentProgress: Progress = { phase() {}, advance() {}, note() {}, end() {} };
