-- Conversation log: one row per session, one row per turn.
-- Writes are upserts keyed on the primary keys, so a retried write never duplicates a row.

CREATE TABLE IF NOT EXISTS sessions (
  session_id  text PRIMARY KEY,
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS turns (
  session_id          text NOT NULL REFERENCES sessions (session_id) ON DELETE CASCADE,
  turn_id             text NOT NULL,
  mode                text NOT NULL CHECK (mode IN ('voice', 'text')),
  user_text           text NOT NULL,
  -- What the user actually heard when interrupted, otherwise the whole answer.
  assistant_text      text NOT NULL,
  interrupted         boolean NOT NULL DEFAULT false,
  started_at          timestamptz NOT NULL,
  ended_at            timestamptz NOT NULL,
  stt_final_ms        integer,
  retrieval_ms        integer,
  llm_first_token_ms  integer,
  tts_first_audio_ms  integer,
  end_to_end_ms       integer,
  sources             jsonb NOT NULL DEFAULT '[]'::jsonb,
  fallback            text CHECK (fallback IS NULL OR fallback IN ('llm', 'tts')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, turn_id)
);

CREATE INDEX IF NOT EXISTS turns_started_at_idx ON turns (started_at);
