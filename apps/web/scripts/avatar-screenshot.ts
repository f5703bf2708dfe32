/**
 * Renders the avatar preview in headless Debian Chromium, checks that the mouth follows a speech-like
 * signal and rests after it stops, and saves screenshots.
 *   npx tsx apps/web/scripts/avatar-screenshot.ts [out.png]   (default /tmp/avatar.png; also writes *-rest.png)
 * Set AVATAR_EXPRESSIONS=1 to also save one screenshot per expression (/tmp/avatar-<name>.png).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const out = process.argv[2] ?? '/tmp/avatar.png';
const restOut = out.replace(/\.png$/, '-rest.png');
const configFile = fileURLToPath(new URL('../vite.avatar-preview.config.ts', import.meta.url));

const server = await createServer({ configFile, logLevel: 'warn' });
await server.listen();
const url = 'http://127.0.0.1:5199/avatar-preview.html';
const userDataDir = mkdtempSync(join(tmpdir(), 'avatar-chromium-'));
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  args: flags,
  viewport: { width: 720, height: 720 },
});
let failed = false;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('[page]', m.text());
  });
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) console.error('[http]', r.status(), r.url());
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__avatarDebug?.loaded === true, undefined, { timeout: 30_000 });
  await page.waitForTimeout(1000);
  const fps = await page.evaluate(() => window.__avatarDebug?.fps ?? 0);

  await page.evaluate(() => window.__preview?.speak());
  let maxOpen = 0;
  let shot = false;
  for (let i = 0; i < 60; i++) {
    await page.waitForTimeout(50);
    const open = await page.evaluate(() => window.__avatarDebug?.mouthOpen ?? 0);
    maxOpen = Math.max(maxOpen, open);
    if (!shot && open > 0.55 && i > 10) {
      await page.screenshot({ path: out });
      shot = true;
    }
  }
  if (!shot) await page.screenshot({ path: out });
  const mouth = await page.evaluate(() => window.__avatarDebug?.mouth);
  await page.evaluate(() => window.__preview?.stop());
  // headless frames can be slow right after a screenshot: allow up to 3 s for the release to finish
  await page.waitForFunction(() => (window.__avatarDebug?.mouthOpen ?? 1) < 0.05, undefined, { timeout: 3000, polling: 100 }).catch(() => undefined);
  if (process.env['AVATAR_DEBUG']) console.log(await page.evaluate(() => JSON.stringify(window.__avatarDebug)));
  const rest = await page.evaluate(() => window.__avatarDebug?.mouthOpen ?? 1);
  await page.screenshot({ path: restOut });

  if (process.env['AVATAR_EXPRESSIONS']) {
    for (const name of ['happy', 'sad', 'angry', 'surprised', 'relaxed']) {
      await page.evaluate((n) => window.__preview?.controller()?.setExpression(n, 1, null), name);
      await page.waitForTimeout(500);
      await page.screenshot({ path: out.replace(/\.png$/, `-${name}.png`) });
    }
    await page.evaluate(() => window.__preview?.controller()?.setExpression('neutral', 1, null));
  }

  console.log(
    JSON.stringify({ fps, maxOpen: +maxOpen.toFixed(3), rest: +rest.toFixed(3), lastMouth: mouth, out, restOut }),
  );
  if (!(maxOpen > 0.2)) {
    console.error(`FAIL: mouth never opened (max ${maxOpen})`);
    failed = true;
  }
  if (!(rest < 0.05)) {
    console.error(`FAIL: mouth did not rest after the signal stopped (${rest})`);
    failed = true;
  }
} finally {
  await context.close();
  await server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
