import type { ChatMessage } from '@va/pipeline';
import { contentTerms, hasCjk } from './text-features.ts';

/**
 * The chat stand-in has no language model. It answers honestly and extractively: it finds the
 * context passages the app put into the prompt and returns the 1-2 sentences sharing the most
 * content words with the user's last question.
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

export function splitIntoSentences(text: string): string[] {
  const cleaned = text.replace(/^\s*(?:\[[^\]]*\]|source\s*:[^\n]*|[-*#>]+)\s*/gim, '');
  return (cleaned.match(/[^.!?。！？\n]+(?:[.!?。！？]+|\n|$)/g) ?? []).map((s) => s.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));
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

export function extractiveAnswer(messages: ChatMessage[]): string {
  const q = question(messages);
  const qTerms = new Set(contentTerms(q));
  const sentences = extractContext(messages).flatMap(splitIntoSentences);
  let best: { i: number; score: number } | undefined;
  const scores = sentences.map((s) => {
    const terms = new Set(contentTerms(s));
    let shared = 0;
    for (const t of qTerms) if (terms.has(t)) shared++;
    return shared / Math.sqrt(1 + terms.size / 8); // prefer short, focused sentences at equal overlap
  });
  scores.forEach((score, i) => {
    if (score > 0 && (!best || score > best.score)) best = { i, score };
  });
  if (best) {
    const first = sentences[best.i]!;
    const next = sentences[best.i + 1];
    const nextScore = scores[best.i + 1] ?? 0;
    return next && nextScore >= best.score * 0.5 ? joinSentences(first, next) : first;
  }
  return fallback(q);
}

function joinSentences(a: string, b: string): string {
  return hasCjk(a) ? `${a}${b}` : `${a} ${b}`;
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
