export {
  DEFAULT_EMOTIONS,
  DEFAULT_EMOTION_ALIASES,
  SentenceSplitter,
  displayWidth,
  splitSentences,
  type Segment,
  type SentenceSplitterOptions,
} from './sentence-splitter.ts';
export { editDistance, normalizeForWer, werTokens, wordErrorRate } from './words.ts';
export { foldKana } from './kana.ts';
