import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VoiceClient } from '@va/testkit';
import { spawnServer } from './test/server-process.ts';
import { TEST_TOKEN } from './test/start-app.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'va-proc-'));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

const baseEnv = (port: number, standins: 'off' | 'embedded'): Record<string, string> => ({
  PORT: String(port),
  HOST: '127.0.0.1',
  APP_TOKEN: TEST_TOKEN,
  DATA_DIR: tempDir(),
  STANDINS: standins,
  STANDIN_LLM_PORT: '0',
  STANDIN_STT_PORT: '0',
  STANDIN_TTS_PORT: '0',
  STANDIN_EMBEDDING_PORT: '0',
  LOG_LEVEL: 'info',
});

const importsOf = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('the server as a process', () => {
  it('a production start (STANDINS=off) never loads the stand-ins (pocketsphinx, espeak-ng, Open JTalk code)', async () => {
    const record = join(tempDir(), 'imports.txt');
    const p = spawnServer(baseEnv(0, 'off'), { recordImportsTo: record });
    await p.listening;
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    const imports = importsOf(record);
    // the recorder saw the app's own modules...
    expect(imports.some((u) => u.endsWith('/apps/server/src/app.ts'))).toBe(true);
    expect(imports.some((u) => u.includes('/packages/providers/src/'))).toBe(true);
    // ...and nothing of the stand-ins, not even the launcher of their process
    expect(imports.filter((u) => u.includes('/packages/standins/'))).toEqual([]);
    expect(imports.filter((u) => u.includes('/apps/server/src/standins/'))).toEqual([]);
  }, 120_000);

  it('SIGTERM with a page connected: session.end {reason: shutdown}, close 1001 at once, exit 0; the stand-ins process goes too; a restart on the same port works', async () => {
    const port = await freePort();
    const record = join(tempDir(), 'imports.txt');
    const p = spawnServer(baseEnv(port, 'embedded'), { recordImportsTo: record });
    const url = await p.listening;
    const standinsPid = Number(p.logLines.find((l) => l.msg?.toString().startsWith('embedded stand-in model servers started'))?.pid);
    expect(standinsPid).toBeGreaterThan(0);
    const client = await VoiceClient.connect(url, 'shutdown-1', TEST_TOKEN);

    const sentAt = performance.now();
    p.child.kill('SIGTERM');
    const end = await client.waitFor('session.end', 10_000);
    await client.waitFor('state', 5000, () => client.closeCode !== null).catch(() => undefined);
    const exit = await p.exited;
    expect(end.message.reason).toBe('shutdown');
    expect(client.closeCode).toBe(1001);
    expect(exit.code).toBe(0);
    process.stdout.write(`shutdown: session.end after ${Math.round(end.at - sentAt)} ms, process exit after ${Math.round(exit.at - sentAt)} ms\n`);
    expect(() => process.kill(standinsPid, 0)).toThrow(); // no orphaned stand-ins

    // the app process itself never loaded the stand-ins: they live in the child
    const imports = importsOf(record);
    expect(imports.some((u) => u.endsWith('/apps/server/src/standins/embedded.ts'))).toBe(true);
    expect(imports.filter((u) => u.includes('/packages/standins/'))).toEqual([]);

    const again = spawnServer(baseEnv(port, 'embedded'));
    expect(await again.listening).toBe(`http://127.0.0.1:${port}`);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  }, 240_000);

  it('an embedded stand-in on a fixed port that is taken: one line naming the stand-in, the port and the setting, exit code 1', async () => {
    const held = await holdPort();
    try {
      const p = spawnServer({ ...baseEnv(0, 'embedded'), STANDIN_STT_PORT: String(held.port) });
      const exit = await p.exited;
      expect(exit.code).toBe(1);
      expect(p.stderr.filter((l) => l.startsWith('start-up failed'))).toEqual([
        `start-up failed: the stt stand-in cannot listen: port ${held.port} is already in use: set STANDIN_STT_PORT=0 (a free port is picked) or to another free port`,
      ]);
      expect(p.stderr.some((l) => /^\s+at /.test(l))).toBe(false);
    } finally {
      held.server.close();
    }
  }, 120_000);

  it('a port already in use: one line saying which port and what to do, exit code 1, no stack (before anything else is loaded)', async () => {
    const held = await holdPort();
    try {
      const p = spawnServer(baseEnv(held.port, 'off'));
      const exit = await p.exited;
      expect(exit.code).toBe(1);
      const text = p.stderr.filter((l) => l.trim() !== '');
      expect(text).toEqual([`start-up failed: port ${held.port} on 127.0.0.1 is already in use: stop the program holding it, or start with another PORT (e.g. PORT=${held.port + 1}; PORT=0 picks a free one)`]);
    } finally {
      held.server.close();
    }
  }, 120_000);
});
