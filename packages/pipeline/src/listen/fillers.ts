import { foldKana } from '../text/kana.ts';

/**
 * Utterances made only of fillers (えーと, あの, うーん, um, uh, well): the user is thinking, not
 * asking. The session answers nothing and lets the next utterance go on from them.
 */
const JA_FILLERS = ['えーっと', 'えーと', 'えっと', 'えと', 'えー', 'え', 'あのー', 'あの', 'そのー', 'その', 'うーん', 'うー', 'んー', 'ん', 'まあ', 'なんか', 'あー', 'あ'];
const EN_FILLERS = new Set(['um', 'umm', 'uhm', 'uh', 'uhh', 'er', 'erm', 'hmm', 'hm', 'mm', 'well', 'so', 'like', 'ah']);
/** "let me see", "let me think": fillers only as a whole phrase. */
const EN_PHRASES = [['let', 'me', 'see'], ['let', 'me', 'think']];

/** Whether `text` holds words and every one of them is a filler ("え？", "Hmm?" ask to hear it again: not fillers). */
export function isOnlyFillers(text: string): boolean {
  if (/[?？]\s*$/u.test(text)) return false;
  const s = foldKana(text).toLowerCase().replace(/[\s\p{P}\p{S}〜~]+/gu, ' ').trim();
  if (!s) return false;
  if (/[\u3040-\u30ff\u3400-\u9fff]/u.test(s)) return japaneseFillers(s.replace(/ /g, ''));
  return englishFillers(s.split(' '));
}

function japaneseFillers(s: string): boolean {
  let rest = s.replace(/ー+/g, 'ー');
  while (rest) {
    const f = JA_FILLERS.find((w) => rest.startsWith(w));
    if (!f) return false;
    rest = rest.slice(f.length).replace(/^ー+/, '');
  }
  return true;
}

function englishFillers(words: string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const phrase = EN_PHRASES.find((p) => p.every((w, k) => words[i + k] === w));
    if (phrase) {
      i += phrase.length - 1;
      continue;
    }
    if (!EN_FILLERS.has(words[i]!)) return false;
  }
  return true;
}
