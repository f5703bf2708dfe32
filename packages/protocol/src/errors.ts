/**
 * The one catalog of error codes that cross the wire (WebSocket `error` events, close frames and
 * HTTP error bodies). `docs/03_implementation/phase2_websocket.md` lists every code; a test keeps
 * the doc and this table in step.
 */
export interface ErrorSpec {
  /** WebSocket close code when the error ends the connection, otherwise null. */
  readonly close: number | null;
  /** HTTP status when the error answers an HTTP request. */
  readonly http: number;
  /** Whether the client may retry the same thing (after a back-off). */
  readonly retryable: boolean;
  readonly description: string;
}

export const ERROR_CODES = {
  bad_message: { close: null, http: 400, retryable: false, description: 'A text message was not valid JSON or did not match the protocol schema; it was ignored.' },
  message_too_large: { close: 1009, http: 413, retryable: false, description: 'A message exceeded the size limit; the connection is closed.' },
  unsupported_protocol_version: { close: 4000, http: 400, retryable: false, description: 'The hello named a protocol version this server does not speak.' },
  unauthorized: { close: 4001, http: 401, retryable: false, description: 'The app token was missing or wrong.' },
  handshake_timeout: { close: 4002, http: 408, retryable: true, description: 'No valid hello arrived in time after the socket opened.' },
  handshake_required: { close: 4003, http: 400, retryable: false, description: 'A message other than hello arrived before the handshake completed.' },
  session_replaced: { close: 4004, http: 409, retryable: false, description: 'Another connection took over this session id.' },
  origin_not_allowed: { close: null, http: 403, retryable: false, description: 'The Origin header is not in the allow-list; the upgrade is refused.' },
  invalid_session_id: { close: null, http: 400, retryable: false, description: 'The session id in the URL or body is not 1-64 characters of [A-Za-z0-9_-].' },
  server_full: { close: 1013, http: 503, retryable: true, description: 'The server already holds as many sessions as it allows (MAX_SESSIONS); try again later.' },
  idle_timeout: { close: 4008, http: 408, retryable: true, description: 'No speech or text for the idle limit; the session ended.' },
  bad_audio_frame: { close: null, http: 400, retryable: false, description: 'A binary frame had a bad header or size; it was dropped.' },
  audio_decode_failed: { close: null, http: 400, retryable: false, description: 'An Opus packet could not be decoded; it was replaced by silence.' },
  text_too_long: { close: null, http: 413, retryable: false, description: 'The text input is longer than the limit.' },
  busy: { close: null, http: 409, retryable: true, description: 'A turn is already being answered for this session.' },
  stt_failed: { close: null, http: 502, retryable: true, description: 'Speech recognition failed for this utterance.' },
  llm_failed: { close: null, http: 502, retryable: true, description: 'The language model failed; a template apology was given instead.' },
  tts_failed: { close: null, http: 502, retryable: true, description: 'Speech synthesis failed; the text is delivered without voice.' },
  retrieval_failed: { close: null, http: 502, retryable: true, description: 'Document retrieval failed; the answer was given without documents.' },
  client_too_slow: { close: null, http: 503, retryable: true, description: 'The client read too slowly; queued audio was dropped.' },
  not_found: { close: null, http: 404, retryable: false, description: 'No such route.' },
  internal_error: { close: 1011, http: 500, retryable: true, description: 'An unexpected server error.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const errorCodes = Object.keys(ERROR_CODES) as ErrorCode[];

export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_CODES[code];
}
