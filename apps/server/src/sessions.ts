import { VoiceSession, type SessionDeps, type Logger } from '@va/pipeline';
import type { Connection } from './ws/connection.ts';

interface Entry {
  session: VoiceSession;
  connection: Connection | null;
  expiry: NodeJS.Timeout | null;
}

/**
 * Sessions by id. A session outlives its socket for `resumeGraceMs` so a reconnect resumes it
 * (history kept); a second socket for the same id takes it over and the first is closed.
 */
export class SessionRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly makeDeps: (sessionId: string) => SessionDeps,
    private readonly logger: Logger,
    private readonly opts: { resumeGraceMs: number; maxSessions: number },
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get connected(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.connection) n++;
    return n;
  }

  private create(sessionId: string): Entry {
    if (this.entries.size >= this.opts.maxSessions) this.evictOldestDetached();
    const session = new VoiceSession(this.makeDeps(sessionId));
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

  claim(sessionId: string, connection: Connection): VoiceSession {
    const entry = this.entries.get(sessionId) ?? this.create(sessionId);
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
    entry.expiry = setTimeout(() => this.remove(sessionId), this.opts.resumeGraceMs);
    entry.expiry.unref();
  }

  /** For the text-chat API: the session for this id, without a socket. */
  forText(sessionId: string): VoiceSession {
    const entry = this.entries.get(sessionId) ?? this.create(sessionId);
    if (!entry.connection && !entry.expiry) {
      entry.expiry = setTimeout(() => this.remove(sessionId), this.opts.resumeGraceMs);
      entry.expiry.unref();
    }
    return entry.session;
  }

  private evictOldestDetached(): void {
    for (const [id, e] of this.entries) {
      if (!e.connection) {
        this.remove(id);
        return;
      }
    }
  }

  remove(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    if (entry.expiry) clearTimeout(entry.expiry);
    this.entries.delete(sessionId);
    entry.session.close();
  }

  closeAll(): void {
    for (const [id, e] of this.entries) {
      e.connection?.sendEvent({ type: 'session.end', reason: 'shutdown' });
      e.connection?.close(1001, 'shutdown');
      this.remove(id);
    }
  }
}
