import type { TurnRecord } from '@va/pipeline';
import type { SqlQueryable } from './sql-client.ts';

/** PostgreSQL rejects NUL in text; strip it rather than poison the write queue. */
const clean = (s: string): string => s.replaceAll('\u0000', '');
const ms = (v: number | undefined): number | null =>
  v === undefined || !Number.isFinite(v) ? null : Math.max(0, Math.round(v));

export async function upsertSessionStart(q: SqlQueryable, sessionId: string, startedAt: Date): Promise<void> {
  await q.query(
    `INSERT INTO sessions (session_id, started_at) VALUES ($1, $2)
     ON CONFLICT (session_id) DO UPDATE
       SET started_at = LEAST(sessions.started_at, EXCLUDED.started_at), updated_at = now()`,
    [clean(sessionId), startedAt],
  );
}

export async function upsertSessionEnd(q: SqlQueryable, sessionId: string, endedAt: Date): Promise<void> {
  await q.query(
    `INSERT INTO sessions (session_id, started_at, ended_at) VALUES ($1, $2, $2)
     ON CONFLICT (session_id) DO UPDATE SET ended_at = EXCLUDED.ended_at, updated_at = now()`,
    [clean(sessionId), endedAt],
  );
}

/** Upsert of one turn; also creates the session row if its start was never recorded. */
export async function upsertTurn(q: SqlQueryable, t: TurnRecord): Promise<void> {
  await upsertSessionStart(q, t.sessionId, t.startedAt);
  const sources = t.sources.map((s) => ({
    documentId: s.documentId,
    chunkId: s.chunkId,
    source: clean(s.source),
    score: s.score,
  }));
  await q.query(
    `INSERT INTO turns (session_id, turn_id, mode, user_text, assistant_text, interrupted,
        started_at, ended_at, stt_final_ms, retrieval_ms, llm_first_token_ms, tts_first_audio_ms,
        end_to_end_ms, sources, fallback)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15)
     ON CONFLICT (session_id, turn_id) DO UPDATE SET
       mode = EXCLUDED.mode, user_text = EXCLUDED.user_text, assistant_text = EXCLUDED.assistant_text,
       interrupted = EXCLUDED.interrupted, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,
       stt_final_ms = EXCLUDED.stt_final_ms, retrieval_ms = EXCLUDED.retrieval_ms,
       llm_first_token_ms = EXCLUDED.llm_first_token_ms, tts_first_audio_ms = EXCLUDED.tts_first_audio_ms,
       end_to_end_ms = EXCLUDED.end_to_end_ms, sources = EXCLUDED.sources, fallback = EXCLUDED.fallback,
       updated_at = now()`,
    [
      clean(t.sessionId),
      clean(t.turnId),
      t.mode,
      clean(t.userText),
      clean(t.assistantText),
      t.interrupted,
      t.startedAt,
      t.endedAt,
      ms(t.latencies.sttFinalMs),
      ms(t.latencies.retrievalMs),
      ms(t.latencies.llmFirstTokenMs),
      ms(t.latencies.ttsFirstAudioMs),
      ms(t.latencies.endToEndMs),
      JSON.stringify(sources),
      t.fallback ?? null,
    ],
  );
}

interface TurnRow {
  session_id: string;
  turn_id: string;
  mode: 'voice' | 'text';
  user_text: string;
  assistant_text: string;
  interrupted: boolean;
  started_at: Date | string;
  ended_at: Date | string;
  stt_final_ms: number | null;
  retrieval_ms: number | null;
  llm_first_token_ms: number | null;
  tts_first_audio_ms: number | null;
  end_to_end_ms: number | null;
  sources: TurnRecord['sources'] | string;
  fallback: 'llm' | 'tts' | null;
}

const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

export async function selectTurns(q: SqlQueryable, sessionId: string): Promise<TurnRecord[]> {
  const res = await q.query<TurnRow>(
    'SELECT * FROM turns WHERE session_id = $1 ORDER BY started_at, turn_id',
    [sessionId],
  );
  return res.rows.map((r) => {
    const latencies: TurnRecord['latencies'] = {};
    if (r.stt_final_ms !== null) latencies.sttFinalMs = r.stt_final_ms;
    if (r.retrieval_ms !== null) latencies.retrievalMs = r.retrieval_ms;
    if (r.llm_first_token_ms !== null) latencies.llmFirstTokenMs = r.llm_first_token_ms;
    if (r.tts_first_audio_ms !== null) latencies.ttsFirstAudioMs = r.tts_first_audio_ms;
    if (r.end_to_end_ms !== null) latencies.endToEndMs = r.end_to_end_ms;
    const turn: TurnRecord = {
      sessionId: r.session_id,
      turnId: r.turn_id,
      mode: r.mode,
      userText: r.user_text,
      assistantText: r.assistant_text,
      interrupted: r.interrupted,
      startedAt: toDate(r.started_at),
      endedAt: toDate(r.ended_at),
      latencies,
      sources: typeof r.sources === 'string' ? (JSON.parse(r.sources) as TurnRecord['sources']) : r.sources,
    };
    if (r.fallback !== null) turn.fallback = r.fallback;
    return turn;
  });
}
