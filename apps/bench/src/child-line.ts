import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Starts `node --import tsx <script>` and resolves with the JSON after `<marker> ` on its stdout. */
export async function spawnAndWait<T>(script: string, marker: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ child: ChildProcess; value: T }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const rl = createInterface({ input: child.stdout! });
  const line = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${script} did not start within ${timeoutMs} ms`)), timeoutMs);
    rl.on('line', (l) => {
      if (l.startsWith(`${marker} `)) {
        clearTimeout(t);
        resolve(l.slice(marker.length + 1));
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
  });
  return { child, value: JSON.parse(line) as T };
}
