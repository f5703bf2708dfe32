/** Bumped on any incompatible change to messages or the binary frame layout. */
export const PROTOCOL_VERSION = 1;

/** Audio the browser sends: Opus, 48 kHz mono, 20 ms packets, about 32 kbps. */
export const MIC_AUDIO = { codec: 'opus', sampleRate: 48_000, channels: 1, frameMs: 20 } as const;
/** Audio the server sends: Opus, 48 kHz mono, 40 ms packets. */
export const TTS_AUDIO = { codec: 'opus', sampleRate: 48_000, channels: 1, frameMs: 40 } as const;

/** The hello must arrive within this time after the socket opens. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;
/** A session ends after this long without user speech or text. */
export const IDLE_TIMEOUT_MS = 60_000;
/** Longest text accepted in `text.input` and the text-chat API. */
export const MAX_TEXT_CHARS = 4_000;
/** Largest JSON text message accepted, in bytes. */
export const MAX_JSON_BYTES = 16 * 1024;
/** Largest binary frame accepted (header + one Opus packet), in bytes. */
export const MAX_AUDIO_FRAME_BYTES = 4 * 1024;
