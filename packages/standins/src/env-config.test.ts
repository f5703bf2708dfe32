import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standinsConfigFromEnv } from './env-config.ts';

describe('stand-ins configured from the environment', () => {
  it('all of them on local ports, or one on the real server port', () => {
    const all = standinsConfigFromEnv({ STANDIN_STT_LATENCY_MS: '150', STANDIN_TTS_PORT: '9000', STANDIN_STT_MAX_ACTIVE_HMMS: '3000' });
    expect(all.host).toBe('127.0.0.1');
    expect(all.stt).toEqual({ port: 18080, latencyMs: 150, maxActiveHmms: 3000 });
    expect(all.tts).toMatchObject({ port: 9000 });
    expect(all.llm).toMatchObject({ port: 18000 });
    const one = standinsConfigFromEnv({ STANDIN_LLM_FIRST_TOKEN_MS: '200', STANDIN_LLM_MODEL: 'm' }, 'llm');
    expect(one.host).toBe('0.0.0.0');
    expect(one.llm).toEqual({ port: 8000, firstTokenMs: 200, perTokenMs: 0, readyDelayMs: 0, modelId: 'm' });
    expect([one.stt, one.tts, one.embedding, one.audio]).toEqual([false, false, false, false]);
    expect(standinsConfigFromEnv({ STANDIN_PORT: '7000' }, 'embedding').embedding).toMatchObject({ port: 7000, dims: 384 });
  });

  it('names the variable of a malformed number', () => {
    expect(() => standinsConfigFromEnv({ STANDIN_TTS_FIRST_BYTE_MS: 'soon' })).toThrow(/STANDIN_TTS_FIRST_BYTE_MS must be a non-negative number, got "soon"/);
  });

  it('`npm run standins -- --only embedding` serves one stand-in and stops on SIGTERM', async () => {
    const main = resolve(import.meta.dirname, 'main.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--only', 'embedding'], {
      env: { ...process.env, STANDIN_PORT: '0', STANDIN_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    const started = await new Promise<{ role: string; url: string }>((res, rej) => {
      lines.on('line', (l) => {
        const m = JSON.parse(l) as { msg: string; role: string; url: string };
        if (m.msg === 'standin started') res(m);
      });
      child.once('exit', (code) => rej(new Error(`exited ${code}`)));
    });
    expect(started.role).toBe('embedding');
    const r = await fetch(`${started.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input: ['hello'] }) });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { data: Array<{ embedding: number[] }> }).data[0]!.embedding).toHaveLength(384);
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
