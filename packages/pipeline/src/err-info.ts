/** The loggable part of an error: name, code and a bounded message (never user text). */
export function errInfo(error: unknown): { name: string; code?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message.slice(0, 300), ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'unknown', message: String(error).slice(0, 300) };
}

/** Milliseconds rounded to `digits` decimals, as reported in turn metrics. */
export function roundMs(ms: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(ms * f) / f;
}
