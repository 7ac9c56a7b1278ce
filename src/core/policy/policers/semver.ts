// internal/policy/semver.go: the first version in range that is strictly greater than every
// earlier one wins, so among equal versions (v1.2.3 and 1.2.3, or 1.2.3+a and 1.2.3+b) the
// first visited wins: the byte-largest tag in Flux's stored order, anyone under a filter.

import { compareGoStrings } from '../../go/strings.js'
import { Constraints } from '../../semver/constraints.js'
import { comparePrerelease, parseFluxVersion, Version } from '../../semver/version.js'
import type { VerdictTable } from '../verdicts.js'
import { EMPTY_LIST, finishTies, type Items, type Pick, type Policer, selectTop } from './policer.js'

export class SemverPolicer implements Policer {
  readonly kind = 'semver'
  private readonly constraints: Constraints
  // The candidates, for ranking, kept as numbers rather than a Version object each (a million
  // surviving objects cost more in garbage collection than the whole replay). A segment past
  // 2^53 keeps its Version in `exact`.
  private candidates: number[] = []
  private segments = new Float64Array(0)
  private pre: string[] = []
  private exact = new Map<number, Version>()

  constructor(readonly range: string) {
    this.constraints = Constraints.parse(range)
  }

  latest(items: Items, mapOrder: boolean, verdicts: VerdictTable): Pick {
    const n = items.keys.length
    if (n === 0) return { error: EMPTY_LIST, notes: [] }
    // Reasons are shared strings: a million verdicts should not mean a million messages.
    const outside = `outside the range "${this.range}"`
    const preExcluded = 'a pre-release, and no comparator in its part of the range names one (write e.g. ">=1.0.0-0" to admit pre-releases)'
    const notVersion = new Map<string, string>()
    this.candidates = []
    this.segments = new Float64Array(n * 3)
    this.pre = []
    this.exact = new Map()
    let best = -1
    let bestV: Version | undefined
    let ties: number[] = []
    for (let k = 0; k < n; k++) {
      const key = items.keys[k] as string
      const i = items.index[k] as number
      const parsed = parseFluxVersion(key)
      if (!parsed.ok) {
        let reason = notVersion.get(parsed.reason)
        if (reason === undefined) notVersion.set(parsed.reason, (reason = `not a version: ${parsed.reason}`))
        verdicts.set(i, 'not-a-version', reason)
        continue
      }
      const v = parsed.version
      if (!this.constraints.check(v)) {
        if (v.pre !== '' && this.constraints.checkIgnoringPrerelease(v)) verdicts.set(i, 'prerelease-excluded', preExcluded)
        else verdicts.set(i, 'out-of-range', outside)
        continue
      }
      verdicts.set(i, 'candidate', 'in range')
      this.keep(k, v)
      const d = bestV === undefined ? 1 : v.compare(bestV)
      if (d > 0) {
        best = k
        bestV = v
        ties = [k]
      } else if (d === 0) {
        ties.push(k)
        if (!mapOrder && compareGoStrings(key, items.keys[best] as string) > 0) best = k
      }
    }
    if (best < 0) return { error: 'unable to determine latest version from provided list', notes: [] }
    return finishTies(items, best, ties, mapOrder, verdicts, `highest version in range "${this.range}"`, 'equal as versions', 'visits first')
  }

  private keep(k: number, v: Version): void {
    this.candidates.push(k)
    if (typeof v.major === 'bigint' || typeof v.minor === 'bigint' || typeof v.patch === 'bigint') this.exact.set(k, v)
    this.segments[3 * k] = Number(v.major)
    this.segments[3 * k + 1] = Number(v.minor)
    this.segments[3 * k + 2] = Number(v.patch)
    if (v.pre !== '') this.pre[k] = v.pre
  }

  // Version.Compare over the kept numbers.
  private compare(a: number, b: number): number {
    const ea = this.exact.get(a)
    const eb = this.exact.get(b)
    if (ea !== undefined || eb !== undefined) return this.version(a, ea).compare(this.version(b, eb))
    const s = this.segments
    for (let j = 0; j < 3; j++) {
      const d = (s[3 * a + j] as number) - (s[3 * b + j] as number)
      if (d !== 0) return d < 0 ? -1 : 1
    }
    const pa = this.pre[a] ?? ''
    const pb = this.pre[b] ?? ''
    if (pa === pb) return 0
    if (pa === '') return 1
    if (pb === '') return -1
    return comparePrerelease(pa, pb)
  }

  private version(k: number, exact: Version | undefined): Version {
    if (exact) return exact
    const s = this.segments
    return new Version(s[3 * k] as number, s[3 * k + 1] as number, s[3 * k + 2] as number, this.pre[k] ?? '', '', '')
  }

  rank(items: Items, top: number): number[] {
    return selectTop(this.candidates, top, (a, b) => this.compare(b, a) || compareGoStrings(items.keys[b] as string, items.keys[a] as string))
  }
}
