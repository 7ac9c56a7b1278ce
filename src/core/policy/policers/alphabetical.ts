// internal/policy/alphabetical.go: sort the list (Go byte order); asc takes the last (the
// maximum), desc the first (the minimum). Items are distinct, so there are no ties.

import { compareGoStrings } from '../../go/strings.js'
import type { TagVerdict } from '../types.js'
import { EMPTY_LIST, type Item, parseOrder, type Pick, type Policer, selectTop } from './policer.js'

export class AlphabeticalPolicer implements Policer {
  readonly kind = 'alphabetical'
  readonly order: 'ASC' | 'DESC'

  constructor(order: string | undefined) {
    this.order = parseOrder(order)
  }

  private better = (a: Item, b: Item): number => (this.order === 'ASC' ? compareGoStrings(b.key, a.key) : compareGoStrings(a.key, b.key))

  latest(items: Item[], _mapOrder: boolean, verdicts: TagVerdict[]): Pick {
    if (items.length === 0) return { error: EMPTY_LIST, notes: [] }
    let best = items[0] as Item
    for (const item of items) {
      if (this.better(item, best) < 0) best = item
      const v = verdicts[item.index] as TagVerdict
      v.verdict = 'candidate'
      v.reason = this.order === 'ASC' ? 'sorts below the winner (asc picks the last in byte order)' : 'sorts above the winner (desc picks the first in byte order)'
    }
    const w = verdicts[best.index] as TagVerdict
    w.verdict = 'winner'
    w.reason = this.order === 'ASC' ? 'last in byte order (order: asc)' : 'first in byte order (order: desc)'
    return { winner: best, notes: [] }
  }

  rank(items: Item[], top: number): Item[] {
    return selectTop(items, top, this.better)
  }
}
