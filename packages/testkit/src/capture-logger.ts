import type { Logger } from '@va/pipeline';

export interface CapturedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg?: string | undefined;
}

/** A Logger that records lines in memory. */
export function captureLogger(lines: CapturedLine[] = [], bindings: object = {}): Logger & { lines: CapturedLine[] } {
  const at =
    (level: CapturedLine['level']) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj: { ...bindings, ...obj }, msg });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (b) => captureLogger(lines, { ...bindings, ...b }),
  };
}

