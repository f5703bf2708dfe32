import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LATENCIES } from './latencies.ts';
import { readLatenciesFile } from './latencies-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-latencies-'));
const file = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};

describe('readLatenciesFile', () => {
  it("reads the doctor's --save-latencies file as the ideal's latencies", () => {
    const saved = { sttMs: 212, embeddingMs: 9, llmFirstTokenMs: 143, llmPerTokenMs: 21.3, ttsFirstByteMs: 388, ttsMsPerChar: 0, endpointMs: 480 };
    expect(readLatenciesFile(file('full.json', JSON.stringify(saved, null, 2)))).toEqual(saved);
  });

  it('keeps the defaults for fields the file does not give', () => {
    expect(readLatenciesFile(file('part.json', '{"sttMs": 300}'))).toEqual({ ...DEFAULT_LATENCIES, sttMs: 300 });
  });

  it('refuses an unknown field, a negative or non-numeric latency, and a file that is not JSON, naming the field', () => {
    expect(() => readLatenciesFile(file('typo.json', '{"sttMS": 300}'))).toThrow(/sttMS/);
    expect(() => readLatenciesFile(file('neg.json', '{"ttsFirstByteMs": -1}'))).toThrow(/ttsFirstByteMs/);
    expect(() => readLatenciesFile(file('str.json', '{"llmFirstTokenMs": "fast"}'))).toThrow(/llmFirstTokenMs/);
    expect(() => readLatenciesFile(file('bad.json', 'p50: 200'))).toThrow(/not a readable JSON/);
  });
});
