import type { ErrorCode, ServerMessage, SessionState, SourceRef, TurnStages } from '@va/protocol';
import { emptyMarks, markOnce, type TurnMarks } from '../metrics/waterfall.ts';

export interface Turn {
  turnId: string;
  source: 'voice' | 'text';
  userText: string;
  userFinal: boolean;
  assistantText: string;
  done: boolean;
  interrupted: boolean;
  sources: SourceRef[];
  fallback: 'llm' | 'tts' | null;
  marks: TurnMarks;
  server: TurnStages | null;
  /** Passages and earlier turns the server left out of the prompt to fit the model's context (turn.metrics). */
  contextDropped: { passages: number; history: number } | null;
  error: string | null;
  /** Restored from the server on resume (no timings). */
  fromHistory: boolean;
}

export interface Notice {
  id: number;
  code: ErrorCode | 'local';
  message: string;
}

export interface ConversationState {
  turns: Turn[];
  /** Live partial transcript while the user speaks. */
  partial: { turnId: string; text: string } | null;
  session: SessionState;
  /** The avatar's voice is lowered (playback.duck): the user may be taking the turn. */
  ducked: boolean;
  activeTurnId: string | null;
  isMock: boolean;
  /** The session language the server took (ready.language); null before ready or from an older server. */
  language: 'ja' | 'en' | null;
  /** Per language, whether the server's speech recognition understands it (ready.voice_input). */
  voiceInput: { ja: boolean; en: boolean } | null;
  notices: Notice[];
  /** Where the coming voice turn starts (see TurnMarks), until its final transcript arrives. */
  pendingSpeechEnd: PendingSpeechEnd | null;
  pendingTexts: { clientMsgId: string; sentAtMs: number }[];
  nextNoticeId: number;
  /** Turns withdrawn because the user went on (`transcript.final.continues_turn_id`): their late events are ignored. */
  withdrawnTurnIds: string[];
}

export interface PendingSpeechEnd {
  speechEndMs: number | null;
  source: 'capture' | 'vad' | 'audio.end';
  /** The server's end of turn (`vad` speech_end) reached the page. */
  endOfTurnMs: number | null;
}

export const initialConversation: ConversationState = {
  turns: [],
  partial: null,
  session: 'idle',
  ducked: false,
  activeTurnId: null,
  isMock: false,
  language: null,
  voiceInput: null,
  notices: [],
  pendingSpeechEnd: null,
  pendingTexts: [],
  nextNoticeId: 1,
  withdrawnTurnIds: [],
};

export type ConversationAction =
  /** `capturedMs`: for a `vad` speech_end, when the page captured the audio at its `audio_ms` (null: unknown). */
  | { type: 'server'; msg: ServerMessage; now: number; capturedMs?: number | null }
  | { type: 'text.sent'; clientMsgId: string; now: number }
  | { type: 'audio.end'; now: number }
  /** The turn's first audio became audible at `now`; its first packet arrived at `packetAt`. */
  | { type: 'audio.first'; turnId: string; now: number; packetAt: number | null }
  | { type: 'interrupted'; turnId: string }
  | { type: 'notice'; message: string }
  | { type: 'dismiss'; id: number };

function newTurn(turnId: string, source: 'voice' | 'text'): Turn {
  return { turnId, source, userText: '', userFinal: false, assistantText: '', done: false, interrupted: false, sources: [], fallback: null, marks: emptyMarks(), server: null, contextDropped: null, error: null, fromHistory: false };
}

function updateTurn(s: ConversationState, turnId: string, source: 'voice' | 'text', f: (t: Turn) => Turn): ConversationState {
  const i = s.turns.findIndex((t) => t.turnId === turnId);
  if (i < 0) return { ...s, turns: [...s.turns, f(newTurn(turnId, source))] };
  const turns = s.turns.slice();
  turns[i] = f(turns[i] as Turn);
  return { ...s, turns };
}

const MAX_NOTICES = 4;

function addNotice(s: ConversationState, code: Notice['code'], message: string): ConversationState {
  const notices = [...s.notices, { id: s.nextNoticeId, code, message }].slice(-MAX_NOTICES);
  return { ...s, notices, nextNoticeId: s.nextNoticeId + 1 };
}

function onSpeechEnd(s: ConversationState, now: number, capturedMs: number | null): ConversationState {
  const p = s.pendingSpeechEnd;
  // the mic was switched off first: that press is where the user stopped
  if (p) return p.endOfTurnMs === null ? { ...s, pendingSpeechEnd: { ...p, endOfTurnMs: now } } : s;
  return { ...s, pendingSpeechEnd: { speechEndMs: capturedMs, source: capturedMs === null ? 'vad' : 'capture', endOfTurnMs: now } };
}

/** The user went on after a pause: the withdrawn turn's message gives way to the whole one. */
function withdraw(s: ConversationState, turnId: string | undefined): ConversationState {
  if (!turnId) return s;
  return { ...s, turns: s.turns.filter((t) => t.turnId !== turnId), withdrawnTurnIds: [...s.withdrawnTurnIds.slice(-19), turnId] };
}

function onFinal(prior: ConversationState, msg: Extract<ServerMessage, { type: 'transcript.final' }>, now: number): ConversationState {
  const s = withdraw(prior, msg.continues_turn_id);
  const pendingText = msg.client_msg_id ? s.pendingTexts.find((p) => p.clientMsgId === msg.client_msg_id) : undefined;
  const end: PendingSpeechEnd | { speechEndMs: number; source: 'text'; endOfTurnMs: null } =
    msg.source === 'text'
      ? { speechEndMs: pendingText?.sentAtMs ?? now, source: 'text', endOfTurnMs: null }
      : (s.pendingSpeechEnd ?? { speechEndMs: null, source: 'vad', endOfTurnMs: now });
  const next = updateTurn(s, msg.turn_id, msg.source, (t) => {
    const m = t.marks;
    const marks = m.speechEndSource === null ? { ...m, speechEndMs: end.speechEndMs, speechEndSource: end.source, endOfTurnMs: end.endOfTurnMs } : m;
    return { ...t, source: msg.source, userText: msg.text, userFinal: true, marks: markOnce(marks, 'finalMs', now) };
  });
  return {
    ...next,
    activeTurnId: msg.turn_id,
    partial: s.partial?.turnId === msg.turn_id ? null : s.partial,
    pendingSpeechEnd: msg.source === 'voice' ? null : s.pendingSpeechEnd,
    pendingTexts: s.pendingTexts.filter((p) => p !== pendingText),
  };
}

function onServer(s: ConversationState, msg: ServerMessage, now: number, capturedMs: number | null): ConversationState {
  if ('turn_id' in msg && msg.turn_id && s.withdrawnTurnIds.includes(msg.turn_id) && msg.type !== 'state') return s;
  switch (msg.type) {
    case 'ready': {
      const known = new Set(s.turns.map((t) => t.turnId));
      const restored = msg.history
        .filter((h) => !known.has(h.turn_id))
        .map((h): Turn => ({ ...newTurn(h.turn_id, 'voice'), userText: h.user_text, userFinal: true, assistantText: h.assistant_text, done: true, fromHistory: true }));
      return { ...s, isMock: msg.is_mock, language: msg.language ?? null, voiceInput: msg.voice_input ?? null, turns: [...restored, ...s.turns] };
    }
    case 'state':
      return { ...s, session: msg.state, activeTurnId: msg.turn_id ?? s.activeTurnId };
    case 'vad':
      return msg.event === 'speech_start' ? { ...s, pendingSpeechEnd: null } : onSpeechEnd(s, now, capturedMs);
    case 'transcript.partial':
      return { ...updateTurn(s, msg.turn_id, 'voice', (t) => t), partial: { turnId: msg.turn_id, text: msg.text } };
    case 'transcript.final':
      return onFinal(s, msg, now);
    case 'assistant.delta':
      return updateTurn(s, msg.turn_id, 'voice', (t) => ({ ...t, assistantText: t.assistantText + msg.text, marks: markOnce(t.marks, 'firstTokenMs', now) }));
    case 'assistant.done':
      return updateTurn(s, msg.turn_id, 'voice', (t) => ({ ...t, assistantText: msg.text || t.assistantText, done: true, interrupted: t.interrupted || msg.interrupted, sources: msg.sources, fallback: msg.fallback }));
    case 'playback.clear':
      return updateTurn({ ...s, ducked: false }, msg.turn_id, 'voice', (t) => ({ ...t, interrupted: true }));
    case 'playback.duck':
      return { ...s, ducked: msg.level < 1 };
    case 'turn.metrics':
      return updateTurn(s, msg.turn_id, 'voice', (t) => ({ ...t, server: msg.stages, contextDropped: msg.context_dropped ?? null, interrupted: t.interrupted || msg.interrupted }));
    case 'error': {
      const withNotice = addNotice(s, msg.code, msg.message);
      return msg.turn_id ? updateTurn(withNotice, msg.turn_id, 'voice', (t) => ({ ...t, error: msg.message })) : withNotice;
    }
    case 'session.end':
      return addNotice(s, 'idle_timeout', `session ended: ${msg.reason}`);
    default:
      return s;
  }
}

export function conversationReducer(s: ConversationState, a: ConversationAction): ConversationState {
  switch (a.type) {
    case 'server':
      return onServer(s, a.msg, a.now, a.capturedMs ?? null);
    case 'text.sent':
      return { ...s, pendingTexts: [...s.pendingTexts.slice(-9), { clientMsgId: a.clientMsgId, sentAtMs: a.now }] };
    case 'audio.end':
      return s.pendingSpeechEnd ? s : { ...s, pendingSpeechEnd: { speechEndMs: a.now, source: 'audio.end', endOfTurnMs: null } };
    case 'audio.first':
      return s.turns.some((t) => t.turnId === a.turnId) ? updateTurn(s, a.turnId, 'voice', (t) => (t.marks.firstAudioMs !== null ? t : { ...t, marks: { ...t.marks, firstAudioMs: a.now, firstPacketMs: a.packetAt } })) : s;
    case 'interrupted':
      return s.turns.some((t) => t.turnId === a.turnId) ? updateTurn(s, a.turnId, 'voice', (t) => ({ ...t, interrupted: true })) : s;
    case 'notice':
      return addNotice(s, 'local', a.message);
    case 'dismiss':
      return { ...s, notices: s.notices.filter((n) => n.id !== a.id) };
  }
}

/**
 * False when the server said its speech recognition does not understand `lang` (the embedded
 * English-only stand-in in a Japanese session); true when it does or did not say (older server).
 */
export function voiceInputAvailable(s: Pick<ConversationState, 'voiceInput' | 'language'>, lang: 'ja' | 'en'): boolean {
  return s.voiceInput?.[s.language ?? lang] ?? true;
}
