import { parseServerMessage, type ServerMessage } from '@va/protocol';
import { describe, expect, it } from 'vitest';
import type { TurnResult } from '../answer/turn.ts';
import { reportTurn } from './turn-report.ts';
import type { SessionDeps } from './types.ts';

const stages = { stt_final_ms: 0, retrieval_ms: 3, llm_first_token_ms: 210, tts_first_audio_ms: 250, end_to_end_ms: 700, endpoint_ms: 240 };

function result(dropped: TurnResult['dropped']): TurnResult {
  return {
    assistantText: '年間パスポートは3,000円です。', heardText: '年間パスポートは3,000円です。', interrupted: false,
    sources: [{ document_id: 'd1', chunk_id: 'd1:0', source: 'handbook.md', score: 0.9 }], fallback: null, stages,
    retrievalEarly: true, ttsRequests: 1, think: null, dropped,
  };
}

/** reportTurn with the transport, logger and conversation log recorded (the session's outside world). */
function report(r: TurnResult): { sent: ServerMessage[]; logged: Array<Record<string, unknown>> } {
  const sent: ServerMessage[] = [];
  const logged: Array<Record<string, unknown>> = [];
  const logger = { info: (o: Record<string, unknown>) => logged.push(o), warn: () => {}, error: () => {}, debug: () => {}, child: () => logger };
  const deps = { sessionId: 's1', logger, log: { recordTurn: () => {} } } as unknown as SessionDeps;
  const output = { sendEvent: (m: ServerMessage) => sent.push(m), sendAudio: () => true };
  reportTurn(deps, output, { turnId: 't1', mode: 'voice', userText: '年間パスポートの値段は？', result: r, startedAt: new Date(), transcriptEarly: true });
  return { sent, logged };
}

describe('reportTurn: turn.metrics tells what was left out of the prompt', () => {
  it('context_dropped when passages or earlier turns did not fit the context window (a valid protocol message, no user text in the log)', () => {
    const { sent, logged } = report(result({ passages: 2, history: 1 }));
    const metrics = sent.find((m) => m.type === 'turn.metrics');
    expect(metrics).toMatchObject({ type: 'turn.metrics', context_dropped: { passages: 2, history: 1 } });
    expect(parseServerMessage(JSON.stringify(metrics)).ok).toBe(true);
    expect(logged[0]).toMatchObject({ context_dropped: { passages: 2, history: 1 } });
    expect(JSON.stringify(logged)).not.toContain('年間パスポート');
  });

  it('no context_dropped when everything fitted', () => {
    const metrics = report(result({ passages: 0, history: 0 })).sent.find((m) => m.type === 'turn.metrics');
    expect(metrics).toBeDefined();
    expect(metrics && 'context_dropped' in metrics).toBe(false);
  });
});
