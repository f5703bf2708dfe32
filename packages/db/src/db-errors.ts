/**
 * Whether a failed write should be retried indefinitely (the database is unreachable, restarting,
 * overloaded, or a transaction lost a race) or is a problem with the record itself.
 * Unknown errors count as transient: retrying never loses data, dropping would.
 */
export function isPermanentDbError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  // SQLSTATE classes: 22 data exception, 23 integrity violation, 42 syntax/access rule, 2B/2D/P0 etc.
  const cls = code.slice(0, 2);
  return cls === '22' || cls === '23' || cls === '42' || cls === 'P0';
}

export function errorSummary(err: unknown): { err: string; code?: string } {
  const e = err as { message?: unknown; code?: unknown } | null;
  const out: { err: string; code?: string } = { err: typeof e?.message === 'string' ? e.message : String(err) };
  if (typeof e?.code === 'string') out.code = e.code;
  return out;
}
