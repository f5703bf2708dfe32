import { describe, expect, it } from 'vitest';
import { llmApology, NOTICES, SYSTEM_PROMPTS } from '../answer/language.ts';
import { scriptedSession as harness } from './testing/scripted-session.ts';

/* The session's language on fake time: STT language, system prompt, fallback phrases, TTS voice. */
const JA_WORDS = ['大人の', '入園料は', 'いくら', 'ですか'];
const JA_ANSWER = ['大人の', '入園料は', '800円', 'です。', '中学生', '以下は', '無料です。'];
const speech = (ms: number) => ms >= 500 && ms < 2500;

describe('session language', () => {
  it('a ja session: STT told ja, the Japanese system prompt, Japanese passages note, Japanese TTS voice', async () => {
    const h = harness({ speech, answer: JA_ANSWER, words: JA_WORDS, joiner: '', language: 'ja', retriever: { ms: 30 } });
    expect(h.session.language).toBe('ja');
    await h.speak(7000);
    expect(new Set(h.p.sttCalls.map((c) => c.language))).toEqual(new Set(['ja']));
    expect(h.of('transcript.final')[0]!.m.text).toBe('大人の入園料はいくらですか');
    const messages = h.p.llmCalls[0]!.messages;
    expect(messages[0]).toEqual({ role: 'system', content: SYSTEM_PROMPTS.ja });
    expect(messages.at(-1)!.content).toMatch(/資料から取り出した参考文[\s\S]*\n質問: 大人の入園料はいくらですか$/);
    expect(h.p.ttsCalls.map((c) => [c.text, c.language])).toEqual([
      ['大人の入園料は800円です。', 'ja'],
      ['中学生以下は無料です。', 'ja'],
    ]);
    expect(h.turns[0]!.assistantText).toBe('大人の入園料は800円です。中学生以下は無料です。');
    // answered preemptively from the settled Japanese words, confirmed by the same final
    expect(h.of('turn.metrics')[0]!.m.preemptive).toBeDefined();
    expect(h.p.llmCalls).toHaveLength(1);
    h.session.close();
  });

  it('config auto: the STT is told auto, and English spoken in a ja session is answered in English', async () => {
    const h = harness({ speech, answer: ['It is', ' 800 yen.'], language: 'ja', config: { language: 'auto' } });
    await h.speak(7000);
    expect(new Set(h.p.sttCalls.map((c) => c.language))).toEqual(new Set(['auto']));
    expect(h.p.llmCalls[0]!.messages[0]!.content).toBe(SYSTEM_PROMPTS.en);
    expect(h.p.ttsCalls.map((c) => c.language)).toEqual(['en']);
    h.session.close();
  });

  it('Japanese typed into an en session is answered with the Japanese prompt and voice', async () => {
    const h = harness({ speech: () => false, answer: JA_ANSWER });
    h.session.textInput('年間パスポートはいくらですか？');
    await h.clock.advance(5000);
    expect(h.p.llmCalls[0]!.messages[0]!.content).toBe(SYSTEM_PROMPTS.ja);
    expect(new Set(h.p.ttsCalls.map((c) => c.language))).toEqual(new Set(['ja']));
    h.session.close();
  });

  it('the LLM failing in a Japanese turn: the Japanese apology is spoken and the notice is in Japanese', async () => {
    const h = harness({ speech, answer: [], words: JA_WORDS, joiner: '', language: 'ja', llmFails: true });
    await h.speak(7000);
    const error = h.of('error')[0]!.m;
    expect(error).toMatchObject({ code: 'llm_failed', message: NOTICES.ja.llmFailed });
    expect(h.p.ttsCalls.map((c) => c.language)).toEqual(h.p.ttsCalls.map(() => 'ja'));
    expect(h.p.ttsCalls.map((c) => c.text).join('')).toBe(llmApology('ja'));
    expect(h.of('assistant.done')[0]!.m).toMatchObject({ text: llmApology('ja'), fallback: 'llm' });
    h.session.close();
  });

  it('setLanguage switches what the STT is told for the next utterance', async () => {
    const h = harness({ speech: (ms) => (ms >= 500 && ms < 1500) || (ms >= 6000 && ms < 7000), answer: ['OK.'], language: 'en' });
    await h.speak(4000);
    h.session.setLanguage('ja');
    await h.speak(6000);
    const languages = h.p.sttCalls.map((c) => c.language);
    expect(languages[0]).toBe('en');
    expect(languages.at(-1)).toBe('ja');
    h.session.close();
  });
});
