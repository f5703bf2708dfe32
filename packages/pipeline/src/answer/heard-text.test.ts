import { describe, expect, it } from 'vitest';
import { estimatePlayed, heardOfInterrupted, heardText, type SentSegment } from './heard-text.ts';

const en: SentSegment[] = [
  { id: 3, text: 'The battery lasts two hours.', durationMs: 2000 },
  { id: 4, text: 'Charging takes one hour more.', durationMs: 2000 },
];
const ja: SentSegment[] = [
  { id: 0, text: '大人の入園料は800円です。', durationMs: 2400 },
  { id: 1, text: '中学生以下は無料です。', durationMs: 2000 },
];

describe('heardText', () => {
  it('whole segments played to the end, then the played part of the cut one down to a whole word', () => {
    const played = new Map([[3, 2000], [4, 1000]]);
    expect(heardText(en, (id) => played.get(id) ?? 0)).toBe('The battery lasts two hours. Charging…');
  });

  it('a segment within one 40 ms packet of its end counts as heard', () => {
    expect(heardText(en, (id) => (id === 3 ? 1965 : 0))).toBe('The battery lasts two hours.');
  });

  it('Japanese is cut by characters, not at spaces', () => {
    const played = new Map([[0, 2400], [1, 1000]]);
    expect(heardText(ja, (id) => played.get(id) ?? 0)).toBe('大人の入園料は800円です。 中学生以下…');
  });

  it('nothing heard when the first segment did not play; later reports do not count past a gap', () => {
    expect(heardText(en, () => 0)).toBe('');
    expect(heardText(en, (id) => (id === 4 ? 2000 : 0))).toBe('');
  });
});

describe('estimatePlayed and heardOfInterrupted', () => {
  it('spreads the time since the first packet over the segments in order', () => {
    const played = estimatePlayed(ja, 3400);
    expect([played(0), played(1), played(9)]).toEqual([2400, 1000, 0]);
  });

  it('uses the client playback reports when there are any, else the estimate', () => {
    const reports = new Map([[0, 1200]]);
    expect(heardOfInterrupted(ja, (id) => reports.get(id), 99_000)).toBe('大人の入園料は…');
    expect(heardOfInterrupted(ja, () => undefined, 3400)).toBe('大人の入園料は800円です。 中学生以下…');
  });
});
