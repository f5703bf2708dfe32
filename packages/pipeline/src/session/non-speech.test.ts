import { describe, expect, it } from 'vitest';
import { defaultSessionConfig } from './types.ts';
import { scriptedSession } from './testing/scripted-session.ts';

/*
 * What a Whisper server writes for sounds ([BLANK_AUDIO], (咳), ♪, its end-credit hallucinations:
 * listen/non-speech.ts) is not what the user said, on fake time with the default turn-taking
 * (judge on, word-based end of turn): scripted model servers, the rest real.
 */
const ANSWER = ['はい、', '駐車場は', '正面と東側に', 'あります。', '合わせて', '三百台', 'とめられます。', '週末は', '混み合います。', '駅から', 'バスも', '出ています。'];
const QUESTION = '駐車場はどこですか';
const policy = { bargeIn: defaultSessionConfig.bargeIn, turnEnd: defaultSessionConfig.turnEnd, endpointer: defaultSessionConfig.endpointer };

/** The user asks (0.5-2.5 s); from `from` to `to` ms a sound the recogniser writes as `heard(n)` (n: its nth request from `from`). */
function soundOverAnswer([from, to]: [number, number], heard: (n: number, text: string) => string, language: 'ja' | 'en' = 'ja') {
  let n = 0;
  return scriptedSession({
    speech: (ms) => (ms >= 500 && ms < 2500) || (ms >= from && ms < to),
    answer: ANSWER, language, config: policy,
    sttScript: (text, req) => (req.at < from ? QUESTION : heard(n++, text)),
  });
}

describe('non-speech from the recogniser (listen/non-speech.ts)', () => {
  it('a cough over the answer, written (咳), lasting longer than any backchannel: no interruption, the voice comes back up, no nod, no turn', async () => {
    const h = soundOverAnswer([4600, 5700], () => '(咳)');
    await h.speak(12_000);
    expect(h.of('playback.clear')).toHaveLength(0);
    const ducks = h.of('playback.duck').map((d) => d.m.level);
    expect(ducks[0]).toBe(0.3); // ducked at once, before any words
    expect(ducks.at(-1)).toBe(1);
    const upAt = h.of('playback.duck').find((d) => d.m.level === 1)!.at;
    expect(upAt).toBeLessThan(5700); // back up once the recogniser said it was a cough, not when it ended
    expect(h.of('avatar_event')).toHaveLength(0);
    expect(h.of('transcript.final').map((f) => f.m.text)).toEqual([QUESTION]);
    expect(h.of('transcript.partial').some((p) => /咳/.test(p.m.text))).toBe(false);
    expect(h.p.llmCalls).toHaveLength(1);
    h.session.close();
  });

  it('[BLANK_AUDIO] over an English answer: no interruption, no turn', async () => {
    const h = soundOverAnswer([4600, 5800], () => '[BLANK_AUDIO]', 'en');
    await h.speak(12_000);
    expect(h.of('playback.clear')).toHaveLength(0);
    expect(h.of('playback.duck').at(-1)?.m.level).toBe(1);
    expect(h.of('transcript.final')).toHaveLength(1);
    expect(h.p.llmCalls).toHaveLength(1);
    h.session.close();
  });

  it('a cough, then words in the same burst: judged from the words, and the avatar stops', async () => {
    const h = soundOverAnswer([4600, 6200], (n) => (n < 2 ? '(咳)' : '(咳) ちょっと待って'));
    await h.speak(14_000);
    const clear = h.of('playback.clear')[0];
    expect(clear?.m.reason).toBe('barge_in');
    const finals = h.of('transcript.final').map((f) => f.m.text);
    expect(finals).toEqual([QUESTION, 'ちょっと待って']);
    h.session.close();
  });

  it('an utterance that was only a sound is no question: no transcript, nothing answered', async () => {
    for (const heard of ['[BLANK_AUDIO]', 'ご視聴ありがとうございました', '♪']) {
      const h = scriptedSession({ speech: (ms) => ms >= 500 && ms < 1700, answer: ANSWER, language: 'ja', config: policy, sttScript: () => heard });
      await h.speak(6000);
      expect(h.of('transcript.final'), heard).toHaveLength(0);
      expect(h.of('transcript.partial'), heard).toHaveLength(0);
      expect(h.p.llmCalls, heard).toHaveLength(0);
      h.session.close();
    }
  });

  it('annotations inside speech are cut from the transcript the page shows and the LLM is asked', async () => {
    const h = scriptedSession({ speech: (ms) => ms >= 500 && ms < 2500, answer: ANSWER, language: 'ja', config: policy, sttScript: () => `(咳) ${QUESTION}` });
    await h.speak(8000);
    expect(h.of('transcript.final').map((f) => f.m.text)).toEqual([QUESTION]);
    expect(h.of('transcript.partial').every((p) => !p.m.text.includes('咳'))).toBe(true);
    expect(h.p.llmCalls.at(-1)!.messages.at(-1)).toMatchObject({ role: 'user', content: expect.stringContaining(QUESTION) });
    expect(JSON.stringify(h.p.llmCalls.at(-1)!.messages)).not.toContain('咳');
    h.session.close();
  });
});
