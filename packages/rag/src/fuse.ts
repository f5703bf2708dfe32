/** Reciprocal rank fusion (Cormack et al. 2009): score(d) = sum over lists of 1 / (k + rank). */
export const RRF_K = 60;

export function reciprocalRankFusion(lists: number[][], k = RRF_K, weights: number[] = []): Array<[number, number]> {
  const scores = new Map<number, number>();
  lists.forEach((list, l) => {
    const w = weights[l] ?? 1;
    list.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + w / (k + i + 1)));
  });
  return [...scores].sort((a, b) => b[1] - a[1]);
}
