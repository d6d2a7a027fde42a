// How well found groups match known ones: purity, and adjusted mutual information (Vinh,
// Epps and Bailey 2010, normalised by the arithmetic mean of the entropies as scikit-learn's
// adjusted_mutual_info_score by default; its published test values check this one).

/** The contingency table of two labelings of the same items. */
function contingency(truth: readonly string[], found: readonly string[]) {
  if (truth.length !== found.length) throw new Error('labelings of different lengths')
  const rows = new Map<string, number>()
  const columns = new Map<string, number>()
  const cells = new Map<string, number>()
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!
    const f = found[i]!
    rows.set(t, (rows.get(t) ?? 0) + 1)
    columns.set(f, (columns.get(f) ?? 0) + 1)
    const key = `${t}\u0000${f}`
    cells.set(key, (cells.get(key) ?? 0) + 1)
  }
  return { rows, columns, cells, n: truth.length }
}

/** The share of items whose found group's most common true label is their own. */
export function purity(truth: readonly string[], found: readonly string[]): number {
  const { cells, n } = contingency(truth, found)
  const best = new Map<string, number>()
  for (const [key, count] of cells) {
    const f = key.split('\u0000')[1]!
    best.set(f, Math.max(best.get(f) ?? 0, count))
  }
  let sum = 0
  for (const count of best.values()) sum += count
  return sum / n
}

function entropy(counts: Iterable<number>, n: number): number {
  let h = 0
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n)
  return h
}

export function mutualInformation(truth: readonly string[], found: readonly string[]): number {
  const { rows, columns, cells, n } = contingency(truth, found)
  let mi = 0
  for (const [key, count] of cells) {
    const [t, f] = key.split('\u0000') as [string, string]
    mi += (count / n) * Math.log((n * count) / (rows.get(t)! * columns.get(f)!))
  }
  return mi
}

/** The mutual information expected of two random labelings with the same group sizes. */
export function expectedMutualInformation(
  truth: readonly string[],
  found: readonly string[],
): number {
  const { rows, columns, n } = contingency(truth, found)
  const logFactorial = new Float64Array(n + 1)
  for (let i = 2; i <= n; i++) logFactorial[i] = logFactorial[i - 1]! + Math.log(i)
  const lf = (k: number) => logFactorial[k]!
  let emi = 0
  for (const a of rows.values()) {
    for (const b of columns.values()) {
      for (let nij = Math.max(1, a + b - n); nij <= Math.min(a, b); nij++) {
        const logP =
          lf(a) +
          lf(b) +
          lf(n - a) +
          lf(n - b) -
          lf(n) -
          lf(nij) -
          lf(a - nij) -
          lf(b - nij) -
          lf(n - a - b + nij)
        emi += (nij / n) * Math.log((n * nij) / (a * b)) * Math.exp(logP)
      }
    }
  }
  return emi
}

export function adjustedMutualInformation(
  truth: readonly string[],
  found: readonly string[],
): number {
  const { rows, columns, n } = contingency(truth, found)
  // One group on both sides (or one item each): the labelings agree perfectly.
  if ((rows.size === 1 && columns.size === 1) || (rows.size === n && columns.size === n)) return 1
  const mi = mutualInformation(truth, found)
  const emi = expectedMutualInformation(truth, found)
  const mean = (entropy(rows.values(), n) + entropy(columns.values(), n)) / 2
  const denominator = mean - emi
  return denominator === 0 ? 0 : (mi - emi) / denominator
}
