import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatEta } from './progress.ts';

function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let out = '';
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return { stream: w as unknown as NodeJS.WriteStream, text: () => out };
}

describe('ingest progress', () => {
  it('shows MB and an ETA from the rate so far (fake clock)', () => {
    let t = 0;
    const s = sink();
    const p = createProgress(s.stream, () => t);
    p.phase('ingesting', 100 * 1024 * 1024, 'bytes');
    t = 10_000;
    p.advance(25 * 1024 * 1024); // 25 % in 10 s: 30 s left
    expect(s.text()).toContain('ingesting  [########----------------------] 25.0 MB/100.0 MB 25% ETA 30s');
    t = 20_000;
    p.note('refused: big.md: 40.0 MB is over the per-file limit of 32.0 MB (INGEST_MAX_FILE_MB)');
    p.advance(75 * 1024 * 1024);
    expect(s.text()).toContain('100.0 MB/100.0 MB 100% ETA 0s');
    expect(s.text()).toContain('refused: big.md');
  });

  it('formats ETAs', () => {
    expect([formatEta(5), formatEta(65), formatEta(Number.NaN)]).toEqual(['5s', '1m05s', '--']);
  });
});
