import { describe, expect, it } from 'vitest';
import { parseClientMessage, parseServerMessage, encodeMessage, isValidSessionId } from './parse.ts';
import { PROTOCOL_VERSION } from './version.ts';

describe('client messages', () => {
  it('accepts a valid hello', () => {
    const r = parseClientMessage(JSON.stringify({ type: 'hello', protocol_version: PROTOCOL_VERSION, token: 't' }));
    expect(r.ok).toBe(true);
  });

  it('accepts a hello with a BCP-47 language', () => {
    const r = parseClientMessage(JSON.stringify({ type: 'hello', protocol_version: PROTOCOL_VERSION, token: 't', language: 'ja-JP' }));
    expect(r.ok && r.value.type === 'hello' && r.value.language).toBe('ja-JP');
  });

  it.each([
    ['not json', '{nope'],
    ['unknown type', '{"type":"explode"}'],
    ['hello without token', '{"type":"hello","protocol_version":1}'],
    ['text too long', JSON.stringify({ type: 'text.input', text: 'x'.repeat(5000) })],
    ['empty text', JSON.stringify({ type: 'text.input', text: '' })],
    ['negative played_ms', JSON.stringify({ type: 'playback.progress', turn_id: 't', segment_id: 0, played_ms: -1 })],
    ['array', '[]'],
    ['null', 'null'],
  ])('rejects %s with a readable error', (_name, text) => {
    const r = parseClientMessage(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(3);
  });
});

describe('server messages', () => {
  it('round-trips an assistant.done with sources', () => {
    const msg = {
      type: 'assistant.done' as const,
      turn_id: 't1',
      text: 'hi',
      interrupted: false,
      sources: [{ document_id: 'd', chunk_id: 'd:0', source: 'a.md', score: 0.8 }],
      fallback: null,
    };
    const r = parseServerMessage(encodeMessage(msg));
    expect(r).toEqual({ ok: true, value: msg });
  });

  it('round-trips a ready with the session language and what voice input understands', () => {
    const msg = {
      type: 'ready' as const,
      protocol_version: PROTOCOL_VERSION,
      session_id: 's1',
      is_mock: true,
      audio_in: { codec: 'opus' as const, sample_rate: 48_000, channels: 1, frame_ms: 20 },
      audio_out: { codec: 'opus' as const, sample_rate: 48_000, channels: 1, frame_ms: 40 },
      idle_timeout_ms: 60_000,
      language: 'ja' as const,
      voice_input: { ja: false, en: true },
      history: [{ turn_id: 't0', user_text: '入園料はいくらですか', assistant_text: '大人は800円です。' }],
    };
    expect(parseServerMessage(encodeMessage(msg))).toEqual({ ok: true, value: msg });
    expect(parseServerMessage(JSON.stringify({ ...msg, language: 'ja-JP' })).ok).toBe(false);
  });

  it('rejects an error event with an unknown code', () => {
    const r = parseServerMessage(JSON.stringify({ type: 'error', code: 'whatever', message: 'x', retryable: false, turn_id: null }));
    expect(r.ok).toBe(false);
  });
});

describe('session ids', () => {
  it.each(['abc', 'A-b_9', 'x'.repeat(64)])('accepts %s', (id) => expect(isValidSessionId(id)).toBe(true));
  it.each(['', 'x'.repeat(65), 'a/b', 'a b', '../x'])('rejects %j', (id) => expect(isValidSessionId(id)).toBe(false));
});
