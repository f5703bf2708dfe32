import { describe, expect, it } from 'vitest';
import { joinUtterances } from './continuation.ts';
import { defaultSessionConfig } from './types.ts';
import { scriptedSession } from './testing/scripted-session.ts';

/*
 * The user goes on after a pause that ended the turn, on fake time with the default turn-taking
 * (judge on, word-based end of turn): scripted model servers, the rest real. The question (a
 * complete sentence) ends at 2.5 s, its turn 200 ms into the silence (~2.74 s); the answer, started
 * held from the early final, sends its first audio at ~2.95 s.
 */
const FIRST = '温室は開いていますか';
const THEN = 'それと火曜日は何時に閉まりますか';
const ANSWER = ['はい、', '開いています。', '火曜日は', '五時に', '閉まります。'];

function conversation(resumeAt: number, thenText: string) {
  return scriptedSession({
    speech: (ms) => (ms >= 500 && ms < 2500) || (ms >= resumeAt && ms < resumeAt + 1400),
    answer: ANSWER, language: 'ja',
    config: { bargeIn: defaultSessionConfig.bargeIn, turnEnd: defaultSessionConfig.turnEnd, endpointer: defaultSessionConfig.endpointer },
    // what the recogniser hears: the first part until the user resumes, then the new part
    sttScript: (_text, req) => (req.at < resumeAt ? FIRST : thenText),
  });
}

describe('going on after a pause (continuation.ts)', () => {
  it('speech before the answer is heard withdraws it; both parts are answered as one turn, in Japanese', async () => {
    const h = conversation(2850, THEN);
    await h.speak(9000);
    const finals = h.of('transcript.final');
    expect(finals).toHaveLength(2);
    const [first, whole] = [finals[0]!.m, finals[1]!.m];
    expect(first.text).toBe(FIRST);
    expect(whole).toMatchObject({ text: FIRST + THEN, continues_turn_id: first.turn_id });
    // withdrawn within a few VAD frames of the new speech, before any of its voice was sent
    const clear = h.of('playback.clear')[0]!;
    expect(clear.m).toMatchObject({ turn_id: first.turn_id, reason: 'barge_in' });
    expect(clear.at).toBeGreaterThanOrEqual(2850);
    expect(clear.at).toBeLessThan(2850 + 250);
    expect(h.of('playback.duck')).toHaveLength(0); // nothing to duck: no backchannel is possible
    const started = h.of('tts.start').find((t) => t.m.turn_id === first.turn_id);
    expect(started === undefined || clear.at - started.at <= 100).toBe(true); // at most a first frame of its voice went out
    // the answer that counts is asked for the whole question, without the first part as a turn of its own
    const last = h.p.llmCalls.at(-1)!.messages;
    expect(last.at(-1)).toMatchObject({ role: 'user', content: expect.stringContaining(FIRST + THEN) });
    expect(last.filter((m) => m.role === 'user' && m.content.includes(FIRST))).toHaveLength(1);
    expect(h.session.historyForClient).toEqual([expect.objectContaining({ turn_id: whole.turn_id, user_text: FIRST + THEN })]);
    expect(h.of('tts.start').some((t) => t.m.turn_id === whole.turn_id)).toBe(true);
    h.session.close();
  });

  it('a short going-on (one word) is not taken for a backchannel while the answer is silent', async () => {
    const h = conversation(2900, 'それと');
    await h.speak(9000);
    expect(h.of('avatar_event')).toHaveLength(0);
    expect(h.of('transcript.final').at(-1)!.m).toMatchObject({ text: `${FIRST}それと` });
    h.session.close();
  });

  it('once the answer is heard, speech is judged as usual: an interruption is a new turn of its own', async () => {
    const h = conversation(3800, THEN);
    await h.speak(10_000);
    const finals = h.of('transcript.final');
    expect(finals).toHaveLength(2);
    expect(finals[1]!.m.text).toBe(THEN);
    expect(finals[1]!.m.continues_turn_id).toBeUndefined();
    expect(h.of('playback.duck')[0]!.m.level).toBe(0.3); // judged: ducked first
    expect(h.of('playback.clear')[0]!.at).toBeGreaterThan(3800);
    h.session.close();
  });

  it('if the new speech has no words (a cough), the withdrawn question is answered as it was', async () => {
    const h = conversation(2900, '');
    await h.speak(9000);
    const finals = h.of('transcript.final');
    expect(finals).toHaveLength(2);
    expect(finals[1]!.m).toMatchObject({ text: FIRST, continues_turn_id: finals[0]!.m.turn_id });
    expect(finals[1]!.m.turn_id).not.toBe(finals[0]!.m.turn_id);
    expect(h.of('tts.start').some((t) => t.m.turn_id === finals[1]!.m.turn_id)).toBe(true);
    expect(h.session.historyForClient).toHaveLength(1);
    h.session.close();
  });
});

describe('going on just as the voice begins', () => {
  const config = { bargeIn: defaultSessionConfig.bargeIn, turnEnd: defaultSessionConfig.turnEnd, endpointer: defaultSessionConfig.endpointer };

  /**
   * A first question and answer (the quiet mic during it tells the echo guard there is no echo
   * path: headphones), then 駐車場はありますか at 5.0-6.5 s; the user goes on `afterVoiceMs` after
   * the second answer's first audio went out.
   */
  async function secondAnswer(afterVoiceMs: number) {
    let resumeAt = Number.POSITIVE_INFINITY;
    const h = scriptedSession({
      speech: (ms) => (ms >= 500 && ms < 2500) || (ms >= 5000 && ms < 6500) || (ms >= resumeAt && ms < resumeAt + 1400),
      answer: ['はい、', 'あります。'], language: 'ja', config,
      sttScript: (_t, req) => (req.at < 5000 ? '温室は開いていますか' : req.at < resumeAt ? '駐車場はありますか' : '大きい車でもとめられますか'),
    });
    while (h.clock.now() < 12_000) {
      await h.speak(20);
      const second = h.of('tts.start').find((t) => t.at > 5000);
      if (second && resumeAt === Number.POSITIVE_INFINITY) resumeAt = second.at + afterVoiceMs;
    }
    h.session.close();
    return h.of('transcript.final').map((f) => f.m);
  }

  it('less than a reaction time after the voice began (echo path known): the user going on, one question', async () => {
    const finals = await secondAnswer(100);
    expect(finals).toHaveLength(3);
    expect(finals[2]).toMatchObject({ text: '駐車場はありますか大きい車でもとめられますか', continues_turn_id: finals[1]!.turn_id });
  });

  it('later than that: an answer to the avatar, a turn of its own', async () => {
    const finals = await secondAnswer(600);
    expect(finals).toHaveLength(3);
    expect(finals[2]).toMatchObject({ text: '大きい車でもとめられますか' });
    expect(finals[2]!.continues_turn_id).toBeUndefined();
  });
});

describe('going on after a pause, in English and with typed text', () => {
  const config = { bargeIn: defaultSessionConfig.bargeIn, turnEnd: defaultSessionConfig.turnEnd, endpointer: defaultSessionConfig.endpointer };

  it('English: "Is the greenhouse open today?" then "and when does it close" is one question', async () => {
    const h = scriptedSession({
      speech: (ms) => (ms >= 500 && ms < 2500) || (ms >= 2900 && ms < 4300),
      answer: ['Yes, ', 'until five.'], language: 'en', config,
      sttScript: (_t, req) => (req.at < 2900 ? 'Is the greenhouse open today?' : 'And when does it close?'),
    });
    await h.speak(9000);
    const finals = h.of('transcript.final');
    expect(finals.at(-1)!.m).toMatchObject({ text: 'Is the greenhouse open today? And when does it close?', continues_turn_id: finals[0]!.m.turn_id });
    expect(h.p.llmCalls.at(-1)!.messages.filter((m) => m.role === 'user')).toHaveLength(1);
    h.session.close();
  });

  it('speech while a typed question is answered is judged as usual, never merged with the typed text', async () => {
    const h = scriptedSession({
      speech: (ms) => ms >= 1100 && ms < 2500,
      answer: ['はい、', '開いています。'], language: 'ja', config,
      sttScript: () => 'それと火曜日は何時に閉まりますか',
    });
    await h.speak(1000);
    h.session.textInput('温室は開いていますか');
    await h.speak(8000);
    const finals = h.of('transcript.final');
    expect(finals.map((f) => f.m.text)).toEqual(['温室は開いていますか', 'それと火曜日は何時に閉まりますか']);
    expect(finals.every((f) => f.m.continues_turn_id === undefined)).toBe(true);
    h.session.close();
  });
});

describe('joinUtterances', () => {
  it('joins Japanese without a space, English with one, dropping a recogniser period and capital at the seam', () => {
    expect(joinUtterances('駐車場に車を止めて。', 'それから入口まで歩けますか。')).toBe('駐車場に車を止めてそれから入口まで歩けますか。');
    expect(joinUtterances('The parking lot is full but.', 'Is there another one nearby?')).toBe('The parking lot is full but is there another one nearby?');
    expect(joinUtterances('When does it open?', 'I mean on Sundays.')).toBe('When does it open? I mean on Sundays.');
    expect(joinUtterances('', 'yes')).toBe('yes');
  });
});
