import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * BM25 over chunk rows, stored as flat typed arrays (term -> rows + term frequencies), built in two
 * passes over the chunks (count, then fill) so building needs only the final arrays in memory.
 */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export interface LexicalIndex {
  readonly tokenizer: string;
  readonly rows: number;
  /** Best rows for the query terms, best first: [row, score]. */
  search(terms: string[], topN: number): Array<[number, number]>;
  /** Share of the query's IDF weight that `row` contains, in [0, 1] (its lexical relevance). */
  coverage(terms: string[], row: number): number;
}

const uniqueCounts = (terms: string[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const t of terms) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
};

/** Two-pass builder: `count()` every row's terms, then `fill()` them again in the same order. */
export class LexicalBuilder {
  private readonly ids = new Map<string, number>();
  private df: number[] = [];
  private lens: number[] = [];
  private offsets?: Uint32Array;
  private cursor?: Uint32Array;
  private docs?: Uint32Array;
  private tfs?: Uint16Array;
  private row = 0;

  constructor(readonly tokenizer: string) {}

  count(terms: string[]): void {
    this.lens.push(terms.length);
    for (const t of uniqueCounts(terms).keys()) {
      let id = this.ids.get(t);
      if (id === undefined) {
        id = this.df.length;
        this.ids.set(t, id);
        this.df.push(0);
      }
      this.df[id]!++;
    }
  }

  fill(terms: string[]): void {
    if (!this.offsets) this.allocate();
    for (const [t, tf] of uniqueCounts(terms)) {
      const id = this.ids.get(t);
      if (id === undefined) throw new Error('lexical fill: term not counted');
      const at = this.cursor![id]!++;
      this.docs![at] = this.row;
      this.tfs![at] = Math.min(tf, 65535);
    }
    this.row++;
  }

  private allocate(): void {
    const n = this.df.length;
    this.offsets = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) this.offsets[i + 1] = this.offsets[i]! + this.df[i]!;
    this.cursor = this.offsets.slice(0, n);
    this.docs = new Uint32Array(this.offsets[n]!);
    this.tfs = new Uint16Array(this.offsets[n]!);
    this.df = [];
  }

  async save(dir: string): Promise<void> {
    if (!this.offsets) this.allocate();
    await mkdir(dir, { recursive: true });
    const buf = (a: Uint32Array | Uint16Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    await writeFile(join(dir, 'terms.json'), JSON.stringify({ tokenizer: this.tokenizer, terms: [...this.ids.keys()] }));
    await writeFile(join(dir, 'offsets.u32'), buf(this.offsets!));
    await writeFile(join(dir, 'rows.u32'), buf(this.docs!));
    await writeFile(join(dir, 'tfs.u16'), buf(this.tfs!));
    await writeFile(join(dir, 'lengths.u32'), buf(Uint32Array.from(this.lens)));
  }
}

const u32 = (b: Buffer): Uint32Array => new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const u16 = (b: Buffer): Uint16Array => new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

export async function loadLexical(dir: string): Promise<LexicalIndex> {
  const meta = JSON.parse(await readFile(join(dir, 'terms.json'), 'utf8')) as { tokenizer: string; terms: string[] };
  const offsets = u32(await readFile(join(dir, 'offsets.u32')));
  const rowsOf = u32(await readFile(join(dir, 'rows.u32')));
  const tfs = u16(await readFile(join(dir, 'tfs.u16')));
  const lengths = u32(await readFile(join(dir, 'lengths.u32')));
  return lexicalIndex(meta.tokenizer, meta.terms, offsets, rowsOf, tfs, lengths);
}

function lexicalIndex(tokenizer: string, terms: string[], offsets: Uint32Array, rowsOf: Uint32Array, tfs: Uint16Array, lengths: Uint32Array): LexicalIndex {
  const ids = new Map(terms.map((t, i) => [t, i] as const));
  const n = lengths.length;
  let total = 0;
  for (const l of lengths) total += l;
  const avgdl = n > 0 ? total / n : 1;
  const idf = (id: number): number => {
    const df = offsets[id + 1]! - offsets[id]!;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  };
  const scores = new Float32Array(n);
  return {
    tokenizer,
    rows: n,
    search(query, topN) {
      const touched: number[] = [];
      for (const [t, qtf] of uniqueCounts(query)) {
        const id = ids.get(t);
        if (id === undefined) continue;
        const w = idf(id) * qtf;
        for (let p = offsets[id]!; p < offsets[id + 1]!; p++) {
          const row = rowsOf[p]!;
          const tf = tfs[p]!;
          if (scores[row] === 0) touched.push(row);
          scores[row]! += (w * tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * lengths[row]!) / avgdl));
        }
      }
      const out = touched.map((r): [number, number] => [r, scores[r]!]);
      for (const r of touched) scores[r] = 0;
      return out.sort((a, b) => b[1] - a[1]).slice(0, topN);
    },
    coverage(query, row) {
      let all = 0;
      let hit = 0;
      for (const t of uniqueCounts(query).keys()) {
        const id = ids.get(t);
        const w = id === undefined ? Math.log(1 + (n + 0.5) / 0.5) : idf(id);
        all += w;
        if (id === undefined) continue;
        for (let p = offsets[id]!; p < offsets[id + 1]!; p++) {
          if (rowsOf[p] === row) {
            hit += w;
            break;
          }
          if (rowsOf[p]! > row) break;
        }
      }
      return all > 0 ? hit / all : 0;
    },
  };
}
