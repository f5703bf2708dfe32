/**
 * Scores lip sync against speech whose phoneme timing is known (Open JTalk labels): the page's
 * path (AnalyserNode -> computeVowelWeights -> smoothWeights at the display rate) is replayed on
 * the samples, and each frame is compared with the phoneme being heard at that moment.
 */
import { AnalyserModel } from './analyser-model.ts';
import { computeVowelWeights, createSpeakerWarp, LIP_SYNC_SMOOTHING, mouthOpenness, smoothWeights, VOWELS, ZERO_WEIGHTS, type Vowel, type VowelWeights } from './lip-sync.ts';

export interface TimedPhoneme {
  phoneme: string;
  /** seconds */
  start: number;
  end: number;
}

export type Expected = Vowel | 'closed';

const VOWEL_OF: Readonly<Record<string, Vowel>> = { a: 'aa', i: 'ih', u: 'ou', e: 'ee', o: 'oh' };
/** Silence, pauses, ん and the bilabials (lips together): the mouth should be closed. */
const CLOSED = new Set(['sil', 'pau', 'N', 'm', 'my', 'b', 'by', 'p', 'py']);

/** What the mouth should show for an Open JTalk phoneme; undefined = not scored (consonants, devoiced vowels). */
export function expectedShape(phoneme: string): Expected | undefined {
  return VOWEL_OF[phoneme] ?? (CLOSED.has(phoneme) ? 'closed' : undefined);
}

export interface LipSyncScore {
  /** correct frames / scored frames */
  agreement: number;
  frames: number;
  vowelFrames: number;
  vowelCorrect: number;
  closedFrames: number;
  closedCorrect: number;
  /** per expected shape: how often each shown shape appeared ('closed' = mouth shut) */
  confusion: Record<Expected, Record<Expected, number>>;
}

export interface LipSyncEvalOptions {
  /** display frame rate of the avatar loop */
  fps?: number;
  fftSize?: number;
  smoothingTimeConstant?: number;
  /** a mouth at most this open counts as closed */
  closedMax?: number;
}

function shown(w: VowelWeights, closedMax: number): Expected {
  if (mouthOpenness(w) <= closedMax) return 'closed';
  return [...VOWELS].sort((a, b) => w[b] - w[a])[0] ?? 'aa';
}

function emptyConfusion(): Record<Expected, Record<Expected, number>> {
  const keys: Expected[] = [...VOWELS, 'closed'];
  const row = (): Record<Expected, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<Expected, number>;
  return Object.fromEntries(keys.map((k) => [k, row()])) as Record<Expected, Record<Expected, number>>;
}

/** Replays the page's lip sync over `samples` at `fps` and scores each frame against `labels`. */
export function scoreLipSync(
  samples: Float32Array,
  sampleRate: number,
  labels: readonly TimedPhoneme[],
  opts: LipSyncEvalOptions = {},
): LipSyncScore {
  const fps = opts.fps ?? 60;
  const closedMax = opts.closedMax ?? 0.15;
  const analyser = new AnalyserModel(samples, { fftSize: opts.fftSize ?? 2048, smoothingTimeConstant: opts.smoothingTimeConstant ?? 0.5 });
  const confusion = emptyConfusion();
  const score = { frames: 0, vowelFrames: 0, vowelCorrect: 0, closedFrames: 0, closedCorrect: 0 };
  let weights: VowelWeights = { ...ZERO_WEIGHTS };
  const speaker = createSpeakerWarp();
  let li = 0;
  const duration = samples.length / sampleRate;
  for (let f = 1; f / fps <= duration; f++) {
    const t = f / fps;
    const frame = analyser.frameAt(Math.round(t * sampleRate));
    const target = computeVowelWeights({ freqData: frame.bytes, timeData: frame.time, sampleRate, fftSize: analyser.fftSize }, {}, speaker);
    weights = smoothWeights(weights, target, 1 / fps, LIP_SYNC_SMOOTHING);
    while (li < labels.length && labels[li]!.end <= t) li++;
    const label = labels[li];
    const want = label && label.start <= t ? expectedShape(label.phoneme) : undefined;
    if (!want) continue;
    const got = shown(weights, closedMax);
    confusion[want][got]++;
    score.frames++;
    if (want === 'closed') {
      score.closedFrames++;
      if (got === 'closed') score.closedCorrect++;
    } else {
      score.vowelFrames++;
      if (got === want) score.vowelCorrect++;
    }
  }
  const agreement = score.frames ? (score.vowelCorrect + score.closedCorrect) / score.frames : 0;
  return { agreement, ...score, confusion };
}
