import { VoiceSession, type SessionDeps, type Logger } from '@va/pipeline';
import type { SessionLanguage } from '@va/protocol';
import type { Connection } from './ws/connection.ts';

interface Entry {
  session: VoiceSession;
  connection: Connection | null;
  expiry: NodeJS.Timeout | null;
}

export interface SessionRegistryOptions {
  resumeGraceMs: number;
  /** Sessions held at once; a new one beyond it replaces the oldest without a socket, or is refused. */
  maxSessions: number;
}

/**
 * Sessions by id. A session outlives its socket for `resumeGraceMs` so a reconnect resumes it
 * (history kept); a second socket for the same id takes it over and the first is closed.
 * `maxSessions` is a hard cap: `claim`/`forText` return null when it is reached and every
 * session has a socket (the caller refuses with `server_full`).
 */
export class SessionRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly makeDeps: (sessionId: string, language: SessionLanguage) => SessionDeps,
    private readonly logger: Logger,
    private readonly opts: SessionRegistryOptions,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get connected(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.connection) n++;
    return n;
  }

  private create(sessionId: string, language: SessionLanguage): Entry | null {
    if (this.entries.size >= this.opts.maxSessions && !this.evictOldestDetached()) {
      this.logger.warn({ session_id: sessionId, max_sessions: this.opts.maxSessions }, 'session refused: server full');
      return null;
    }
    const session = new VoiceSession(this.makeDeps(sessionId, language));
    const entry: Entry = { session, connection: null, expiry: null };
    session.onIdleTimeout = () => {
      this.logger.info({ session_id: sessionId }, 'session idle timeout');
      if (entry.connection) {
        entry.connection.sendEvent({ type: 'session.end', reason: 'idle_timeout' });
        entry.connection.fail('idle_timeout', 'No speech for the idle limit; the session ended.');
      }
      this.remove(sessionId);
    };
    this.entries.set(sessionId, entry);
    return entry;
  }

  /** The session for this socket (created on first use; taken over from another socket), or null when full. */
  claim(sessionId: string, connection: Connection, language: SessionLanguage): VoiceSession | null {
    const entry = this.entries.get(sessionId) ?? this.create(sessionId, language);
    if (!entry) return null;
    if (entry.session.language !== language) entry.session.setLanguage(language); // the page switched language
    if (entry.expiry) clearTimeout(entry.expiry);
    entry.expiry = null;
    const previous = entry.connection;
    entry.connection = connection;
    if (previous && previous !== connection) {
      previous.sendEvent({ type: 'session.end', reason: 'replaced' });
      previous.fail('session_replaced', 'Another connection took over this session.');
    }
    return entry.session;
  }

  release(sessionId: string, connection: Connection): void {
    const entry = this.entries.get(sessionId);
    if (!entry || entry.connection !== connection) return;
    entry.connection = null;
    this.expireLater(sessionId, entry);
  }

  /** For the text-chat API: the session for this id, without a socket; null when full. */
  forText(sessionId: string, language: SessionLanguage): VoiceSession | null {
    const entry = this.entries.get(sessionId) ?? this.create(sessionId, language);
    if (!entry) return null;
    if (!entry.connection && !entry.expiry) this.expireLater(sessionId, entry);
    return entry.session;
  }

  private expireLater(sessionId: string, entry: Entry): void {
    entry.expiry = setTimeout(() => this.remove(sessionId), this.opts.resumeGraceMs);
    entry.expiry.unref();
  }

  private evictOldestDetached(): boolean {
    for (const [id, e] of this.entries) {
      if (!e.connection) {
        this.remove(id);
        return true;
      }
    }
    return false;
  }

  remove(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    if (entry.expiry) clearTimeout(entry.expiry);
    this.entries.delete(sessionId);
    entry.session.close();
  }

  /**
   * Shutdown: every socket gets `session.end {reason: "shutdown"}` and close 1001 at once.
   * Resolves when the sockets have closed (or were cut after `graceMs`).
   */
  async closeAll(graceMs = 1000): Promise<void> {
    const closing: Array<Promise<void>> = [];
    for (const [id, e] of this.entries) {
      if (e.connection) closing.push(e.connection.shutdown(graceMs));
      this.remove(id);
    }
    await Promise.all(closing);
  }
}
