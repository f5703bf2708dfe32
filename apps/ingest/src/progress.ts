import type { Progress } from '@va/rag';

/** Progress for the ingest CLI: a redrawn bar on a TTY, plain occasional lines otherwise (stderr). */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let label = '';
  let total = 0;
  let done = 0;
  let lastPlainPct = -1;
  let drawn = false;

  const draw = (): void => {
    const width = 30;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(frac * width);
    stream.write(`\r\x1b[2K${label.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
    drawn = true;
  };
  const clear = (): void => {
    if (tty && drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };

  return {
    phase(l, t) {
      if (tty && drawn) stream.write('\n');
      drawn = false;
      label = l;
      total = t;
      done = 0;
      lastPlainPct = 0;
      if (tty) draw();
      else stream.write(`${label}: 0/${total}\n`);
    },
    advance(n = 1) {
      done += n;
      if (tty) return draw();
      const pct = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (pct > lastPlainPct || done === total) {
        lastPlainPct = pct;
        stream.write(`${label}: ${done}/${total}\n`);
      }
    },
    note(line) {
      clear();
      stream.write(`${line}\n`);
      if (tty && total > 0) draw();
    },
    end() {
      if (tty && drawn) stream.write('\n');
      drawn = false;
    },
  };
}
