import type { PolicyKind, TagVerdict } from '../types.js'

/** A value the policer ranks: the tag, or its extracted value, and the tag's verdict index. */
export interface Item {
  key: string
  index: number
}

export interface Pick {
  winner?: Item
  /** The policer's own error, exactly as Flux words it. */
  error?: string
  /** Set when Go's map order decides between these items. */
  ambiguous?: Item[]
  notes: string[]
}

/**
 * One of image-reflector-controller's policers (internal/policy): it picks the latest item
 * and records a verdict for every item it sees. `mapOrder` says the items come from the
 * filter's map, so Flux visits them in random order; otherwise in descending byte order.
 */
export interface Policer {
  readonly kind: PolicyKind
  latest(items: Item[], mapOrder: boolean, verdicts: TagVerdict[]): Pick
  /** The best `top` items, best first. */
  rank(items: Item[], top: number): Item[]
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

/** The `top` best of `xs` under `better(a, b) < 0 ⇔ a ranks before b`, best first, in O(n·log top). */
export function selectTop<T>(xs: Iterable<T>, top: number, better: (a: T, b: T) => number): T[] {
  const out: T[] = []
  if (top <= 0) return out
  for (const x of xs) {
    if (out.length === top && better(x, out[top - 1] as T) >= 0) continue
    let lo = 0
    let hi = out.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (better(x, out[mid] as T) < 0) hi = mid
      else lo = mid + 1
    }
    out.splice(lo, 0, x)
    if (out.length > top) out.pop()
  }
  return out
}

/** Marks the winner, and the items that tie with it, for every policer. */
export function finishTies(winner: Item, ties: Item[], mapOrder: boolean, verdicts: TagVerdict[], why: string, tieWord: string, rule: 'visits first' | 'visits last'): Pick {
  const w = verdicts[winner.index] as TagVerdict
  const notes: string[] = []
  if (ties.length > 1 && mapOrder) {
    for (const t of ties) {
      const v = verdicts[t.index] as TagVerdict
      v.verdict = 'tied'
      v.reason = `${tieWord} with ${ties.length - 1} other candidate(s); Flux picks whichever Go's random map order visits first`
    }
    notes.push(`The winner depends on Go's map order: ${ties.length} candidates are ${tieWord}.`)
    return { winner, ambiguous: ties, notes }
  }
  for (const t of ties) {
    if (t === winner) continue
    const v = verdicts[t.index] as TagVerdict
    v.reason = `${tieWord} with the winner "${w.tag}", which Flux ${rule} (it walks tags in descending byte order)`
  }
  w.verdict = 'winner'
  w.reason = why
  return { winner, notes }
}
