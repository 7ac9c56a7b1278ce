// internal/policy/numerical.go: strconv.ParseFloat every item, in order; the first that fails
// fails the whole policy. asc keeps the largest value, desc the smallest; an equal value
// replaces the current pick, so the last of equal values visited wins (the byte-smallest in
// Flux's stored order). NaN compares false both ways, so it too replaces, and is replaced.

import { goFloatError, parseGoFloat } from '../../go/parse-float.js'
import { compareGoStrings } from '../../go/strings.js'
import type { VerdictTable } from '../verdicts.js'
import { EMPTY_LIST, finishTies, type Items, parseOrder, type Pick, type Policer, selectTop } from './policer.js'

export class NumericalPolicer implements Policer {
  readonly kind = 'numerical'
  readonly order: 'ASC' | 'DESC'
  // Values by item position; `parsed` tells a parsed NaN from "not parsed".
  private values = new Float64Array(0)
  private parsed = new Uint8Array(0)

  constructor(order: string | undefined) {
    this.order = parseOrder(order)
  }

  latest(items: Items, mapOrder: boolean, verdicts: VerdictTable): Pick {
    const n = items.keys.length
    if (n === 0) return { error: EMPTY_LIST, notes: [] }
    this.values = new Float64Array(n)
    this.parsed = new Uint8Array(n)
    const values = this.values
    const reason = this.order === 'ASC' ? 'a number, below the winner' : 'a number, above the winner'
    const bad: number[] = []
    let sawNaN = false
    for (let k = 0; k < n; k++) {
      const key = items.keys[k] as string
      const value = parseGoFloat(key)
      if (value !== undefined) {
        values[k] = value
        this.parsed[k] = 1
        if (Number.isNaN(value)) sawNaN = true
        verdicts.set(items.index[k] as number, 'candidate', reason)
      } else {
        bad.push(k)
        verdicts.set(items.index[k] as number, 'not-numeric', `strconv.ParseFloat rejects "${key}": ${goFloatError(key)}`)
      }
    }
    if (bad.length > 0) {
      // Without a filter Flux meets the byte-largest first; with one, any of them.
      const first = bad.reduce((a, b) => (compareGoStrings(items.keys[b] as string, items.keys[a] as string) > 0 ? b : a))
      const notes = mapOrder && bad.length > 1 ? [`${bad.length} values are not numeric; Flux names whichever Go's map order visits first.`] : []
      return { error: `failed to parse invalid numeric value '${items.keys[first]}'`, notes }
    }
    if (sawNaN) return this.walkWithNaN(items, mapOrder, verdicts)
    const asc = this.order === 'ASC'
    let best = 0
    let ties: number[] = [0]
    for (let k = 1; k < n; k++) {
      // Compared, not subtracted: Infinity - Infinity is NaN, yet Go's `cv < pv` sees two
      // infinities of one sign as equal, so "inf", "+Inf" and "infinity" tie.
      const cv = values[k] as number
      const bv = values[best] as number
      const d = asc ? (cv > bv ? 1 : cv < bv ? -1 : 0) : cv < bv ? 1 : cv > bv ? -1 : 0
      if (d > 0) {
        best = k
        ties = [k]
      } else if (d === 0) {
        ties.push(k)
        if (compareGoStrings(items.keys[k] as string, items.keys[best] as string) < 0) best = k
      }
    }
    const why = asc ? 'largest value (order: asc)' : 'smallest value (order: desc)'
    return finishTies(items, best, ties, mapOrder, verdicts, why, 'numerically equal', 'visits last')
  }

  // NaN makes the pick depend on the exact visiting order, so replay Flux's loop literally.
  private walkWithNaN(items: Items, mapOrder: boolean, verdicts: VerdictTable): Pick {
    const values = this.values
    const ordered = items.keys.map((_, k) => k).sort((a, b) => compareGoStrings(items.keys[b] as string, items.keys[a] as string))
    let latest = ordered[0] as number
    let pv = values[latest] as number
    for (const k of ordered.slice(1)) {
      const cv = values[k] as number
      if ((this.order === 'ASC' && cv < pv) || (this.order === 'DESC' && cv > pv)) continue
      latest = k
      pv = cv
    }
    verdicts.set(items.index[latest] as number, 'winner', "picked by Flux's loop, in which NaN replaces and is replaced by any value")
    if (!mapOrder) return { winner: latest, notes: ['A NaN value makes the pick depend on the visiting order.'] }
    return { winner: latest, ambiguous: ordered, notes: ["A NaN value and Go's random map order make any candidate a possible pick."] }
  }

  rank(items: Items, top: number): number[] {
    const sign = this.order === 'ASC' ? -1 : 1
    const values = this.values
    const positions: number[] = []
    for (let k = 0; k < values.length; k++) if (this.parsed[k] === 1 && !Number.isNaN(values[k])) positions.push(k)
    return selectTop(positions, top, (a, b) => {
      const va = values[a] as number
      const vb = values[b] as number
      return sign * (va < vb ? -1 : va > vb ? 1 : 0) || compareGoStrings(items.keys[a] as string, items.keys[b] as string)
    })
  }
}
