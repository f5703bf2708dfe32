import { describe, expect, it } from 'vitest';
import { LLM_FIRST_MS, LLM_TOKEN_MS, TTS_MS, scriptedSession as harness } from './testing/scripted-session.ts';

/*
 * Turn-taking on fake time: scripted model servers, everything of ours for real (see testing/).
 * The timing tests here run without the preemptive answer (config.preemptive false): they pin the
 * confirmed-turn path; preemptive.test.ts covers the held answer.
 */

describe('VoiceSession turn-taking on fake time', () => {
  it('speech 0.5-2.5 s: partials while speaking, then tts.start at the sum of the stage latencies', async () => {
    const h = harness({ speech: (ms) => ms >= 500 && ms < 2500, answer: ['Hello', ' there,', ' my', ' friend.', ' The battery lasts', ' two hours.'], config: { preemptive: false } });
    await h.speak(8000);
    const vadEnd = h.of('vad').find((e) => e.m.event === 'speech_end')!;
    expect(vadEnd.m.audio_ms).toBe(2528); // first 32 ms frame starting at or after 2.5 s (79 * 32)
    // End detected after 480 ms of silence (15 frames), when the frame holding 2976 ms is processed.
    const partials = h.of('transcript.partial');
    expect(partials.length).toBeGreaterThanOrEqual(4);
    expect(partials.every((p) => p.at < vadEnd.at)).toBe(true);
    const final = h.of('transcript.final')[0]!;
    // The final's audio (speech + 160 ms) was complete after 160 ms of silence and transcribed
    // then, so it is ready the moment the endpoint fires (it never queued behind a partial).
    expect(final.at - vadEnd.at).toBe(0);
    // provider connections are warmed once, as soon as the speech starts
    const vadStart = h.of('vad').find((e) => e.m.event === 'speech_start')!;
    expect(h.prewarms).toEqual([vadStart.at]);
    const ttsStart = h.of('tts.start')[0]!;
    // Early first chunk: "Hello there," is released at its comma (2 tokens: 150 + 20 ms), then TTS 200 ms.
    expect(ttsStart.m.text).toBe('Hello there,');
    expect(ttsStart.at - final.at).toBe(LLM_FIRST_MS + LLM_TOKEN_MS + TTS_MS);
    const metrics = h.of('turn.metrics')[0]!;
    expect(metrics.m.stages.stt_final_ms).toBe(0);
    expect(metrics.m.transcript_early).toBe(true);
    // 480 ms of silence + one 20 ms packet of quantisation, nothing else
    expect(metrics.m.stages.endpoint_ms).toBe(500);
    expect(metrics.m.stages.llm_first_token_ms).toBe(LLM_FIRST_MS);
    expect(metrics.m.stages.tts_first_audio_ms).toBe(TTS_MS);
    // Audio: 40 ms packets, in segment order, paced at real time with a 200 ms lead.
    const seg0 = h.audio.filter((a) => a.f.segment === ttsStart.m.segment_id);
    const segOrder = [...new Set(h.audio.map((a) => a.f.segment))];
    expect(segOrder).toEqual([0, 1, 2]);
    expect(seg0.length).toBe(25); // 1 s of audio
    expect(seg0.at(-1)!.f.flags & 1).toBe(1);
    expect(seg0.at(-1)!.at - seg0[0]!.at).toBeGreaterThanOrEqual(1000 - 200 - 40 - 1);
    expect(h.p.ttsTexts).toEqual(['Hello there,', 'my friend.', 'The battery lasts two hours.']);
    const done = h.of('assistant.done')[0]!;
    expect(done.m.interrupted).toBe(false);
    expect(h.turns[0]!.assistantText).toBe('Hello there, my friend. The battery lasts two hours.');
    h.session.close();
  });

  it('documents are looked up from the settled partial during the end-of-turn silence, off the critical path', async () => {
    const h = harness({ speech: (ms) => ms >= 500 && ms < 2500, answer: ['Hello', ' there,', ' my', ' friend.'], retriever: { ms: 30 }, config: { preemptive: false } });
    await h.speak(6000);
    const vadEnd = h.of('vad').find((e) => e.m.event === 'speech_end')!;
    const final = h.of('transcript.final')[0]!;
    expect(h.lookups).toHaveLength(1);
    expect(h.lookups[0]!.query).toBe(h.of('transcript.partial').at(-1)!.m.text);
    expect(h.lookups[0]!.at).toBeLessThan(vadEnd.at); // during the silence, before the endpoint
    const ttsStart = h.of('tts.start')[0]!;
    expect(ttsStart.at - final.at).toBe(LLM_FIRST_MS + LLM_TOKEN_MS + TTS_MS); // no retrieval time left
    const metrics = h.of('turn.metrics')[0]!;
    expect(metrics.m.retrieval_early).toBe(true);
    expect(metrics.m.stages.retrieval_ms).toBe(0);
    expect(h.of('assistant.done')[0]!.m.sources.map((x) => x.source)).toEqual(['manual.md']);
    h.session.close();
  });

  it('a pause shorter than the endpoint abandons the early final; the utterance goes on and is answered once', async () => {
    const h = harness({ speech: (ms) => (ms >= 500 && ms < 1500) || (ms >= 1800 && ms < 2600), answer: ['Hello', ' there,', ' my', ' friend.'] });
    await h.speak(6000);
    expect(h.of('vad').map((e) => e.m.event)).toEqual(['speech_start', 'speech_end']);
    const finals = h.of('transcript.final');
    expect(finals).toHaveLength(1);
    expect(finals[0]!.m.text).toBe('what is the battery life'); // all of it, not the words before the pause
    // one request was started in the pause and abandoned, the final's came from the last silence
    expect(h.p.sttCalls.length).toBeGreaterThan(h.of('transcript.partial').length + 1);
    expect(h.of('turn.metrics')[0]!.m.transcript_early).toBe(true);
    expect(h.of('assistant.done')).toHaveLength(1);
    h.session.close();
  });

  it('a failed early lookup is done again for the final transcript', async () => {
    const h = harness({ speech: (ms) => ms >= 500 && ms < 2500, answer: ['Hello', ' there,', ' my', ' friend.'], retriever: { ms: 30, failFirst: true }, config: { preemptive: false } });
    await h.speak(6000);
    const final = h.of('transcript.final')[0]!;
    expect(h.lookups.map((l) => l.at > final.at - 1)).toEqual([false, true]);
    expect(h.of('tts.start')[0]!.at - final.at).toBe(30 + LLM_FIRST_MS + LLM_TOKEN_MS + TTS_MS);
    const metrics = h.of('turn.metrics')[0]!;
    expect(metrics.m.retrieval_early).toBeUndefined();
    expect(metrics.m.stages.retrieval_ms).toBe(30);
    expect(h.of('assistant.done')[0]!.m.sources).toHaveLength(1);
    h.session.close();
  });

});

describe('VoiceSession interruptions and lifetime on fake time', () => {
  it('barge-in: user speech while the avatar talks clears playback and logs only what was heard', async () => {
    const h = harness({
      speech: (ms) => (ms >= 200 && ms < 1200) || (ms >= 3000 && ms < 3800),
      answer: ['First', ' sentence', ' is', ' here.', ' Second', ' sentence', ' is', ' long.'],
    });
    await h.speak(6500);
    const clear = h.of('playback.clear')[0];
    expect(clear).toBeDefined();
    expect(clear!.m.reason).toBe('barge_in');
    const bargeStart = h.of('vad').filter((e) => e.m.event === 'speech_start')[1]!;
    // confirmed after 250 ms of speech (plus the VAD's 160 ms start confirmation)
    expect(clear!.at - bargeStart.at).toBeLessThanOrEqual(300);
    const firstDone = h.of('assistant.done')[0]!;
    expect(firstDone.m.interrupted).toBe(true);
    const firstTurn = h.turns[0]!;
    expect(firstTurn.interrupted).toBe(true);
    expect(firstTurn.assistantText.length).toBeLessThan('First sentence is here. Second sentence is long.'.length);
    // no audio of the interrupted turn after the clear
    const lateAudio = h.audio.filter((a) => a.at > clear!.at && a.f.segment <= 1);
    expect(lateAudio.length).toBe(0);
    // the barge-in utterance becomes the next turn
    await h.speak(3000);
    expect(h.of('transcript.final').length).toBe(2);
    h.session.close();
  });

  it('ends the session after the idle timeout without speech', async () => {
    const h = harness({ speech: () => false, answer: ['x.'] });
    let idle = false;
    h.session.onIdleTimeout = () => (idle = true);
    await h.clock.advance(59_000);
    expect(idle).toBe(false);
    await h.clock.advance(1_500);
    expect(idle).toBe(true);
    h.session.close();
  });
});
