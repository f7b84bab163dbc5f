/**
 * Edit distance with adjacent transpositions (optimal string alignment): `PASWORD` and
 * `PASSWROD` are one edit from `PASSWORD`, the way people mistype.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known name `input` most likely meant: equal once both are normalised (case, `_`, `-`), or
 * within `maxDistance` edits of the normalised forms; `undefined` when nothing is that close.
 */
export function closestName(input: string, known: readonly string[], maxDistance: number): string | undefined {
  const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const wanted = normalise(input);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const candidate = normalise(name);
    // The distance is at least the difference in length: skip the work for names that far apart.
    if (Math.abs(candidate.length - wanted.length) > maxDistance) continue;
    const distance = editDistance(wanted, candidate);
    if (distance <= maxDistance && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}
