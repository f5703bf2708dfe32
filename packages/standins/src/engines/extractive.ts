import type { ChatMessage } from '@va/pipeline';
import { contentTerms, hasCjk } from './text-features.ts';

/**
 * The chat stand-in has no language model. It answers honestly and extractively: it finds the
 * context passages the app put into the prompt and returns the sentence sharing the most content
 * words with the user's last question, in the question's language; headings are never answers.
 */

/** Context passages in the messages: `<<<` ... `>>>` blocks, else everything after a `Context:` line. */
export function extractContext(messages: ChatMessage[]): string[] {
  const blocks: string[] = [];
  const all = messages.filter((m) => m.role !== 'assistant').map((m) => m.content);
  for (const text of all) {
    for (const m of text.matchAll(/<<<([\s\S]*?)>>>/g)) if (m[1]!.trim()) blocks.push(m[1]!.trim());
  }
  if (blocks.length) return blocks;
  for (const text of all) {
    const m = /^[ \t]*(?:context|contexts|passages|documents|参考情報|コンテキスト)\s*[:：][ \t]*\n?([\s\S]*)$/im.exec(text);
    if (m?.[1]?.trim()) {
      // Stop at a following "Question:" line, if any.
      const body = m[1].split(/^[ \t]*(?:question|user question|質問)\s*[:：]/im)[0]!;
      blocks.push(...body.split(/\n\s*\n/).map((s) => s.trim()).filter(Boolean));
    }
  }
  return blocks;
}

/** Words whose trailing period does not end a sentence ("Dr. Okafor", "e.g. roses", "9 a.m. on"). */
const ABBREVIATIONS = new Set(['dr', 'mr', 'mrs', 'ms', 'prof', 'st', 'mt', 'no', 'vs', 'etc', 'jr', 'sr', 'fig', 'approx', 'dept', 'e.g', 'i.e', 'u.s', 'u.k', 'a.m', 'p.m']);

/** Whether the "." at `i` ends a sentence: not in "3.5", not after an abbreviation or a single initial. */
function periodEnds(text: string, i: number): boolean {
  const next = text[i + 1];
  if (next !== undefined && !/\s/.test(next)) return false; // "3.5", "e.g", "U.S"
  const word = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, i - 12), i))?.[1]?.toLowerCase() ?? '';
  if (ABBREVIATIONS.has(word)) {
    // "... 9 a.m. The café" still ends: a capitalised word follows a time abbreviation.
    return (word === 'a.m' || word === 'p.m' || word === 'etc') && /^\s+\p{Lu}/u.test(text.slice(i + 1));
  }
  return !/^\p{Lu}$/u.test(word); // "J. Smith"
}

/** Markdown heading lines, and short lines without sentence punctuation followed by more text (titles). */
function isHeading(line: string, next: string | undefined): boolean {
  if (/^\s*#{1,6}\s/.test(line)) return true;
  const t = line.trim();
  return next !== undefined && next.trim() !== '' && t.length > 0 && t.length <= 40 && !/[.!?。！？:：」』)）]$/u.test(t);
}

/** Sentences of a passage: headings dropped, list markers stripped, no cut inside "Dr." or "3.5". */
export function splitIntoSentences(text: string): string[] {
  const lines = text.split('\n');
  const body = lines
    .filter((l, i) => !isHeading(l, lines[i + 1]))
    .map((l) => l.replace(/^\s*(?:\[[^\]]*\]|source\s*:.*|[-*>]+|\d+[.)])\s*/i, ''));
  const out: string[] = [];
  for (const para of body.join('\n').split(/\n/)) {
    let start = 0;
    for (let i = 0; i < para.length; i++) {
      const ch = para[i]!;
      const ends = '。！？!?'.includes(ch) ? !'。！？!?」』）)'.includes(para[i + 1] ?? '') : ch === '.' ? periodEnds(para, i) : false;
      if (ends) {
        out.push(para.slice(start, i + 1));
        start = i + 1;
      }
    }
    out.push(para.slice(start));
  }
  return out.map((s) => s.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));
}

export function lastUserMessage(messages: ChatMessage[]): string {
  return [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
}

/** The question part of the last user message (context blocks removed). */
function question(messages: ChatMessage[]): string {
  const u = lastUserMessage(messages).replace(/<<<[\s\S]*?>>>/g, ' ');
  const q = /^[ \t]*(?:question|user question|質問)\s*[:：]\s*([\s\S]*)$/im.exec(u);
  return (q?.[1] ?? u.split(/^[ \t]*(?:context|passages|documents)\s*[:：]/im)[0]!).trim();
}

/**
 * The sentence sharing the most content words with the question, in the question's language when
 * the context has one that matches (a Japanese question over mixed passages gets the Japanese one).
 */
/** What kind of answer a question asks for, as a pattern the answering sentence contains. */
function answerType(q: string): RegExp | undefined {
  if (/\bwho\b|\bwhose\b|誰|どなた|担当者/i.test(q)) return /\b(?:Dr|Mr|Mrs|Ms|Prof)\.|\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+|さん|氏|先生|博士/u;
  if (/\bhow (?:many|much|old|long)\b|\bwhen\b|\bwhat time\b|いくら|いつ|何[時台点歳人日年回円]|何曜日/i.test(q)) return /\d|[一二三四五六七八九十百千万]|曜日|day\b/iu;
  return undefined;
}

/** Lexicographic: the first differing criterion decides; a full tie keeps the earlier sentence. */
function outranks(a: number[], b: number[]): boolean {
  const i = a.findIndex((x, j) => x !== b[j]);
  return i >= 0 && a[i]! > b[i]!;
}

export function extractiveAnswer(messages: ChatMessage[]): string {
  const q = question(messages);
  const qTerms = new Set(contentTerms(q));
  const ja = hasCjk(q);
  const wanted = answerType(q);
  // Ranked by: in the question's language, holds the kind of answer asked for, then overlap.
  let best: { sentence: string; rank: number[] } | undefined;
  for (const sentence of extractContext(messages).flatMap(splitIntoSentences)) {
    const terms = new Set(contentTerms(sentence));
    let shared = 0;
    for (const t of qTerms) if (terms.has(t)) shared++;
    if (shared === 0) continue;
    // At equal overlap, prefer short, focused sentences.
    const rank = [hasCjk(sentence) === ja ? 1 : 0, wanted?.test(sentence) ? 1 : 0, shared / Math.sqrt(1 + terms.size / 8)];
    if (!best || outranks(rank, best.rank)) best = { sentence, rank };
  }
  return best?.sentence ?? fallback(q);
}

function fallback(q: string): string {
  if (hasCjk(q)) return `これはスタンドインのモデルです。あなたの発言: ${[...q].slice(0, 20).join('')}`;
  const echo = q.split(/\s+/).filter(Boolean).slice(0, 8).join(' ');
  return echo ? `I am the stand-in model. You said: ${echo}` : 'I am the stand-in model.';
}

/** Splits an answer into streaming pieces: words with their leading space, CJK in 2-character groups. */
export function streamPieces(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\s*\S+/g)) {
    const w = m[0];
    if (!hasCjk(w)) {
      out.push(w);
      continue;
    }
    const chars = [...w];
    for (let i = 0; i < chars.length; i += 2) out.push(chars.slice(i, i + 2).join(''));
  }
  return out;
}
