import { describe, expect, it } from 'vitest';
import { defaultSessionConfig } from './types.ts';
import { scriptedSession } from './testing/scripted-session.ts';

/*
 * An utterance of fillers only (えーと, um) is the user thinking: no answer, and what they say next
 * goes on from it (one message on the page, one question). Fake time, the default turn-taking,
 * scripted model servers. The filler ends at 1.3 s; as a continuation cue it ends its turn 1.4 s
 * into the silence (~2.7 s); the user goes on at 4.0 s.
 */
const config = { bargeIn: defaultSessionConfig.bargeIn, turnEnd: defaultSessionConfig.turnEnd, endpointer: defaultSessionConfig.endpointer };

function thinking(filler: string, then: string[], language: 'ja' | 'en', starts = [4000]) {
  const spans = [[500, 1300], ...starts.map((s) => [s, s + 1400])] as Array<[number, number]>;
  return scriptedSession({
    speech: (ms) => spans.some(([a, b]) => ms >= a && ms < b),
    answer: language === 'ja' ? ['はい、', '三百台です。'] : ['We open ', 'at nine.'],
    language, config,
    sttScript: (_t, req) => {
      const i = starts.filter((s) => req.at >= s).length;
      return i === 0 ? filler : (then[i - 1] ?? '');
    },
  });
}

describe('an utterance of fillers only', () => {
  it('えーと, then a question 2.7 s later: nothing answered to えーと (the avatar nods), one question', async () => {
    const h = thinking('えーと', ['駐車場は何台とめられますか'], 'ja');
    await h.speak(4000);
    const [filler] = h.of('transcript.final');
    expect(filler!.m.text).toBe('えーと'); // shown as said
    expect(h.p.llmCalls).toHaveLength(0);
    expect(h.of('tts.start')).toHaveLength(0);
    expect(h.of('state').at(-1)!.m).toMatchObject({ state: 'idle' });
    expect(h.of('avatar_event').map((e) => e.m)).toEqual([{ type: 'avatar_event', turn_id: filler!.m.turn_id, event: { kind: 'gesture', name: 'nod' } }]); // go on
    await h.speak(6000);
    const finals = h.of('transcript.final');
    expect(finals).toHaveLength(2);
    expect(finals[1]!.m).toMatchObject({ text: 'えーと駐車場は何台とめられますか', continues_turn_id: filler!.m.turn_id });
    expect(h.p.llmCalls.filter((c) => c.messages.at(-1)!.content.includes('駐車場'))).toHaveLength(h.p.llmCalls.length);
    expect(h.session.historyForClient).toEqual([expect.objectContaining({ turn_id: finals[1]!.m.turn_id, user_text: 'えーと駐車場は何台とめられますか' })]);
    h.session.close();
  });

  it('English: "Um." then "What time do you open?" is one question', async () => {
    const h = thinking('Um.', ['What time do you open?'], 'en');
    await h.speak(10_000);
    const finals = h.of('transcript.final');
    expect(finals.at(-1)!.m).toMatchObject({ text: 'Um what time do you open?', continues_turn_id: finals[0]!.m.turn_id });
    expect(h.p.llmCalls.every((c) => c.messages.at(-1)!.content.includes('what time do you open'))).toBe(true);
    h.session.close();
  });

  it('a cough (no words) after えーと is not answered either; the question after it still goes on from えーと', async () => {
    const h = thinking('えーと', ['', '駐車場は何台とめられますか'], 'ja', [4000, 7000]);
    await h.speak(6900);
    expect(h.p.llmCalls).toHaveLength(0);
    await h.speak(12_000);
    const finals = h.of('transcript.final');
    expect(finals.at(-1)!.m).toMatchObject({ text: 'えーと駐車場は何台とめられますか', continues_turn_id: finals[0]!.m.turn_id });
    h.session.close();
  });

  it('a typed question after えーと is answered alone', async () => {
    const h = thinking('えーと', [], 'ja', []);
    await h.speak(4000);
    h.session.textInput('入園料はいくらですか');
    await h.speak(6000);
    const finals = h.of('transcript.final');
    expect(finals.at(-1)!.m).toMatchObject({ text: '入園料はいくらですか', source: 'text' });
    expect(finals.at(-1)!.m.continues_turn_id).toBeUndefined();
    h.session.close();
  });
});
