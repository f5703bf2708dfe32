/**
 * `npm run standins [-- --only ROLE]`: the stand-in model servers, configured by env (see
 * env-config.ts). All of them on local ports, or with `--only llm|stt|tts|embedding|audio` one of
 * them on the real server's port (one per container in the compose `mock` profile).
 */
import { startAllStandins } from './all.ts';
import { STANDIN_ROLES, standinsConfigFromEnv, type StandinRole } from './env-config.ts';

const log = (obj: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...obj })}\n`);

function onlyRole(argv: string[]): StandinRole | undefined {
  const i = argv.indexOf('--only');
  if (i < 0) return undefined;
  const role = argv[i + 1] as StandinRole | undefined;
  if (!role || !STANDIN_ROLES.includes(role)) throw new Error(`--only needs one of ${STANDIN_ROLES.join(', ')}`);
  return role;
}

async function main(): Promise<void> {
  const only = onlyRole(process.argv.slice(2));
  const all = await startAllStandins(standinsConfigFromEnv(process.env, only));
  for (const [role, s] of Object.entries({ llm: all.llm, stt: all.stt, tts: all.tts, embedding: all.embedding, audio: all.audio })) {
    if (s) log({ level: 'info', msg: 'standin started', role, url: s.url, port: s.port, is_mock: true });
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: 'standins stopping', signal });
    const force = setTimeout(() => process.exit(1), 5_000);
    force.unref();
    void all.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  log({ level: 'error', msg: 'standins failed to start', error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
