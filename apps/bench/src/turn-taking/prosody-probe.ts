import { librivox, speech, type Clip, type Lang } from './clips.ts';
import { endPitch } from './pitch.ts';
import { CONTINUATION_PARTS, COMPLETE_TEXTS } from './scenarios.ts';

/**
 * `npx tsx apps/bench/src/turn-taking/prosody-probe.ts`: the pitch at the end of the benchmark's
 * speech (prosody.ts): the part before each mid-sentence pause (as the benchmark says it: alone,
 * and with a trailing comma, which makes espeak-ng use its continuation tune), the complete
 * utterances and the LibriVox clips. Whether intonation separates "more is coming" from "done".
 */
async function probe(): Promise<void> {
  const rows: string[] = [];
  const show = (tag: string, c: Clip) => rows.push(`${tag.padEnd(14)} ${endPitch(c).padEnd(52)} ${c.text}`);
  for (const lang of ['ja', 'en'] as Lang[]) {
    for (const t of CONTINUATION_PARTS[lang]) show(`${lang}-pause`, await speech(lang, t));
    for (const t of CONTINUATION_PARTS[lang]) show(`${lang}-pause,`, await speech(lang, `${t}${lang === 'ja' ? '、' : ','}`));
    for (const t of COMPLETE_TEXTS[lang]) show(`${lang}-complete`, await speech(lang, t));
  }
  for (const c of librivox()) show('en-librivox', c);
  process.stdout.write(`${rows.join('\n')}\n`);
}

await probe();
