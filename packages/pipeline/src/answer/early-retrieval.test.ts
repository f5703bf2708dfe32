import { describe, expect, it } from 'vitest';
import type { Passage, Retriever } from '../ports.ts';
import { EarlyRetrieval, queryKey } from './early-retrieval.ts';
import { retrieve } from './retrieve.ts';

const doc = (text: string): Passage => ({ documentId: 'd', chunkId: 'd:0', source: '料金.md', text, score: 0.8 });

function recordingRetriever(fail = false) {
  const queries: string[] = [];
  const retriever: Retriever = {
    loaded: true,
    async retrieve(query) {
      queries.push(query);
      if (fail) throw new Error('embedding server down');
      return [doc(`about ${query}`)];
    },
  };
  return { retriever, queries };
}
const rag = { k: 4, minScore: 0.2, timeoutMs: 1000 };

describe('queryKey', () => {
  it('equal for the same words whatever the case, punctuation and spacing', () => {
    expect(queryKey('What is the battery life?')).toBe(queryKey(' what is  the battery-life'));
    expect(queryKey('バッテリーは何時間？')).toBe(queryKey('バッテリーは、何時間'));
    expect(queryKey('Wi-Fiのパスワードは？')).toBe('wi fiのパスワードは');
    expect(queryKey('what is the battery life')).not.toBe(queryKey('what is the battery life today'));
  });
});

describe('EarlyRetrieval', () => {
  it('looks the settled words up once, and answers the final with them when it says the same', async () => {
    const { retriever, queries } = recordingRetriever();
    const early = new EarlyRetrieval(retriever, rag);
    early.offer('t1', '入園料はいくらですか', 'partial');
    early.offer('t1', '入園料はいくらですか。', 'final'); // same words: no second lookup
    expect(queries).toEqual(['入園料はいくらですか']);
    expect(await early.passagesFor('t1', '入園料は、いくらですか？')).toEqual([doc('about 入園料はいくらですか')]);
    expect(early.passagesFor('t1', '入園料は無料ですか')).toBeNull(); // other words
    expect(early.passagesFor('t2', '入園料はいくらですか')).toBeNull(); // another utterance
  });

  it("the early final's words replace a partial's, never the other way round", () => {
    const { retriever, queries } = recordingRetriever();
    const early = new EarlyRetrieval(retriever, rag);
    early.offer('t1', 'what is the', 'partial');
    early.offer('t1', 'what is the fee', 'final');
    early.offer('t1', 'what is the', 'partial');
    expect(queries).toEqual(['what is the', 'what is the fee']);
    expect(early.passagesFor('t1', 'What is the fee?')).not.toBeNull();
  });

  it('a failed lookup resolves to null; nothing is looked up without a loaded index', async () => {
    const failing = new EarlyRetrieval(recordingRetriever(true).retriever, rag);
    failing.offer('t1', 'fee', 'partial');
    expect(await failing.passagesFor('t1', 'fee')).toBeNull();
    const none = new EarlyRetrieval(null, rag);
    none.offer('t1', 'fee', 'partial');
    expect(none.passagesFor('t1', 'fee')).toBeNull();
  });
});

describe('retrieve stage', () => {
  const signal = new AbortController().signal;
  it('uses the early passages when there are some, else looks up, and reports a failure without throwing', async () => {
    const { retriever, queries } = recordingRetriever();
    const early = await retrieve(retriever, rag, () => 0, { text: '料金', early: Promise.resolve([doc('early')]), signal });
    expect(early).toMatchObject({ passages: [doc('early')], early: true, error: null });
    const fresh = await retrieve(retriever, rag, () => 0, { text: '料金', early: Promise.resolve(null), signal });
    expect(fresh).toMatchObject({ passages: [doc('about 料金')], early: false, waitedMs: 0 });
    expect(queries).toEqual(['料金']);
    const failed = await retrieve(recordingRetriever(true).retriever, rag, () => 0, { text: '料金', early: null, signal });
    expect(failed.passages).toEqual([]);
    expect((failed.error as Error).message).toBe('embedding server down');
    expect(await retrieve(null, rag, () => 0, { text: '料金', early: null, signal })).toMatchObject({ waitedMs: null, passages: [] });
  });
});
