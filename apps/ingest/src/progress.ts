import type { Progress } from '@va/rag';

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** "1m05s" from seconds. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * Progress for the ingest CLI (stderr): a redrawn bar with an ETA on a TTY, plain lines every 10%
 * otherwise. Byte phases show MB; the ETA is the remaining share at the rate so far.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = () => performance.now()): Progress {
  const tty = stream.isTTY === true;
  let label = '';
  let total = 0;
  let done = 0;
  let unit: 'items' | 'bytes' = 'items';
  let started = 0;
  let lastPlainPct = -1;
  let drawn = false;

  const line = (): string => {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const elapsed = (now() - started) / 1000;
    const eta = done > 0 ? formatEta((elapsed * (total - done)) / done) : '--';
    const amount = unit === 'bytes' ? `${mb(done)}/${mb(total)}` : `${done}/${total}`;
    const filled = Math.round(frac * 30);
    return `${label.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(30 - filled)}] ${amount} ${Math.floor(frac * 100)}% ETA ${eta}`;
  };
  const draw = (): void => {
    stream.write(`\r\x1b[2K${line()}`);
    drawn = true;
  };
  const clear = (): void => {
    if (tty && drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };

  return {
    phase(l, t, u = 'items') {
      if (tty && drawn) stream.write('\n');
      drawn = false;
      [label, total, unit, done, started, lastPlainPct] = [l, t, u, 0, now(), 0];
      if (tty) draw();
      else stream.write(`${line()}\n`);
    },
    advance(n = 1) {
      done += n;
      if (tty) return draw();
      const pct = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (pct > lastPlainPct || done === total) {
        lastPlainPct = pct;
        stream.write(`${line()}\n`);
      }
    },
    note(text) {
      clear();
      stream.write(`${text}\n`);
      if (tty && total > 0) draw();
    },
    end() {
      if (tty && drawn) stream.write('\n');
      drawn = false;
    },
  };
}
