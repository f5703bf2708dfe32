import { SileroVadModel } from '@va/pipeline';
import { createStt } from '@va/providers';
import { startWhisperStandin } from '@va/standins';
import { runScenario, type ScenarioOutcome } from './run-scenario.ts';
import { allScenarios } from './scenarios.ts';
import { score, summarize, type ScenarioScore } from './score.ts';

/**
 * `npm run bench -- --turn-taking [--json] [--verbose] [--only ja|en] [--kind pause|complete|backchannel|interrupt|echo|afterthought|thinking] [--id part-of-an-id] [--en-stt pocketsphinx|labels]`
 * Runs every scenario through a real VoiceSession on fake time (see run-scenario.ts) and prints the
 * turn-taking figures overall and per language; with --json the last line is one JSON object.
 * English speech goes through the real pocketsphinx stand-in; `--en-stt labels` is the control run
 * where English, like Japanese, gets the known text (what an accurate recogniser would return).
 */
export async function turnTakingBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const only = valueOf(argv, 'only');
  const kind = valueOf(argv, 'kind');
  const id = valueOf(argv, 'id');
  const verbose = argv.includes('--verbose');
  const enStt = valueOf(argv, 'en-stt') ?? 'pocketsphinx';
  if (enStt !== 'pocketsphinx' && enStt !== 'labels') throw new Error(`--en-stt must be pocketsphinx or labels, not ${enStt}`);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const scenarios = allScenarios().filter((s) => (!only || s.lang === only) && (!kind || s.kind === kind) && (!id || s.id.includes(id)));
  const vadModel = await SileroVadModel.load();
  const whisper = await startWhisperStandin({ port: 0, maxActiveHmms: 3000 });
  const englishStt = createStt({ type: 'whisper-cpp', base_url: whisper.url, options: { language: 'en' } });
  const scores: ScenarioScore[] = [];
  const t0 = performance.now();
  try {
    for (const sc of scenarios) {
      const outcome = await runScenario(sc, { vadModel, englishStt: enStt === 'labels' ? 'labels' : englishStt });
      const s = score(outcome);
      scores.push(s);
      log(describe(s));
      if (verbose) log(`${outcome.pitch ? `    pitch at the first stop: ${outcome.pitch}\n` : ''}    ${transcripts(outcome)}\n    stt: ${requests(outcome)}${outcome.judged.length ? `\n    judged: ${judgements(outcome)}` : ''}`);
    }
  } finally {
    await whisper.close();
  }
  const langs = [...new Set(scores.map((s) => s.lang))];
  const result = {
    scenarios: scores.length,
    languages: langs,
    stt: {
      ja: 'label stand-in (Open JTalk label timing: the known text up to the audio covered)',
      en: enStt === 'labels' ? 'label stand-in (control run: the known text up to the audio covered, word by word)' : 'pocketsphinx stand-in (whisper.cpp API)',
    },
    overall: summarize(scores),
    per_language: Object.fromEntries(langs.map((l) => [l, summarize(scores.filter((s) => s.lang === l))])),
  };
  log(`\n${scores.length} scenarios in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  for (const [name, sum] of [['overall', result.overall], ...Object.entries(result.per_language)] as const) {
    log(
      `${String(name).padEnd(8)} false_end ${(sum.false_end_rate * 100).toFixed(1)}% (withdrawn ${(sum.withdrawn_rate * 100).toFixed(1)}%)  afterthought_split ${(sum.afterthought_split_rate * 100).toFixed(1)}%  thinking_split ${(sum.thinking_split_rate * 100).toFixed(1)}%  end_delay p50 ${sum.end_delay_ms.p50} / p95 ${sum.end_delay_ms.p95} ms  ` +
        `backchannel_interrupt ${(sum.backchannel_interrupt_rate * 100).toFixed(1)}%  echo_interrupt ${(sum.echo_interrupt_rate * 100).toFixed(1)}%  ` +
        `interruption_miss ${(sum.interruption_miss_rate * 100).toFixed(1)}%  reaction p50 ${sum.interruption_reaction_ms.p50} / p95 ${sum.interruption_reaction_ms.p95} ms  ` +
        `duck p50 ${sum.duck_ms.p50} / p95 ${sum.duck_ms.p95} ms  echo_duck ${(sum.echo_duck_rate * 100).toFixed(1)}%  stt_requests ${sum.stt_requests.total} ${JSON.stringify(sum.stt_requests.per_scenario)}`,
    );
  }
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
}

function describe(s: ScenarioScore): string {
  const bits = [s.id.padEnd(28)];
  if (s.falseEnd !== null) bits.push(s.falseEnd ? 'FALSE-END' : s.withdrawn ? 'one turn (answer withdrawn)' : 'one turn');
  if (s.endDelayMs !== null) bits.push(`end_delay=${s.endDelayMs}ms`);
  if (s.interrupted !== null) bits.push(s.interrupted ? 'interrupted' : 'not interrupted');
  if (s.reactionMs !== null) bits.push(`reaction=${s.reactionMs}ms`);
  if (s.duckMs !== null) bits.push(`duck=${s.duckMs}ms`);
  if (s.echoDucked) bits.push('echo-ducked');
  bits.push(`stt=${s.sttRequests}`);
  return bits.join(' ');
}

/** What the session said it heard, and when (--verbose). */
function transcripts(o: ScenarioOutcome): string {
  const shown = new Set(['transcript.partial', 'transcript.final', 'playback.clear', 'playback.duck', 'avatar_event', 'vad']);
  return o.events
    .filter((e) => shown.has(e.m.type))
    .map((e) => `${e.at}:${e.m.type.replace('transcript.', '')}${'text' in e.m ? `(${e.m.text})` : 'event' in e.m && typeof e.m.event === 'string' ? `(${e.m.event})` : 'level' in e.m ? `(${e.m.level})` : ''}`)
    .join(' ');
}

/** The STT requests (--verbose): sent at, audio covered -> text. */
function requests(o: ScenarioOutcome): string {
  return o.sttRequests.map((r) => `${r.at}[${r.audioMs}ms]${r.text === null ? '' : `(${r.text})`}`).join(' ');
}

function judgements(o: ScenarioOutcome): string {
  return o.judged.map((j) => `${j.at}:${j.msg}${JSON.stringify(j.fields)}`).join(' ');
}

function valueOf(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
