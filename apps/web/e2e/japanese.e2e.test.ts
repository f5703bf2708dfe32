/**
 * Japanese end to end in real Chromium with a Japanese locale (ja-JP, no CJK system font on this
 * machine): the page comes up in Japanese with its own webfont, tells the session its language,
 * says when voice input in Japanese needs a real STT server, and a typed Japanese question about a
 * Japanese document gets a Japanese answer with its source, spoken, with a moving mouth.
 * Run: npx vitest run --config apps/web/e2e/vitest.config.ts apps/web/e2e/japanese.e2e.test.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale, CHROMIUM_FLAGS, execFileAsync, freePort, recordConsole, repoRoot, stopServer, waitForHealth } from './e2e-support.ts';

const TOKEN = 'e2e-token';
const SCREENSHOT = '/tmp/e2e-japanese.png';
const serverEntry = process.env['E2E_SERVER_ENTRY'] ?? 'apps/server/src/main.ts';
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

const GARDEN_MD = `# 四季の庭 利用案内

## 入園料

大人の入園料は800円です。中学生以下は無料です。

## 年間パスポート

年間パスポートは3,000円で、一年間何度でも入園できます。

## 開園時間

毎朝9時に開園し、夕方5時に閉園します。月曜日は休園日です。
`;

/** Records, inside the page, what the test must see even if it is on screen only briefly. */
const pageProbe = () => {
  const w = window as unknown as Record<string, unknown>;
  const seen = { maxMouthWhilePlaying: 0, maxPeak: 0, mouthSamples: [] as number[] };
  w['__e2e'] = seen;
  setInterval(() => {
    const pb = w['__playbackDebug'] as { playing: boolean; level: number } | undefined;
    const av = w['__avatarDebug'] as { mouthOpen: number } | undefined;
    if (pb?.playing && av) {
      seen.maxMouthWhilePlaying = Math.max(seen.maxMouthWhilePlaying, av.mouthOpen);
      seen.mouthSamples.push(Math.round(av.mouthOpen * 100) / 100);
    }
    if (pb) seen.maxPeak = Math.max(seen.maxPeak, pb.level);
  }, 20);
};

interface Probe {
  maxMouthWhilePlaying: number;
  maxPeak: number;
  mouthSamples: number[];
}

describe('Japanese in Chromium (ja-JP locale)', { timeout: 170_000 }, () => {
  let work: string;
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let base: string;
  let serverLog = '';
  let ingestLog = '';
  const consoleLines: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'va-e2e-ja-'));
    await buildIfStale();
    const [port, embeddingPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      PORT: String(port),
      APP_TOKEN: TOKEN,
      STANDIN_LLM_PORT: '0',
      STANDIN_STT_PORT: '0',
      STANDIN_TTS_PORT: '0',
      STANDIN_EMBEDDING_PORT: String(embeddingPort),
      EMBEDDING_BASE_URL: `http://127.0.0.1:${embeddingPort}`,
      DATA_DIR: join(work, 'data'),
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
    };
    server = spawn('npx', ['tsx', serverEntry], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
    await waitForHealth(base, server, () => serverLog, 120_000);

    // A Japanese document, ingested with the server's own (stand-in) embedder.
    const docs = join(work, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'garden.md'), GARDEN_MD);
    ingestLog = (await execFileAsync('npx', ['tsx', 'apps/ingest/src/main.ts', docs], { cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 })).stdout;
    for (let i = 0; i < 60; i++) {
      const ready = (await (await fetch(`${base}/ready`)).json()) as { index?: { loaded?: boolean } };
      if (ready.index?.loaded) break;
      await new Promise((r) => setTimeout(r, 250));
    }

    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      locale: 'ja-JP',
      viewport: { width: 1360, height: 860 },
      args: [...CHROMIUM_FLAGS, '--lang=ja'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    recordConsole(page, consoleLines);
    await page.addInitScript(pageProbe);
  }, 240_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    stopServer(server);
    writeFileSync('/tmp/e2e-japanese-console.log', `${consoleLines.join('\n')}\n--- ingest ---\n${ingestLog}\n--- server ---\n${serverLog}`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('comes up in Japanese with its own font and a ja/en switch, in a Japanese session', async () => {
    await page.goto(base);
    await page.waitForSelector('[data-testid="connection-badge"][data-status="ready"]', { timeout: 20_000 });
    const ui = await page.evaluate(async () => {
      await document.fonts.ready;
      const noto = [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'Noto Sans JP');
      return {
        htmlLang: document.documentElement.lang,
        title: document.title,
        sessionLanguage: document.querySelector('[data-session-language]')?.getAttribute('data-session-language'),
        switchPressed: document.querySelector('[data-testid="lang-ja"]')?.getAttribute('aria-pressed'),
        placeholder: document.querySelector('[data-testid="text-input"]')?.getAttribute('placeholder'),
        fontLoaded: noto.some((f) => f.status === 'loaded'),
      };
    });
    console.log('E2E_JA_UI', JSON.stringify(ui));
    expect(ui.htmlLang).toBe('ja');
    expect(ui.title).toBe('ボイスアバター');
    expect(ui.switchPressed).toBe('true');
    expect(ui.placeholder).toMatch(JAPANESE);
    // the webfont shipped with the app drew the Japanese text (no CJK font on this machine)
    expect(ui.fontLoaded).toBe(true);
    // hello.language went out as ja and the server took it (ready.language)
    expect(ui.sessionLanguage).toBe('ja');
  });

  it('says that Japanese voice input needs a real STT server and offers typing', async () => {
    const notice = page.locator('[data-testid="voice-input-unavailable"]');
    await notice.waitFor({ timeout: 5_000 });
    expect(await notice.textContent()).toMatch(/whisper\.cpp/);
    await page.click('[data-testid="type-instead"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('text-input');
  });

  it('refuses a file that is not a .vrm or .glb, saying so in Japanese', async () => {
    await page.setInputFiles('[data-testid="avatar-file-input"]', { name: 'メモ.txt', mimeType: 'text/plain', buffer: Buffer.from('not an avatar') });
    const alert = page.locator('[data-testid="avatar-drop-zone"] [role="alert"]');
    await alert.waitFor({ timeout: 5_000 });
    expect(await alert.textContent()).toBe('.vrm または .glb ファイルを選んでください。');
  });

  it('answers a typed Japanese question about a Japanese document in Japanese, with its source, aloud, with a moving mouth', async () => {
    await page.fill('[data-testid="text-input"]', '年間パスポートはいくらですか？');
    await page.press('[data-testid="text-input"]', 'Enter');
    await page.waitForFunction(
      () => {
        const last = [...document.querySelectorAll('[data-testid="turn"]')].at(-1);
        return last?.getAttribute('data-done') === 'true' && (last.querySelector('[data-testid="assistant-text"]')?.textContent ?? '').trim().length > 0;
      },
      undefined,
      { timeout: 40_000 },
    );
    await page.waitForFunction(() => (window.__playbackDebug?.playedSegments ?? 0) > 0, undefined, { timeout: 30_000 });
    await page.waitForFunction(() => window.__playbackDebug?.playing === false && document.querySelector('[data-testid="stop-button"]') === null, undefined, { timeout: 60_000, polling: 100 });
    await page.waitForTimeout(600);
    const result = await page.evaluate(() => {
      const last = [...document.querySelectorAll('[data-testid="turn"]')].at(-1);
      return {
        user: last?.querySelector('[data-testid="user-text"]')?.textContent ?? '',
        answer: last?.querySelector('[data-testid="assistant-text"]')?.textContent ?? '',
        sources: last?.textContent ?? '',
        probe: (window as unknown as { __e2e: Probe }).__e2e,
        peak: window.__playbackDebug?.peak ?? 0,
        mouthAfter: window.__avatarDebug?.mouthOpen ?? -1,
      };
    });
    await page.screenshot({ path: SCREENSHOT });
    console.log('E2E_JA_TURN', JSON.stringify({ ...result, probe: { ...result.probe, mouthSamples: result.probe.mouthSamples.slice(0, 80) } }));
    expect(result.user).toContain('年間パスポート');
    expect(result.answer).toMatch(JAPANESE);
    expect(result.answer).toMatch(/3,000\s*円|三千円/);
    expect(result.sources).toContain('garden.md');
    expect(result.peak).toBeGreaterThan(0.02);
    expect(result.probe.maxMouthWhilePlaying).toBeGreaterThan(0.1);
    // the mouth moves (opens and closes while speaking), and rests afterwards
    const samples = result.probe.mouthSamples;
    expect(samples.filter((m) => m < 0.05).length).toBeGreaterThan(0);
    expect(samples.filter((m) => m > 0.2).length).toBeGreaterThan(0);
    expect(result.mouthAfter).toBeGreaterThanOrEqual(0);
    expect(result.mouthAfter).toBeLessThan(0.05);
  });

  it('switches to English and back: UI, html lang and the session language follow', async () => {
    await page.click('[data-testid="lang-en"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en' && document.title === 'Voice Avatar', undefined, { timeout: 5_000 });
    await page.waitForSelector('[data-session-language="en"]', { timeout: 20_000 });
    expect(await page.locator('[data-testid="voice-input-unavailable"]').count()).toBe(0);
    await page.click('[data-testid="lang-ja"]');
    await page.waitForSelector('[data-session-language="ja"]', { timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
  });
});
