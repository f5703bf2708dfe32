import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddingStandin, type EmbeddingStandin } from '@va/standins';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('ingest CLI', () => {
  let standin: EmbeddingStandin;
  let base: string;
  let src: string;

  beforeAll(async () => {
    standin = await startEmbeddingStandin();
    base = await mkdtemp(join(tmpdir(), 'va-ingest-cli-'));
    src = join(base, 'docs');
    await writeFile(join(base, 'secret.md'), 'The outside secret is 9999.');
    await mkdir(src);
    await writeFile(join(src, 'guide-ja.md'), '# 案内\n\n社員食堂は平日の十一時半から十四時まで営業しています。');
    await writeFile(join(src, 'library.md'), '# Library\n\nThe city library opens at 9 am on weekdays.');
    await writeFile(join(src, 'broken.pdf'), Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n'));
    await symlink(join(base, 'secret.md'), join(src, 'leak.md'));
  });
  afterAll(async () => {
    await standin?.close();
    await rm(base, { recursive: true, force: true });
  });

  const runCli = (args: string[], env: NodeJS.ProcessEnv) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts'), ...args], { env: { ...process.env, ...env } }).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => e,
    );

  it('prints a summary and exits 2 when files failed or were refused', async () => {
    const { stdout, stderr, code } = await runCli([src], { DATA_DIR: join(base, 'cli-data'), EMBEDDING_BASE_URL: standin.url });
    expect(code).toBe(2);
    expect(stdout).toMatch(/2 added, 0 updated, 0 unchanged, 0 removed, 1 failed, 1 refused/);
    expect(stdout).toContain('FAILED:  broken.pdf');
    expect(stdout).toContain('REFUSED: leak.md');
    expect(stderr).toMatch(/ingesting .* ETA /);
  });

  it('refuses a file over the per-file size cap with a line saying why', async () => {
    const { stdout, code } = await runCli([src], { DATA_DIR: join(base, 'cap-data'), EMBEDDING_BASE_URL: standin.url, INGEST_MAX_FILE_MB: '0.00006' });
    expect(code).toBe(2);
    expect(stdout).toMatch(/REFUSED: guide-ja\.md: 91 bytes is over the per-file limit of 63 bytes \(INGEST_MAX_FILE_MB\)/);
    expect(stdout).not.toContain('REFUSED: library.md'); // 54 bytes: under the cap
  });

  it('refuses bad arguments with the usage line and exit code 1', async () => {
    const { stderr, code } = await runCli([], { DATA_DIR: join(base, 'cli-data') });
    expect(code).toBe(1);
    expect(stderr).toContain('usage: npm run ingest');
  });
});
