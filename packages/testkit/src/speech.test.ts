import { describe, expect, it } from 'vitest';
import { SPHINX_TESTDATA, goForward, hasSpeechFixtures, sphinxWav } from './speech.ts';

describe('speech fixtures', () => {
  it('skip quietly when missing, but fail the run under CI=true', () => {
    expect(hasSpeechFixtures({}, '/nonexistent')).toBe(false);
    expect(() => hasSpeechFixtures({ CI: 'true' }, '/nonexistent')).toThrow(/speech fixtures missing: \/nonexistent\/goforward\.raw.*pocketsphinx-testdata/);
  });

  it('loads real speech: goforward.raw and a WAV of the test data', () => {
    expect(hasSpeechFixtures({ CI: 'true' }, SPHINX_TESTDATA)).toBe(true);
    const clip = goForward();
    expect(clip.pcm.length / 16_000).toBeCloseTo(2.79, 1);
    expect(sphinxWav('cards/001.wav')).toMatchObject({ sampleRate: 16_000 });
  });
});
