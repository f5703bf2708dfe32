import { describe, expect, it } from 'vitest';
import { PARTIAL_SILENCE_MS } from '../listen/stt-scheduler.ts';
import { LLM_FIRST_MS, LLM_TOKEN_MS, TTS_MS, scriptedSession as harness } from './testing/scripted-session.ts';

/*
 * The preemptive answer on fake time: started from the settled text during the end-of-turn
 * silence, held until the final transcript confirms it. Scripted model servers, the rest real.
 */
const ANSWER = ['Hello', ' there,', ' my', ' friend.'];
const FIRST_AUDIO = LLM_FIRST_MS + LLM_TOKEN_MS + TTS_MS; // LLM request -> first segment's audio

type H = ReturnType<typeof harness>;
/** Speech 0.5-2.5 s; STT requests from PARTIAL_SILENCE_MS into the silence on are the final's. */
const speech = (ms: number) => ms >= 500 && ms < 2500;
const isFinalRequest = (at: number) => at >= 2500 + PARTIAL_SILENCE_MS;
/** Every event of the answer (anything but listening-side events), with its time. */
const answerEvents = (h: H) => h.events.filter((e) => !['vad', 'transcript.partial', 'transcript.final', 'state'].includes(e.m.type));

describe('preemptive answer', () => {
  it('commit: the LLM and first TTS run during the silence, nothing is sent before the final, voice starts sooner', async () => {
    const h = harness({ speech: (ms) => ms >= 500 && ms < 2500, answer: ANSWER });
    await h.speak(7000);
    const final = h.of('transcript.final')[0]!;
    const vadEnd = h.of('vad').find((e) => e.m.event === 'speech_end')!;
    expect(h.p.llmCalls).toHaveLength(1);
    const llmAt = h.p.llmCalls[0]!.at;
    expect(llmAt).toBeLessThan(vadEnd.at); // started in the silence, before the end of turn
    expect(h.p.ttsCalls[0]!.at).toBeLessThan(final.at); // the first segment synthesised while held
    expect(h.p.ttsCalls.filter((c) => c.at < final.at)).toHaveLength(1); // only the first
    expect(answerEvents(h).every((e) => e.at >= final.at)).toBe(true);
    expect(h.audio.every((a) => a.at >= final.at)).toBe(true);
    const ttsStart = h.of('tts.start')[0]!;
    expect(ttsStart.at).toBe(Math.max(final.at, llmAt + FIRST_AUDIO));
    expect(ttsStart.at - final.at).toBeLessThan(FIRST_AUDIO);
    // the held events come out in order: deltas first, then the voice
    const types = answerEvents(h).map((e) => e.m.type);
    expect(types.indexOf('assistant.delta')).toBeLessThan(types.indexOf('tts.start'));
    const metrics = h.of('turn.metrics')[0]!.m;
    expect(metrics.preemptive).toBe('partial');
    expect(metrics.wasted_llm_calls).toBeUndefined();
    expect(metrics.stages.stt_final_ms).toBe(0);
    expect(metrics.stages.end_to_end_ms).toBe(ttsStart.at - vadEnd.at + metrics.stages.endpoint_ms!); // from the end of speech
    expect(h.turns[0]!.assistantText).toBe('Hello there, my friend.');
    expect(h.observed[0]).toMatchObject({ preemptive: true, wastedLlmCalls: 0, wastedTtsCalls: 0 });
    h.session.close();
  });

  it('discard on continue: the user speaks again in the silence; the held answer is cancelled unsent and started again', async () => {
    const h = harness({ speech: (ms) => (ms >= 500 && ms < 1500) || (ms >= 1900 && ms < 2700), answer: ANSWER });
    await h.speak(7000);
    expect(h.of('vad').map((e) => e.m.event)).toEqual(['speech_start', 'speech_end']);
    const final = h.of('transcript.final')[0]!;
    // the answer held in the pause is cancelled; the one that was sent is the last started
    expect(h.p.llmCalls[0]!.signal.aborted).toBe(true);
    expect(h.p.llmCalls[0]!.at).toBeLessThan(1900 + 100);
    expect(h.p.llmCalls.map((c) => c.signal.aborted)).toEqual([...h.p.llmCalls.slice(1).map(() => true), false]);
    expect(answerEvents(h).every((e) => e.at >= final.at)).toBe(true);
    expect(h.of('assistant.done')).toHaveLength(1);
    expect(h.of('tts.start').map((e) => e.m.text)).toEqual(['Hello there,', 'my friend.']);
    const metrics = h.of('turn.metrics')[0]!.m;
    expect(metrics.preemptive).toBeDefined();
    expect(metrics.wasted_llm_calls).toBe(h.p.llmCalls.length - 1);
    expect(metrics.wasted_tts_calls).toBe(h.p.ttsCalls.filter((c) => c.signal.aborted).length);
    h.session.close();
  });

});

describe('preemptive answer, started again', () => {
  it('discard on a different final: an answer held for the partial is cancelled when the final has other words', async () => {
    // the early final is lost, so the final is transcribed at the endpoint, and it hears one more word
    const sttScript = (text: string, r: { at: number; afterEndpoint: boolean }) =>
      r.afterEndpoint ? `${text} please` : isFinalRequest(r.at) ? new Error('early final lost') : text;
    const h = harness({ speech, answer: ANSWER, sttScript });
    await h.speak(7000);
    const final = h.of('transcript.final')[0]!;
    const lastPartial = h.of('transcript.partial').at(-1)!.m.text;
    expect(final.m.text).not.toBe(lastPartial);
    expect(h.p.llmCalls).toHaveLength(2);
    expect(h.p.llmCalls[0]!.messages.at(-1)!.content).toBe(lastPartial);
    expect(h.p.llmCalls[0]!.signal.aborted).toBe(true);
    expect(h.p.llmCalls[1]!.messages.at(-1)!.content).toBe(final.m.text);
    expect(h.p.llmCalls[1]!.at).toBe(final.at);
    expect(answerEvents(h).every((e) => e.at >= final.at)).toBe(true);
    expect(h.of('tts.start')[0]!.at - final.at).toBe(FIRST_AUDIO);
    const metrics = h.of('turn.metrics')[0]!.m;
    expect(metrics.preemptive).toBeUndefined();
    expect(metrics.wasted_llm_calls).toBe(1);
    expect(h.turns[0]!.userText).toBe(final.m.text);
    h.session.close();
  });

  it('the early final with other words than the partial restarts the held answer from them, which is then committed', async () => {
    const sttScript = (text: string, r: { at: number }) => (isFinalRequest(r.at) ? `${text} please` : text);
    const h = harness({ speech, answer: ANSWER, sttScript });
    await h.speak(7000);
    const final = h.of('transcript.final')[0]!;
    expect(h.p.llmCalls.map((c) => c.signal.aborted)).toEqual([true, false]);
    expect(h.p.llmCalls[1]!.messages.at(-1)!.content).toBe(final.m.text);
    expect(h.p.llmCalls[1]!.at).toBeLessThan(final.at);
    expect(answerEvents(h).every((e) => e.at >= final.at)).toBe(true);
    const metrics = h.of('turn.metrics')[0]!.m;
    expect(metrics).toMatchObject({ preemptive: 'final', wasted_llm_calls: 1 });
    h.session.close();
  });

  it('no final (the STT fails at the end): the held answer is discarded and nothing of it is sent', async () => {
    const h = harness({ speech, answer: ANSWER, sttScript: (text, r) => (isFinalRequest(r.at) ? new Error('stt down') : text) });
    await h.speak(7000);
    expect(h.of('error').map((e) => e.m.code)).toEqual(['stt_failed']);
    expect(h.of('transcript.final')).toHaveLength(0);
    expect(h.p.llmCalls).toHaveLength(1);
    expect(h.p.llmCalls[0]!.signal.aborted).toBe(true);
    expect(answerEvents(h).filter((e) => e.m.type !== 'error')).toHaveLength(0);
    expect(h.audio).toHaveLength(0);
    expect(h.session.currentState).toBe('idle');
    h.session.close();
  });

  it('barge-in during a held answer: the spoken answer is cleared; the interruption is answered from its held answer, sent only once confirmed', async () => {
    const h = harness({
      speech: (ms) => (ms >= 200 && ms < 1200) || (ms >= 3000 && ms < 3800),
      answer: ['First', ' sentence', ' is', ' here.', ' Second', ' sentence', ' is', ' long.'],
    });
    await h.speak(7000);
    const clear = h.of('playback.clear')[0]!;
    expect(clear.m.reason).toBe('barge_in');
    const finals = h.of('transcript.final');
    expect(finals).toHaveLength(2);
    const [first, second] = h.of('turn.metrics').map((e) => e.m);
    expect(first!.interrupted).toBe(true);
    expect(second!.preemptive).toBeDefined();
    const secondTurn = finals[1]!.m.turn_id;
    const heldLlm = h.p.llmCalls.find((c) => c.at > clear.at)!;
    expect(heldLlm.at).toBeGreaterThan(clear.at);
    expect(heldLlm.at).toBeLessThan(finals[1]!.at);
    const secondEvents = answerEvents(h).filter((e) => 'turn_id' in e.m && e.m.turn_id === secondTurn);
    expect(secondEvents.length).toBeGreaterThan(0);
    expect(secondEvents.every((e) => e.at >= finals[1]!.at)).toBe(true);
    // no audio in the gap between the clear and the confirmed second answer
    expect(h.audio.filter((a) => a.at > clear.at && a.at < finals[1]!.at)).toHaveLength(0);
    expect(h.turns.map((t) => t.interrupted)).toEqual([true, false]);
    h.session.close();
  });
});
