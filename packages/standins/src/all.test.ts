import { describe, expect, it } from 'vitest';
import { startAllStandins } from './all.ts';

describe('startAllStandins', () => {
  it('starts every stand-in on its own port, each answering its health route, and closes them', async () => {
    const all = await startAllStandins({});
    const urls = [
      `${all.llm!.url}/v1/health/ready`,
      `${all.stt!.url}/health`,
      `${all.tts!.url}/v1/health`,
      `${all.embedding!.url}/health`,
      `${all.audio!.url}/health`,
    ];
    expect(new Set(urls.map((u) => new URL(u).port)).size).toBe(5);
    for (const u of urls) expect((await fetch(u)).status).toBe(200);
    await all.close();
    await expect(fetch(urls[0]!)).rejects.toThrow();
  });
});
