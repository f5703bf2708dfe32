/**
 * End to end in real Chromium: fake microphone (a WAV of real speech) -> the web app -> the real
 * server with its embedded stand-in models -> transcript, answer, audible TTS, moving mouth.
 * Run: npx vitest run --root /work/main apps/web/e2e   (see README.md here)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale, CHROMIUM_FLAGS, freePort, recordConsole, repoRoot, stopServer, waitForHealth } from './e2e-support.ts';

const TOKEN = 'e2e-token';
const SCREENSHOT = '/tmp/e2e-voice.png';
/** Override the server entry (e.g. a stub) with E2E_SERVER_ENTRY; default the real server. */
const serverEntry = process.env['E2E_SERVER_ENTRY'] ?? 'apps/server/src/main.ts';

/** goforward.raw (16 kHz s16le mono, "go forward ten meters") padded 1 s / 3 s, as a 44.1 kHz WAV. */
function makeSpeechWav(dir: string): string {
  const files = execFileSync('dpkg', ['-L', 'pocketsphinx-testdata'], { encoding: 'utf8' }).split('\n');
  const raw = files.find((f) => f.endsWith('/goforward.raw'));
  if (!raw) throw new Error('pocketsphinx-testdata has no goforward.raw (apt-get install pocketsphinx-testdata)');
  const wav = join(dir, 'goforward-44k.wav');
  execFileSync('sox', ['-t', 'raw', '-r', '16000', '-e', 'signed', '-b', '16', '-c', '1', raw, '-r', '44100', '-c', '1', wav, 'pad', '1', '3']);
  return wav;
}

/** Records, inside the page, what the test must see even if it is on screen only briefly. */
const pageProbe = () => {
  const w = window as unknown as Record<string, unknown>;
  const seen = { partials: [] as string[], maxMouthWhilePlaying: 0, maxPeak: 0 };
  w['__e2e'] = seen;
  const tick = () => {
    const el = document.querySelector('[data-testid="partial-transcript"]');
    const text = el?.textContent?.trim();
    if (text && seen.partials.at(-1) !== text) seen.partials.push(text);
    const pb = w['__playbackDebug'] as { playing: boolean; level: number } | undefined;
    const av = w['__avatarDebug'] as { mouthOpen: number } | undefined;
    if (pb?.playing && av) seen.maxMouthWhilePlaying = Math.max(seen.maxMouthWhilePlaying, av.mouthOpen);
    if (pb) seen.maxPeak = Math.max(seen.maxPeak, pb.level);
  };
  setInterval(tick, 20);
};

describe('voice conversation in Chromium', { timeout: 150_000 }, () => {
  let work: string;
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base: string;
  let serverLog = '';
  const consoleLines: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'va-e2e-'));
    await buildIfStale();
    const wav = makeSpeechWav(work);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn('npx', ['tsx', serverEntry], {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(port), APP_TOKEN: TOKEN, STANDIN_LLM_PORT: '0', STANDIN_STT_PORT: '0', STANDIN_TTS_PORT: '0', STANDIN_EMBEDDING_PORT: '0', DATA_DIR: join(work, 'data'), LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
    await waitForHealth(base, server, () => serverLog, 120_000);

    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1360, height: 860 },
      args: [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${wav}%noloop`,
        ...CHROMIUM_FLAGS,
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    recordConsole(page, consoleLines);
    await page.addInitScript(pageProbe);
  }, 240_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    stopServer(server);
    writeFileSync('/tmp/e2e-voice-console.log', `${consoleLines.join('\n')}\n--- server ---\n${serverLog}`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('speaks, hears, answers aloud with a moving mouth, and takes typed text too', async () => {
    await page.goto(base);
    await page.waitForSelector('[data-testid="connection-badge"][data-status="ready"]', { timeout: 20_000 });

    // --- voice turn ---
    await page.click('[data-testid="mic-button"]');
    await page.waitForSelector('[data-testid="mic-button"][aria-pressed="true"]', { timeout: 10_000 });
    await page.waitForFunction(() => ((window as unknown as { __e2e: { partials: string[] } }).__e2e.partials.length > 0), undefined, { timeout: 20_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="user-text"]')].some((e) => /forward/i.test(e.textContent ?? '')), undefined, { timeout: 30_000 });
    await page.waitForFunction(() => (document.querySelector('[data-testid="assistant-text"]')?.textContent ?? '').trim().length > 0, undefined, { timeout: 30_000 });
    await page.waitForFunction(() => (window.__playbackDebug?.playedSegments ?? 0) > 0 && (window.__playbackDebug?.peak ?? 0) > 0.02, undefined, { timeout: 30_000 });
    // Let the answer play out, then the mouth must close.
    await page.waitForFunction(() => window.__playbackDebug?.playing === false && document.querySelector('[data-testid="stop-button"]') === null, undefined, { timeout: 60_000, polling: 100 });
    await page.waitForTimeout(600);
    const voice = await page.evaluate(() => ({
      e2e: (window as unknown as { __e2e: { partials: string[]; maxMouthWhilePlaying: number; maxPeak: number } }).__e2e,
      mouthAfter: window.__avatarDebug?.mouthOpen ?? -1,
      playback: window.__playbackDebug,
      finals: [...document.querySelectorAll('[data-testid="user-text"]')].map((e) => e.textContent),
    }));
    console.log('E2E voice', JSON.stringify(voice));
    expect(voice.e2e.partials.length).toBeGreaterThan(0);
    expect(voice.finals.join(' ')).toMatch(/forward/i);
    expect(voice.playback?.peak ?? 0).toBeGreaterThan(0.02);
    expect(voice.e2e.maxMouthWhilePlaying).toBeGreaterThan(0.1);
    // -1 = no avatar debug at all: that fails too
    expect(voice.mouthAfter).toBeGreaterThanOrEqual(0);
    expect(voice.mouthAfter).toBeLessThan(0.05);
    await page.click('[data-testid="mic-button"]');

    // --- typed turn ---
    const turnsBefore = await page.locator('[data-testid="turn"]').count();
    await page.fill('[data-testid="text-input"]', 'What can you tell me about the documents?');
    await page.press('[data-testid="text-input"]', 'Enter');
    const segmentsBefore = await page.evaluate(() => window.__playbackDebug?.playedSegments ?? 0);
    await page.waitForFunction(
      (n) => {
        const turns = document.querySelectorAll('[data-testid="turn"]');
        const last = turns[turns.length - 1];
        return (
          turns.length > n &&
          last?.getAttribute('data-done') === 'true' &&
          /documents/.test(last.querySelector('[data-testid="user-text"]')?.textContent ?? '') &&
          (last.querySelector('[data-testid="assistant-text"]')?.textContent ?? '').trim().length > 0
        );
      },
      turnsBefore,
      { timeout: 30_000 },
    );
    // The typed answer is spoken too; wait until it has been heard to the end.
    await page.waitForFunction((n) => (window.__playbackDebug?.playedSegments ?? 0) > n, segmentsBefore, { timeout: 30_000 });
    await page.waitForFunction(() => window.__playbackDebug?.playing === false && document.querySelector('[data-testid="stop-button"]') === null, undefined, { timeout: 60_000, polling: 100 });

    await page.click('[data-testid="diag-switch"]');
    await page.waitForTimeout(1200);
    await page.screenshot({ path: SCREENSHOT });

    const metrics = await page.evaluate(() => ({ summary: window.__clientMetricsSummary?.(), turns: window.__clientMetrics?.turns, underruns: window.__playbackDebug?.underruns }));
    console.log(`CLIENT_METRICS ${JSON.stringify(metrics)}`);
    expect(metrics.summary?.captureToSendMs.count ?? 0).toBeGreaterThan(10);
    expect(metrics.summary?.receiveToAudibleMs.count ?? 0).toBeGreaterThan(0);
  });
});
