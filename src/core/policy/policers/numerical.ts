// internal/policy/numerical.go: strconv.ParseFloat every item, in order; the first that fails
// fails the whole policy. asc keeps the largest value, desc the smallest; an equal value
// replaces the current pick, so the last of equal values visited wins (the byte-smallest in
// Flux's stored order). NaN compares false both ways, so it too replaces, and is replaced.

import { goFloatError, parseGoFloat } from '../../go/parse-float.js'
import { compareGoStrings } from '../../go/strings.js'
import type { TagVerdict } from '../types.js'
import { EMPTY_LIST, finishTies, type Item, parseOrder, type Pick, type Policer, selectTop } from './policer.js'

export class NumericalPolicer implements Policer {
  readonly kind = 'numerical'
  readonly order: 'ASC' | 'DESC'
  // Values by verdict index (NaN also marks "not parsed" until `parsed` says otherwise).
  private values = new Float64Array(0)
  private parsed = new Uint8Array(0)

  constructor(order: string | undefined) {
    this.order = parseOrder(order)
  }

  latest(items: Item[], mapOrder: boolean, verdicts: TagVerdict[]): Pick {
    if (items.length === 0) return { error: EMPTY_LIST, notes: [] }
    const bad: Item[] = []
    this.values = new Float64Array(verdicts.length)
    this.parsed = new Uint8Array(verdicts.length)
    for (const item of items) {
      const v = verdicts[item.index] as TagVerdict
      const value = parseGoFloat(item.key)
      if (value !== undefined) {
        this.values[item.index] = value
        this.parsed[item.index] = 1
        v.verdict = 'candidate'
        v.reason = this.order === 'ASC' ? 'a number, below the winner' : 'a number, above the winner'
      } else {
        bad.push(item)
        v.verdict = 'not-numeric'
        v.reason = `strconv.ParseFloat rejects "${item.key}": ${goFloatError(item.key)}`
      }
    }
    if (bad.length > 0) {
      // Without a filter Flux meets the byte-largest first; with one, any of them.
      const first = bad.reduce((a, b) => (compareGoStrings(b.key, a.key) > 0 ? b : a))
      const notes = mapOrder && bad.length > 1 ? [`${bad.length} values are not numeric; Flux names whichever Go's map order visits first.`] : []
      return { error: `failed to parse invalid numeric value '${first.key}'`, notes }
    }
    const values = this.values
    const value = (it: Item): number => values[it.index] as number
    if (items.some((it) => Number.isNaN(value(it)))) return this.walkWithNaN(items, mapOrder, verdicts, value)
    let best = items[0] as Item
    let ties: Item[] = []
    for (const item of items) {
      const d = this.order === 'ASC' ? value(item) - value(best) : value(best) - value(item)
      if (d > 0 || item === best) {
        best = item
        ties = [item]
      } else if (d === 0) {
        ties.push(item)
        if (compareGoStrings(item.key, best.key) < 0) best = item
      }
    }
    const why = this.order === 'ASC' ? 'largest value (order: asc)' : 'smallest value (order: desc)'
    return finishTies(best, ties, mapOrder, verdicts, why, 'numerically equal', 'visits last')
  }

  // NaN makes the pick depend on the exact visiting order, so replay Flux's loop literally.
  private walkWithNaN(items: Item[], mapOrder: boolean, verdicts: TagVerdict[], value: (it: Item) => number): Pick {
    const ordered = [...items].sort((a, b) => compareGoStrings(b.key, a.key))
    let latest = ordered[0] as Item
    let pv = value(latest)
    for (const item of ordered.slice(1)) {
      const cv = value(item)
      if ((this.order === 'ASC' && cv < pv) || (this.order === 'DESC' && cv > pv)) continue
      latest = item
      pv = cv
    }
    const w = verdicts[latest.index] as TagVerdict
    w.verdict = 'winner'
    w.reason = 'picked by Flux\'s loop, in which NaN replaces and is replaced by any value'
    if (!mapOrder) return { winner: latest, notes: ['A NaN value makes the pick depend on the visiting order.'] }
    return { winner: latest, ambiguous: items, notes: ['A NaN value and Go\'s random map order make any candidate a possible pick.'] }
  }

  rank(items: Item[], top: number): Item[] {
    const sign = this.order === 'ASC' ? -1 : 1
    const values = this.values
    const withValue = items.filter((it) => this.parsed[it.index] === 1 && !Number.isNaN(values[it.index]))
    return selectTop(withValue, top, (a, b) => sign * ((values[a.index] as number) - (values[b.index] as number)) || compareGoStrings(a.key, b.key))
  }
}
