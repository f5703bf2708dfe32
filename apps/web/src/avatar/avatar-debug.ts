import type { VowelWeights } from './lip-sync.ts';

/** Published on window for e2e tests; updated in place once per frame (no allocation). */
export interface AvatarDebug {
  loaded: boolean;
  mouth: VowelWeights;
  /** max vowel weight */
  mouthOpen: number;
  /** head pitch added by a nod in progress (radians) */
  nod: number;
  fps: number;
  expression: string | null;
  error: string | null;
}

declare global {
  interface Window {
    __avatarDebug?: AvatarDebug;
  }
}

export function avatarDebug(): AvatarDebug {
  const w = typeof window === 'undefined' ? undefined : window;
  const existing = w?.__avatarDebug;
  if (existing) return existing;
  const fresh: AvatarDebug = {
    loaded: false,
    mouth: { aa: 0, ih: 0, ou: 0, ee: 0, oh: 0 },
    mouthOpen: 0,
    nod: 0,
    fps: 0,
    expression: null,
    error: null,
  };
  if (w) w.__avatarDebug = fresh;
  return fresh;
}
