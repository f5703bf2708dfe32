/**
 * `npm run doctor [-- --json] [--samples N] [--timeout-ms MS] [--save-latencies FILE]`
 * Checks the configured model servers (same env, `.env` and providers file as the app) with one
 * small real request per capability, prints a table and a predicted time to first audio, and
 * exits 1 when a provider is broken (2 when the configuration cannot be read).
 */
import { writeFileSync } from 'node:fs';
import { loadProviderSettings } from '@va/providers';
import { runDoctor } from './doctor.ts';
import { formatReport, jsonLine } from './report.ts';

const argv = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};

async function main(): Promise<number> {
  let settings;
  try {
    settings = loadProviderSettings(process.cwd());
  } catch (err) {
    console.error(`doctor: ${(err as Error).message}`);
    return 2;
  }
  console.log(`doctor: providers from ${settings.path}`);
  const report = await runDoctor({
    providers: settings.providers,
    env: settings.env,
    samples: Number(arg('samples') ?? 3),
    timeoutMs: Number(arg('timeout-ms') ?? 30_000),
  });
  console.log(formatReport(report));
  const save = arg('save-latencies');
  if (save && report.predicted_first_audio_ms) {
    writeFileSync(save, JSON.stringify(report.predicted_first_audio_ms.bench_latencies, null, 2) + '\n');
    console.log(`doctor: provider latencies for the benchmark's ideal written to ${save}`);
  }
  if (argv.includes('--json')) console.log(jsonLine(report));
  return Object.values(report.providers).every((r) => r.ok) ? 0 : 1;
}

process.exitCode = await main();
