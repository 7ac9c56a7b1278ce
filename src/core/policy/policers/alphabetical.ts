// internal/policy/alphabetical.go: sort the list (Go byte order); asc takes the last (the
// maximum), desc the first (the minimum). Items are distinct, so there are no ties.

import { compareGoStrings } from '../../go/strings.js'
import type { VerdictTable } from '../verdicts.js'
import { EMPTY_LIST, type Items, parseOrder, type Pick, type Policer, selectTop } from './policer.js'

export class AlphabeticalPolicer implements Policer {
  readonly kind = 'alphabetical'
  readonly order: 'ASC' | 'DESC'

  constructor(order: string | undefined) {
    this.order = parseOrder(order)
  }

  private better(keys: string[]): (a: number, b: number) => number {
    return this.order === 'ASC' ? (a, b) => compareGoStrings(keys[b] as string, keys[a] as string) : (a, b) => compareGoStrings(keys[a] as string, keys[b] as string)
  }

  latest(items: Items, _mapOrder: boolean, verdicts: VerdictTable): Pick {
    const n = items.keys.length
    if (n === 0) return { error: EMPTY_LIST, notes: [] }
    const better = this.better(items.keys)
    const reason = this.order === 'ASC' ? 'sorts below the winner (asc picks the last in byte order)' : 'sorts above the winner (desc picks the first in byte order)'
    let best = 0
    for (let k = 0; k < n; k++) {
      if (better(k, best) < 0) best = k
      verdicts.set(items.index[k] as number, 'candidate', reason)
    }
    verdicts.set(items.index[best] as number, 'winner', this.order === 'ASC' ? 'last in byte order (order: asc)' : 'first in byte order (order: desc)')
    return { winner: best, notes: [] }
  }

  rank(items: Items, top: number): number[] {
    return selectTop(
      items.keys.map((_, k) => k),
      top,
      this.better(items.keys),
    )
  }
}
