/**
 * Latency as the user hears it, in real Chromium: the fake microphone loops a WAV of real speech
 * ("go forward ten meters", pocketsphinx-testdata) whose speech end is known from its
 * construction; the page talks to the latency benchmark's server (stand-ins with the benchmark's
 * latencies, a small ingested document). Over several turns it reports user stop -> first audible
 * sample and the page's share (the turn's first TTS packet received -> audible), p50/p95, as one
 * `HEARD_LATENCY {...}` line and a JSON file. No timed assertions: only that the turns happened
 * and the figures are sane.
 *
 * The user stop: a tap on the microphone (an AudioWorklet of this test, beside the page's capture)
 * finds each loop's speech onset on the page's capture clock; the file says how long after its
 * onset the speech ends. First audible: the page's playback worklet's context time of the turn's
 * first sample, mapped through the context's output timestamp (output latency included).
 * Run: npx vitest run --config apps/web/e2e/vitest.config.ts apps/web/e2e/heard-latency.e2e.test.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { FirstChunkTiming } from '../src/audio-out/player.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../src/metrics/stats.ts';
import { buildIfStale, CHROMIUM_FLAGS, recordConsole, stopServer } from './e2e-support.ts';
import { findOnsets, makeLoopWav, matchTurns, micTapScript, startBenchServer, TAP_BLOCK, type BenchServer, type LoopWav, type PageTurn } from './heard-latency-support.ts';

const TOKEN = 'e2e-token';
/** Measured turns, after one warm-up turn (as the benchmark's --warmup 1). */
const TURNS = Number(process.env['E2E_HEARD_TURNS'] ?? 6);
const WARMUP = 1;
/** 1 s of silence, the 2.8 s utterance, then silence: long enough for the spoken answer to end before the next loop. */
const LEAD_MS = 1000;
const PERIOD_MS = 10_000;
const OUT = process.env['E2E_HEARD_OUT'] ?? join(tmpdir(), 'e2e-heard-latency.json');
const LOG = join(tmpdir(), 'e2e-heard-latency-console.log');
const SCREENSHOT = join(tmpdir(), 'e2e-heard-latency.png');

interface PageData {
  turns: PageTurn[];
  finals: string[];
  tap: { times: number[]; rms: number[]; error: string | null };
  audio: { sampleRate: number; baseLatency: number; outputLatency: number } | null;
  underruns: { quanta: number; drySpells: number; startDrySpells: number; dryLog: unknown[] };
  firstChunks: FirstChunkTiming[];
}

async function readPage(page: Page): Promise<PageData> {
  return page.evaluate(() => {
    const tap = (window as unknown as { __micTap: { times: number[]; rms: number[]; error: string | null; ctx: AudioContext | null } }).__micTap;
    const ctx = tap.ctx;
    return {
      turns: JSON.parse(JSON.stringify(window.__clientMetrics?.turns ?? [])) as PageTurn[],
      finals: [...document.querySelectorAll('[data-testid="user-text"]')].map((e) => e.textContent ?? ''),
      tap: { times: tap.times, rms: tap.rms, error: tap.error },
      audio: ctx ? { sampleRate: ctx.sampleRate, baseLatency: ctx.baseLatency, outputLatency: ctx.outputLatency } : null,
      underruns: { quanta: window.__playbackDebug?.underruns ?? -1, drySpells: window.__playbackDebug?.drySpells ?? -1, startDrySpells: window.__playbackDebug?.startDrySpells ?? -1, dryLog: window.__playbackDebug?.dryLog ?? [] },
      firstChunks: window.__playbackDebug?.firstChunks ?? [],
    };
  });
}

const round = (v: number) => Math.round(v * 10) / 10;

describe('latency as heard in Chromium (looping fake microphone, benchmark latencies)', { timeout: 300_000 }, () => {
  let work: string;
  let server: BenchServer | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let wav: LoopWav;
  const consoleLines: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'va-e2e-heard-'));
    await buildIfStale();
    wav = await makeLoopWav(work, LEAD_MS, PERIOD_MS);
    server = await startBenchServer({ ...process.env, APP_TOKEN: TOKEN });
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1360, height: 860 },
      // no %noloop: the file plays again and again, one utterance per period
      args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav.path}`, ...CHROMIUM_FLAGS],
    });
    page = context.pages()[0] ?? (await context.newPage());
    recordConsole(page, consoleLines);
    await page.addInitScript(micTapScript, TAP_BLOCK);
  }, 300_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    stopServer(server?.child);
    writeFileSync(LOG, `${consoleLines.join('\n')}\n--- server ---\n${server?.log() ?? ''}`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(`reports user stop -> first audible sample over ${TURNS} voice turns`, async () => {
    await page.goto(server!.url);
    await page.waitForSelector('[data-testid="connection-badge"][data-status="ready"]', { timeout: 20_000 });
    await page.click('[data-testid="mic-button"]');
    await page.waitForSelector('[data-testid="mic-button"][aria-pressed="true"]', { timeout: 10_000 });
    const wanted = TURNS + WARMUP;
    // every turn heard, and its turn.metrics in (it comes when the answer has been played out)
    await page.waitForFunction(
      (n) => (window.__clientMetrics?.turns ?? []).filter((t) => t.source === 'voice' && t.marks.firstAudioMs !== null && t.server !== null).length >= n,
      wanted,
      { timeout: (wanted + 3) * PERIOD_MS, polling: 250 },
    );
    await page.click('[data-testid="mic-button"]');
    const data = await readPage(page);
    // the last turn's waterfall with its tooltip (each step's figure), for a look
    await page.locator('[data-testid="waterfall"]').last().hover();
    await page.waitForTimeout(600);
    await page.screenshot({ path: SCREENSHOT });

    expect(data.tap.error).toBeNull();
    const onsets = findOnsets(data.tap.times, data.tap.rms);
    const heard = matchTurns(data.turns, onsets, wav);
    const measured = heard.slice(WARMUP);
    const stop = summarize(measured.map((t) => t.stopToAudibleMs));
    const share = summarize(measured.map((t) => t.clientShareMs));
    const vadOffsets = measured.map((t) => t.vadEndOffsetMs);
    const pageTotals = measured.map((t) => t.pageTotalMs).filter((v): v is number => v !== null);
    const stage = (k: string) => summarize(measured.map((t) => t.server?.[k]).filter((v): v is number => typeof v === 'number'));
    const periods = onsets.slice(1).map((o, i) => o - onsets[i]!);
    // the page's share, step by step: each measured turn's first chunk
    const firsts = measured.map((t) => data.firstChunks.find((c) => c.turnId === t.turnId)).filter((c): c is FirstChunkTiming => c !== undefined);
    const steps = (['handoffMs', 'jitterMs', 'decodeMs', 'renderMs', 'outputMs'] as const).map((k) => [k.replace(/Ms$/, '_ms'), summarize(firsts.map((c) => c[k]))]);
    const report = {
      turns: measured.length,
      warmup: WARMUP,
      stop_to_audible_ms: stop,
      client_share_ms: share,
      client_share_steps: Object.fromEntries(steps),
      page_waterfall_total_ms: summarize(pageTotals),
      vad_end_offset_ms: { ...summarize(vadOffsets), min: round(Math.min(...vadOffsets)), max: round(Math.max(...vadOffsets)) },
      server_stages_ms: Object.fromEntries(['endpoint_ms', 'stt_final_ms', 'retrieval_ms', 'llm_first_token_ms', 'tts_first_audio_ms', 'end_to_end_ms'].map((k) => [k, stage(k)])),
      per_turn: measured.map((t) => ({ stop_to_audible: round(t.stopToAudibleMs), client_share: round(t.clientShareMs), vad_end_offset: round(t.vadEndOffsetMs), page_total: t.pageTotalMs })),
      warmup_turns: heard.slice(0, WARMUP).map((t) => ({ stop_to_audible: round(t.stopToAudibleMs), client_share: round(t.clientShareMs) })),
      loop_period_ms: { file: round(wav.periodMs), measured: periods.map(round) },
      audio: data.audio,
      underruns: data.underruns,
      latencies: server!.latencies,
    };
    const line = JSON.stringify(report);
    console.log(`HEARD_LATENCY ${line}`);
    writeFileSync(OUT, `${line}\n`);

    // the turns happened: each utterance recognised, answered and heard
    expect(data.finals.filter((f) => /forward/i.test(f)).length).toBeGreaterThanOrEqual(wanted);
    expect(measured.length).toBeGreaterThanOrEqual(TURNS);
    // the tap saw the loop: the onsets of the heard turns one period (or a whole number of them)
    // apart (not a later loop's, which the mic switched off mid-onset may cut)
    const usedOnsets = onsets.filter((o) => heard.some((t) => Math.abs(t.userStopMs - (o + wav.speechEndMs - wav.onsetMs)) < 1));
    expect(usedOnsets.length).toBe(heard.length);
    for (const [i, o] of usedOnsets.slice(1).entries()) {
      const p = o - usedOnsets[i]!;
      expect(Math.abs(p - Math.round(p / wav.periodMs) * wav.periodMs)).toBeLessThan(100);
    }
    for (const t of measured) {
      const m = t.marks;
      // ordering: the user stopped, the server's end of turn came, the final, the first packet, then audible
      expect(t.userStopMs).toBeLessThan(m.endOfTurnMs!);
      expect(m.endOfTurnMs!).toBeLessThanOrEqual(m.finalMs!);
      expect(m.finalMs!).toBeLessThanOrEqual(m.firstPacketMs!);
      expect(m.firstPacketMs!).toBeLessThanOrEqual(m.firstAudioMs!);
      expect(Number.isFinite(t.stopToAudibleMs) && t.stopToAudibleMs > 0).toBe(true);
      expect(Number.isFinite(t.clientShareMs) && t.clientShareMs >= 0).toBe(true);
      // the page found the speech end on its capture clock (not an estimate), near the true end:
      // the VAD's end differs from the energy end by tens of ms, a broken mapping by seconds
      expect(data.turns.find((p) => p.turnId === t.turnId)?.start).toBe('capture');
      expect(Math.abs(t.vadEndOffsetMs)).toBeLessThan(400);
      expect(t.pageTotalMs).not.toBeNull();
    }
    // the page shows each measured turn's waterfall, started where the user stopped
    expect(await page.locator('[data-testid="waterfall"][data-start="capture"]').count()).toBeGreaterThanOrEqual(measured.length);
    for (const s of [stop, share]) {
      expect(s.p50).not.toBeNull();
      expect(s.p95!).toBeGreaterThanOrEqual(s.p50!);
    }
  });
});
