import { describe, expect, it } from 'vitest';
import { queryKey } from './early-retrieval.ts';

describe('queryKey', () => {
  it('equal for the same words whatever the case, punctuation and spacing', () => {
    expect(queryKey('What is the battery life?')).toBe(queryKey(' what is  the battery-life'));
    expect(queryKey('バッテリーは何時間？')).toBe(queryKey('バッテリーは何時間'));
    expect(queryKey('what is the battery life')).not.toBe(queryKey('what is the battery life today'));
  });
});
