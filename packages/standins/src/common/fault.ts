import { z } from 'zod';

/**
 * A fault the stand-in injects into its "work" routes (transcription, synthesis, chat, embeddings).
 * Health and control routes are unaffected unless `scope: 'all'` is given. `times` limits how many
 * requests are affected; after that the fault clears itself.
 */
export type Fault =
  | { kind: 'status'; status: number; times?: number; scope?: FaultScope }
  | { kind: 'hang'; times?: number; scope?: FaultScope }
  | { kind: 'cut'; times?: number; scope?: FaultScope }
  | { kind: 'slow'; extraMs: number; times?: number; scope?: FaultScope }
  | { kind: 'refuse'; forMs?: number };
export type FaultScope = 'work' | 'all';

const scope = z.enum(['work', 'all']).optional();
const times = z.number().int().positive().optional();
export const faultSchema = z.union([
  z.object({ kind: z.literal('status'), status: z.number().int().min(100).max(599), times, scope }),
  z.object({ kind: z.literal('hang'), times, scope }),
  z.object({ kind: z.literal('cut'), times, scope }),
  z.object({ kind: z.literal('slow'), extraMs: z.number().min(0), times, scope }),
  z.object({ kind: z.literal('refuse'), forMs: z.number().positive().optional() }),
]);

/** Parses the JSON body of `POST /__standin/fault` (a fault object, or null/`{}`/`{"kind":"none"}` to clear). */
export function parseFault(value: unknown): Fault | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && (Object.keys(value).length === 0 || (value as { kind?: unknown }).kind === 'none')) {
    return null;
  }
  return faultSchema.parse(value) as Fault;
}

/** Holds the current fault and hands it out request by request, counting down `times`. */
export class FaultState {
  #fault: Fault | null = null;
  #left = Infinity;
  injected = 0;

  set(f: Fault | null): void {
    this.#fault = f;
    this.#left = f && 'times' in f && f.times !== undefined ? f.times : Infinity;
  }

  get current(): Fault | null {
    return this.#fault;
  }

  /** The fault to apply to a request on a route of the given kind, consuming one use. */
  take(isWork: boolean): Exclude<Fault, { kind: 'refuse' }> | null {
    const f = this.#fault;
    if (!f || f.kind === 'refuse') return null;
    if (!isWork && f.scope !== 'all') return null;
    this.#left--;
    if (this.#left <= 0) this.#fault = null;
    this.injected++;
    return f;
  }
}
