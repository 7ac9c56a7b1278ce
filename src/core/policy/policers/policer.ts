import type { VerdictTable } from '../verdicts.js'
import type { PolicyKind } from '../types.js'

/**
 * What the policer ranks, as parallel arrays: keys[k] is the tag or its extracted value and
 * index[k] the tag's position in the verdict table. An item is named by its position k.
 */
export interface Items {
  keys: string[]
  index: number[]
}

export interface Pick {
  /** The winning item's position. */
  winner?: number
  /** The policer's own error, exactly as Flux words it. */
  error?: string
  /** Set when Go's map order decides between these items. */
  ambiguous?: number[]
  notes: string[]
}

/**
 * One of image-reflector-controller's policers (internal/policy): it picks the latest item
 * and records a verdict for every item it sees. `mapOrder` says the items come from the
 * filter's map, so Flux visits them in random order; otherwise in descending byte order.
 */
export interface Policer {
  readonly kind: PolicyKind
  latest(items: Items, mapOrder: boolean, verdicts: VerdictTable): Pick
  /** The positions of the best `top` items, best first. */
  rank(items: Items, top: number): number[]
}

/** Thrown while building a policer from an unusable spec; the message is Flux's. */
export class InvalidPolicy extends Error {}

export const EMPTY_LIST = 'version list argument cannot be empty'

/** Go's strings.ToUpper for the order field (rune by rune, no length-changing mappings). */
export function goToUpper(s: string): string {
  let out = ''
  for (const ch of s) {
    const up = ch.toUpperCase()
    out += [...up].length === 1 ? up : ch
  }
  return out
}

export function parseOrder(order: string | undefined): 'ASC' | 'DESC' {
  const o = goToUpper(order ?? '')
  if (o === '' || o === 'ASC') return 'ASC'
  if (o === 'DESC') return 'DESC'
  throw new InvalidPolicy(`invalid order argument provided: '${o}', must be one of: ASC, DESC`)
}

/**
 * The `top` best of `xs` under `better(a, b) < 0 ⇔ a ranks before b`, best first: a
 * quickselect partitions around the top-th element (O(n) on average, whatever the input
 * order, and registries often list tags already sorted), then only the top are sorted.
 */
export function selectTop<T>(xs: readonly T[], top: number, better: (a: T, b: T) => number): T[] {
  if (top <= 0 || xs.length === 0) return []
  const a = xs.slice()
  if (a.length > top) {
    let lo = 0
    let hi = a.length - 1
    const k = top - 1
    let seed = 0x9e3779b9
    while (hi > lo) {
      // A pseudo-random pivot keeps sorted input from the quadratic case.
      seed = (seed * 1103515245 + 12345) >>> 0
      const pivot = a[lo + (seed % (hi - lo + 1))] as T
      let i = lo
      let j = hi
      while (i <= j) {
        while (better(a[i] as T, pivot) < 0) i++
        while (better(pivot, a[j] as T) < 0) j--
        if (i <= j) {
          const t = a[i] as T
          a[i] = a[j] as T
          a[j] = t
          i++
          j--
        }
      }
      if (k <= j) hi = j
      else if (k >= i) lo = i
      else break
    }
    a.length = top
  }
  return a.sort(better)
}

/** Marks the winner, and the items that tie with it, for every policer. */
export function finishTies(items: Items, winner: number, ties: number[], mapOrder: boolean, verdicts: VerdictTable, why: string, tieWord: string, rule: 'visits first' | 'visits last'): Pick {
  const notes: string[] = []
  if (ties.length > 1 && mapOrder) {
    const reason = `${tieWord} with ${ties.length - 1} other candidate(s); Flux picks whichever Go's random map order visits first`
    for (const t of ties) verdicts.set(items.index[t] as number, 'tied', reason)
    notes.push(`The winner depends on Go's map order: ${ties.length} candidates are ${tieWord}.`)
    return { winner, ambiguous: ties, notes }
  }
  const w = items.index[winner] as number
  const tieReason = `${tieWord} with the winner "${verdicts.tags[w]}", which Flux ${rule} (it walks tags in descending byte order)`
  for (const t of ties) if (t !== winner) verdicts.setReason(items.index[t] as number, tieReason)
  verdicts.set(w, 'winner', why)
  return { winner, notes }
}
