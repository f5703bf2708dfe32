/** How ingest reports its progress; the CLI draws it (apps/ingest), tests and the bench stay silent. */
export interface Progress {
  phase(label: string, total: number): void;
  advance(n?: number): void;
  /** A message that must not be lost (a failed file); printed on its own line. */
  note(line: string): void;
  end(): void;
}

export const silentProgress: Progress = { phase() {}, advance() {}, note() {}, end() {} };
