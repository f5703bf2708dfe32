import { expect } from 'vitest';
import { ProviderError } from '@va/pipeline';
import type { ProviderErrorCode } from '@va/pipeline';
import type { Fault, FaultTarget } from '../scripted-server.ts';

/** What a contract suite needs from a server: a URL and fault injection (scripted fixture or @va/standins). */
export interface ContractServer {
  url: string;
  setFault(f: Fault | null): void;
  close(): Promise<void>;
}
export type { Fault, FaultTarget };

export async function expectProviderError(
  p: Promise<unknown>,
  code: ProviderErrorCode | ProviderErrorCode[],
  extra: { retryable?: boolean; status?: number; provider?: string } = {},
): Promise<ProviderError> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a ProviderError').toBeInstanceOf(ProviderError);
  const e = caught as ProviderError;
  expect(Array.isArray(code) ? code : [code], `got ${e.code}: ${e.message}`).toContain(e.code);
  if (extra.retryable !== undefined) expect(e.retryable).toBe(extra.retryable);
  if (extra.status !== undefined) expect(e.status).toBe(extra.status);
  if (extra.provider !== undefined) expect(e.provider).toBe(extra.provider);
  return e;
}

/** Drains an async iterable (so errors surface as a rejected promise). */
export async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A 16 kHz mono test tone (speech-free; for servers that only need valid audio). */
export function tone(seconds: number, hz = 440): Int16Array {
  const n = Math.round(seconds * 16000);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 16000));
  return pcm;
}

/**
 * After the server stops listening, pooled keep-alive sockets it dropped can fail first with a reset
 * (`unavailable`, also retryable); once the pool is drained every call must be `connection_refused`.
 */
export async function expectRefusedSoon(call: () => Promise<unknown>, attempts = 6): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const e = await expectProviderError(call(), ['connection_refused', 'unavailable'], { retryable: true });
    if (e.code === 'connection_refused') return;
  }
  throw new Error(`no connection_refused after ${attempts} attempts`);
}

/** Runs `fn` with `fault` injected, clearing it afterwards whatever happens. */
export async function withFault<T>(server: ContractServer, fault: Fault, fn: () => Promise<T>): Promise<T> {
  server.setFault(fault);
  try {
    return await fn();
  } finally {
    server.setFault(null);
  }
}

/**
 * The shared refusal case: healthy, then with the server not listening every call ends in
 * `connection_refused` and health says so, then healthy again once it listens.
 */
export async function expectRefusalCycle(
  server: ContractServer,
  provider: { health(): Promise<{ ok: boolean; detail?: string | undefined }> },
  call: () => Promise<unknown>,
): Promise<void> {
  expect((await provider.health()).ok).toBe(true);
  server.setFault({ kind: 'refuse' });
  await new Promise((r) => setTimeout(r, 50)); // let pooled keep-alive sockets see the close
  try {
    await expectRefusedSoon(call);
    expect(await provider.health()).toMatchObject({ ok: false, detail: 'connection_refused' });
  } finally {
    server.setFault(null);
  }
  await new Promise((r) => setTimeout(r, 100));
  expect((await provider.health()).ok).toBe(true);
}
