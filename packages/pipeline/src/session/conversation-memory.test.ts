import { describe, expect, it } from 'vitest';
import { ConversationMemory } from './conversation-memory.ts';

describe('ConversationMemory', () => {
  it('keeps the last 50 exchanges as heard (Japanese), the most recent n for the prompt', () => {
    const m = new ConversationMemory();
    for (let i = 0; i < 55; i++) m.remember(`t${i}`, `質問${i}`, `答え${i}です。`);
    expect(m.forClient()).toHaveLength(50);
    expect(m.forClient()[0]).toEqual({ turn_id: 't5', user_text: '質問5', assistant_text: '答え5です。' });
    expect(m.recent(2)).toEqual([{ user: '質問53', assistant: '答え53です。', turnId: 't53' }, { user: '質問54', assistant: '答え54です。', turnId: 't54' }]);
  });

  it('remembers how much of each segment was played (bounded) and numbers segments across turns', () => {
    const m = new ConversationMemory();
    m.playbackReport('t1', 0, 1200);
    expect(m.playedMs('t1', 0)).toBe(1200);
    expect(m.playedMs('t1', 1)).toBeUndefined();
    for (let i = 0; i < 512; i++) m.playbackReport('t2', i, i);
    expect(m.playedMs('t1', 0)).toBeUndefined(); // the oldest report went first
    expect([m.nextSegmentId(), m.nextSegmentId()]).toEqual([0, 1]);
  });
});
