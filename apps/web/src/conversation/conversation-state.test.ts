import { describe, expect, it } from 'vitest';
import type { ServerMessage } from '@va/protocol';
import { computeWaterfall } from '../metrics/waterfall.ts';
import { conversationReducer, initialConversation, voiceInputAvailable, type ConversationAction } from './conversation-state.ts';

const server = (msg: ServerMessage, now: number, capturedMs?: number | null): ConversationAction => ({ type: 'server', msg, now, ...(capturedMs !== undefined ? { capturedMs } : {}) });

describe('conversation reducer', () => {
  it('follows a voice turn and measures its waterfall', () => {
    const actions: ConversationAction[] = [
      server({ type: 'vad', event: 'speech_start', audio_ms: 0 }, 0),
      server({ type: 'transcript.partial', turn_id: 't1', text: 'go for', covers_seq: 20 }, 300),
      // the page captured the audio at audio_ms 1500 at 1290 (performance.now()); the event arrived at 1600
      server({ type: 'vad', event: 'speech_end', audio_ms: 1500 }, 1600, 1290),
      server({ type: 'transcript.final', turn_id: 't1', text: 'go forward ten meters', covers_seq: 90, source: 'voice' }, 1800),
      server({ type: 'assistant.delta', turn_id: 't1', text: 'Going ' }, 1900),
      server({ type: 'assistant.delta', turn_id: 't1', text: 'forward.' }, 1950),
      { type: 'audio.first', turnId: 't1', now: 2300, packetAt: 2270 },
      { type: 'audio.first', turnId: 't1', now: 4000, packetAt: 3900 }, // a later segment moves nothing
      server({ type: 'assistant.done', turn_id: 't1', text: 'Going forward.', interrupted: false, sources: [{ document_id: 'd', chunk_id: 'd:0', source: 'a.md', score: 1 }], fallback: null }, 2400),
    ];
    let s = initialConversation;
    for (const a of actions) {
      s = conversationReducer(s, a);
      if (a.type === 'server' && a.msg.type === 'transcript.partial') expect(s.partial?.text).toBe('go for');
    }
    expect(s.partial).toBeNull();
    const t = s.turns[0]!;
    expect(t).toMatchObject({ userText: 'go forward ten meters', assistantText: 'Going forward.', done: true, source: 'voice' });
    expect(t.sources).toHaveLength(1);
    expect(t.marks).toEqual({ speechEndMs: 1290, speechEndSource: 'capture', endOfTurnMs: 1600, finalMs: 1800, firstTokenMs: 1900, firstPacketMs: 2270, firstAudioMs: 2300 });
    expect(computeWaterfall(t.marks)).toEqual({ start: 'capture', waitMs: 310, sttMs: 200, retrievalMs: null, llmMs: 100, otherMs: null, ttsMs: 370, playoutMs: 30, totalMs: 1010 });
  });

  it('an utterance that goes on with a withdrawn turn replaces its message; the withdrawn turn\'s late events are ignored (Japanese)', () => {
    let s = conversationReducer(initialConversation, server({ type: 'transcript.final', turn_id: 't1', text: '温室は開いていますか', covers_seq: 40, source: 'voice' }, 100));
    s = conversationReducer(s, server({ type: 'assistant.delta', turn_id: 't1', text: 'はい、' }, 300));
    s = conversationReducer(s, server({ type: 'transcript.partial', turn_id: 't2', text: 'それと', covers_seq: 60 }, 500));
    s = conversationReducer(s, server({ type: 'transcript.final', turn_id: 't2', text: '温室は開いていますかそれと火曜日は何時に閉まりますか', covers_seq: 90, source: 'voice', continues_turn_id: 't1' }, 1500));
    s = conversationReducer(s, server({ type: 'turn.metrics', turn_id: 't1', stages: { stt_final_ms: 0, retrieval_ms: null, llm_first_token_ms: 150, tts_first_audio_ms: null, end_to_end_ms: null, endpoint_ms: 240 }, interrupted: true }, 1600));
    expect(s.turns.map((t) => [t.turnId, t.userText, t.assistantText])).toEqual([['t2', '温室は開いていますかそれと火曜日は何時に閉まりますか', '']]);
    expect(s.activeTurnId).toBe('t2');
  });

  it('turn.metrics tells which passages and earlier turns were left out of the prompt (a Japanese turn)', () => {
    const stages = { stt_final_ms: 0, retrieval_ms: 2, llm_first_token_ms: 210, tts_first_audio_ms: 250, end_to_end_ms: 700, endpoint_ms: 240 };
    let s = conversationReducer(initialConversation, server({ type: 'transcript.final', turn_id: 't1', text: '年間パスポートの値段は？', covers_seq: 40, source: 'voice' }, 100));
    s = conversationReducer(s, server({ type: 'turn.metrics', turn_id: 't1', stages, interrupted: false, context_dropped: { passages: 2, history: 1 } }, 900));
    expect(s.turns[0]?.contextDropped).toEqual({ passages: 2, history: 1 });
    s = conversationReducer(s, server({ type: 'transcript.final', turn_id: 't2', text: '駐車場は何台？', covers_seq: 90, source: 'voice' }, 2000));
    s = conversationReducer(s, server({ type: 'turn.metrics', turn_id: 't2', stages, interrupted: false }, 2900));
    expect(s.turns[1]?.contextDropped).toBeNull();
  });

  it('keeps the end-of-turn event without a start when the page could not map the speech end', () => {
    let s = conversationReducer(initialConversation, server({ type: 'vad', event: 'speech_end', audio_ms: 1500 }, 1600, null));
    s = conversationReducer(s, server({ type: 'transcript.final', turn_id: 't1', text: 'hi', covers_seq: 5, source: 'voice' }, 1700));
    expect(s.turns[0]?.marks).toMatchObject({ speechEndMs: null, speechEndSource: 'vad', endOfTurnMs: 1600, finalMs: 1700 });
    // speech started again before any final: the pending end is dropped
    s = conversationReducer(s, server({ type: 'vad', event: 'speech_end', audio_ms: 3000 }, 3100, 2900));
    s = conversationReducer(s, server({ type: 'vad', event: 'speech_start', audio_ms: 3200 }, 3300));
    expect(s.pendingSpeechEnd).toBeNull();
  });

  it('uses audio.end as speech end when the VAD did not fire, and the send time for text', () => {
    let s = conversationReducer(initialConversation, { type: 'audio.end', now: 100 });
    s = conversationReducer(s, server({ type: 'vad', event: 'speech_end', audio_ms: 900 }, 120, 95));
    s = conversationReducer(s, server({ type: 'transcript.final', turn_id: 'a', text: 'hi', covers_seq: 5, source: 'voice' }, 150));
    expect(s.turns[0]?.marks).toMatchObject({ speechEndMs: 100, speechEndSource: 'audio.end', endOfTurnMs: 120, finalMs: 150 });
    s = conversationReducer(s, { type: 'text.sent', clientMsgId: 'c1', now: 1000 });
    s = conversationReducer(s, server({ type: 'transcript.final', turn_id: 'b', text: 'typed', covers_seq: -1, source: 'text', client_msg_id: 'c1' }, 1010));
    expect(s.turns[1]).toMatchObject({ source: 'text', marks: { speechEndMs: 1000, speechEndSource: 'text' } });
    expect(s.pendingTexts).toEqual([]);
  });

  it('marks interrupted turns, restores history once, and keeps at most 4 notices', () => {
    let s = conversationReducer(initialConversation, server({ type: 'assistant.delta', turn_id: 'x', text: 'long answer' }, 0));
    s = conversationReducer(s, server({ type: 'playback.clear', turn_id: 'x', reason: 'barge_in' }, 1));
    expect(s.turns[0]?.interrupted).toBe(true);
    const ready = server({ type: 'ready', protocol_version: 1, session_id: 's', is_mock: true, audio_in: { codec: 'opus', sample_rate: 48000, channels: 1, frame_ms: 20 }, audio_out: { codec: 'opus', sample_rate: 48000, channels: 1, frame_ms: 40 }, idle_timeout_ms: 60000, history: [{ turn_id: 'h', user_text: 'q', assistant_text: 'a' }, { turn_id: 'x', user_text: '', assistant_text: '' }] }, 2);
    s = conversationReducer(conversationReducer(s, ready), ready);
    expect(s.turns.map((t) => t.turnId)).toEqual(['h', 'x']);
    expect(s.isMock).toBe(true);
    for (let i = 0; i < 6; i++) s = conversationReducer(s, server({ type: 'error', code: 'busy', message: `m${i}`, retryable: true, turn_id: null }, 3));
    expect(s.notices.map((n) => n.message)).toEqual(['m2', 'm3', 'm4', 'm5']);
  });

  it('takes the session language and voice input from ready: a ja session on the English-only stand-in has no voice input', () => {
    const base: Extract<ServerMessage, { type: 'ready' }> = { type: 'ready', protocol_version: 1, session_id: 's', is_mock: true, audio_in: { codec: 'opus', sample_rate: 48000, channels: 1, frame_ms: 20 }, audio_out: { codec: 'opus', sample_rate: 48000, channels: 1, frame_ms: 40 }, idle_timeout_ms: 60000, history: [] };
    const ja = conversationReducer(initialConversation, server({ ...base, language: 'ja', voice_input: { ja: false, en: true } }, 0));
    expect(ja.language).toBe('ja');
    expect(voiceInputAvailable(ja, 'ja')).toBe(false);
    const en = conversationReducer(initialConversation, server({ ...base, language: 'en', voice_input: { ja: false, en: true } }, 0));
    expect(voiceInputAvailable(en, 'ja')).toBe(true); // the server's language counts, not the page's guess
    const whisper = conversationReducer(initialConversation, server({ ...base, language: 'ja', voice_input: { ja: true, en: true } }, 0));
    expect(voiceInputAvailable(whisper, 'ja')).toBe(true);
    const older = conversationReducer(initialConversation, server(base, 0));
    expect([older.language, older.voiceInput, voiceInputAvailable(older, 'ja')]).toEqual([null, null, true]);
  });
});

describe('ducking (playback.duck)', () => {
  it('shows the avatar listening while its voice is lowered, and back when restored or cleared', () => {
    let s = conversationReducer(initialConversation, server({ type: 'playback.duck', turn_id: 't1', level: 0.3 }, 0));
    expect(s.ducked).toBe(true);
    s = conversationReducer(s, server({ type: 'playback.duck', turn_id: 't1', level: 1 }, 10));
    expect(s.ducked).toBe(false);
    s = conversationReducer(s, server({ type: 'playback.duck', turn_id: 't1', level: 0.3 }, 20));
    s = conversationReducer(s, server({ type: 'playback.clear', turn_id: 't1', reason: 'barge_in' }, 30));
    expect(s.ducked).toBe(false);
  });
});
