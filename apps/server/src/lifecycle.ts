import type { Server } from 'node:http';
import { StartupError } from './startup-error.ts';

/** Things to undo, undone last-first (a failed start undoes what it had done). */
export class Cleanups {
  private readonly steps: Array<() => Promise<void> | void> = [];

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await Promise.resolve().then(step).catch(() => undefined);
  }
}

/** Listens, or fails with a StartupError that says which address is taken and what to do. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE') {
        reject(new StartupError(`port ${port} on ${host} is already in use`, `stop the program holding it, or start with another PORT (e.g. PORT=${port + 1}; PORT=0 picks a free one)`));
      } else if (error.code === 'EACCES') {
        reject(new StartupError(`no permission to listen on port ${port} on ${host}`, 'use a port above 1023 (PORT=3000)'));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new StartupError(`cannot listen on ${host}: no such address on this machine`, 'set HOST to 127.0.0.1, 0.0.0.0 or an address of this machine'));
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
/** Like Promise.all, but waits for every promise (each registers its own cleanup) before throwing the first failure. */
export async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
