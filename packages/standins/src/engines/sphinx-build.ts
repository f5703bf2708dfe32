import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const nativeDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native');
export const SPHINX_WORKER_SOURCE = join(nativeDir, 'sphinx-worker.c');
export const SPHINX_WORKER_BINARY = join(nativeDir, 'build', 'sphinx-worker');
export const DEFAULT_SPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

const NEEDED = 'Debian packages gcc, pkg-config, libpocketsphinx-dev, libsphinxbase-dev, pocketsphinx-en-us';

let building: Promise<string> | undefined;

/**
 * Returns the path of the compiled sphinx worker, compiling it with gcc first when the binary is
 * missing or older than its source. Fails with an error naming the Debian packages to install.
 */
export function ensureSphinxWorker(): Promise<string> {
  building ??= build().finally(() => {
    building = undefined;
  });
  return building;
}

async function build(): Promise<string> {
  const src = statSync(SPHINX_WORKER_SOURCE);
  if (existsSync(SPHINX_WORKER_BINARY) && statSync(SPHINX_WORKER_BINARY).mtimeMs >= src.mtimeMs) {
    return SPHINX_WORKER_BINARY;
  }
  let flags: string[];
  try {
    const { stdout } = await run('pkg-config', ['--cflags', '--libs', 'pocketsphinx']);
    flags = stdout.trim().split(/\s+/).filter(Boolean);
  } catch (err) {
    throw new Error(`cannot find pocketsphinx with pkg-config (${short(err)}); install the ${NEEDED}`);
  }
  mkdirSync(dirname(SPHINX_WORKER_BINARY), { recursive: true });
  // Build to a unique temp name, then rename: parallel builders never see a half-written binary.
  const tmp = `${SPHINX_WORKER_BINARY}.${process.pid}.${Date.now()}.tmp`;
  try {
    await run('gcc', ['-O2', '-o', tmp, SPHINX_WORKER_SOURCE, ...flags], { timeout: 120_000 });
  } catch (err) {
    throw new Error(`compiling ${SPHINX_WORKER_SOURCE} failed (${short(err)}); install the ${NEEDED}`);
  }
  renameSync(tmp, SPHINX_WORKER_BINARY);
  return SPHINX_WORKER_BINARY;
}

function short(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr?.trim() || e.message || String(err)).split('\n').slice(0, 3).join(' | ');
}

/** Throws a clear error if the acoustic model is not installed. */
export function checkSphinxModel(dir: string): void {
  for (const f of ['en-us', 'en-us.lm.bin', 'cmudict-en-us.dict']) {
    if (!existsSync(join(dir, f))) throw new Error(`pocketsphinx model file ${join(dir, f)} missing; install the ${NEEDED}`);
  }
}
