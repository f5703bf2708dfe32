import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatStandin, startEmbeddingStandin, startFishSpeechStandin, startWhisperStandin } from '@va/standins';
import type { RunningStandin } from '@va/standins';
import { runDoctor } from './doctor.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let standins: { llm: RunningStandin; stt: RunningStandin; tts: RunningStandin; embedding: RunningStandin };

beforeAll(async () => {
  standins = {
    llm: await startChatStandin({ port: 0, firstTokenMs: 20, perTokenMs: 5 }),
    stt: await startWhisperStandin({ port: 0 }),
    tts: await startFishSpeechStandin({ port: 0 }),
    embedding: await startEmbeddingStandin({ port: 0 }),
  };
});
afterAll(async () => {
  await Promise.all(Object.values(standins).map((s) => s.close()));
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm run doctor -- --json` as the user runs it: env -> .env -> config/providers.yaml. */
function runCli(env: Record<string, string>): Promise<{ code: number | null; lastLine: string; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/doctor/src/main.ts', '--json', '--samples', '1'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, lastLine: out.trim().split('\n').at(-1) ?? '' }));
  });
}

const envFor = (s: typeof standins) => ({
  PROVIDERS_CONFIG: 'config/providers.yaml',
  LLM_BASE_URL: s.llm.url,
  LLM_HEALTH_PATH: '/v1/health/ready',
  STT_TYPE: 'whisper-cpp',
  STT_BASE_URL: s.stt.url,
  TTS_TYPE: 'fish-speech',
  TTS_BASE_URL: s.tts.url,
  EMBEDDING_BASE_URL: s.embedding.url,
});

describe('npm run doctor against the embedded stand-ins', () => {
  it('every provider answers: measurements, language checks and a prediction against the 2 s target', async () => {
    const u = (r: RunningStandin) => r.url;
    const report = await runDoctor({
      providers: {
        llm: { type: 'openai-chat', base_url: u(standins.llm) },
        stt: { type: 'whisper-cpp', base_url: u(standins.stt) },
        tts: { type: 'fish-speech', base_url: u(standins.tts) },
        embedding: { type: 'openai-embeddings', base_url: u(standins.embedding) },
      },
      env: {},
      samples: 2,
    });
    const p = report.providers;
    expect([p.llm.ok, p.stt.ok, p.tts.ok, p.embedding.ok]).toEqual([true, true, true, true]);
    expect(p.llm).toMatchObject({ think_leaked: false, n_ctx: 32768, n_ctx_source: '/v1/models max_model_len' });
    expect(p.llm['tokens_per_s']).toBeGreaterThan(0);
    // the whisper stand-in is pocketsphinx: English is transcribed, Japanese is not honoured
    expect(p.stt['en']).toMatchObject({ language_honoured: true });
    expect(String((p.stt['en'] as { text: string }).text).toLowerCase()).toMatch(/library|open|time/);
    expect(p.stt.warnings.join(' ')).toMatch(/^ja: /);
    expect((p.tts['ja'] as { audio_ms: number }).audio_ms).toBeGreaterThan(300);
    expect((p.tts['en'] as { rtf: number }).rtf).toBeGreaterThan(0);
    expect(p.embedding['dimension']).toBeGreaterThan(0);
    const f = report.predicted_first_audio_ms!;
    expect(f.p95).toBeGreaterThanOrEqual(f.p50);
    expect(f.p50).toBeGreaterThan(f.stages_p95['endpoint_silence']!);
    expect(f.meets_target).toBe(f.p95 <= 2000);
    expect(f.bench_latencies.endpointMs).toBe(480);
    expect(report.connections['llm']!.fresh_ms).not.toBeNull();
  });

  it('the CLI reads the app configuration, exits 0 and ends with the JSON line', async () => {
    const r = await runCli(envFor(standins));
    expect(r.code, r.out).toBe(0);
    const json = JSON.parse(r.lastLine) as { providers: Record<string, { ok: boolean }>; predicted_first_audio_ms: { p50: number } };
    expect(Object.fromEntries(Object.entries(json.providers).map(([k, v]) => [k, v.ok]))).toEqual({ llm: true, stt: true, tts: true, embedding: true });
    expect(json.predicted_first_audio_ms.p50).toBeGreaterThan(0);
    expect(r.out).toMatch(/predicted end of speech -> first audio: p50 \d+ ms, p95 \d+ ms/);
  });

  it('a broken provider makes it exit non-zero, naming that provider', async () => {
    const r = await runCli({ ...envFor(standins), TTS_BASE_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.lastLine) as { providers: Record<string, { ok: boolean; error?: string }>; predicted_first_audio_ms: unknown };
    expect(json.providers['tts']).toMatchObject({ ok: false, error: expect.stringMatching(/^connection_refused/) as unknown });
    expect(json.providers['llm']!.ok).toBe(true);
    expect(json.predicted_first_audio_ms).toBeNull();
    expect(r.out).toMatch(/tts \(fish-speech\)\s+BROKEN/);
  });
});
