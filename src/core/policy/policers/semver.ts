// internal/policy/semver.go: the first version in range that is strictly greater than every
// earlier one wins, so among equal versions (v1.2.3 and 1.2.3, or 1.2.3+a and 1.2.3+b) the
// first visited wins: the byte-largest tag in Flux's stored order, anyone under a filter.

import { compareGoStrings } from '../../go/strings.js'
import { Constraints } from '../../semver/constraints.js'
import { parseFluxVersion, type Version } from '../../semver/version.js'
import type { VerdictTable } from '../verdicts.js'
import { EMPTY_LIST, finishTies, type Items, type Pick, type Policer, selectTop } from './policer.js'

export class SemverPolicer implements Policer {
  readonly kind = 'semver'
  private readonly constraints: Constraints
  /** Parsed candidates by item position, for ranking. */
  private versions: (Version | undefined)[] = []

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
    this.versions = new Array<Version | undefined>(n).fill(undefined)
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
      this.versions[k] = v
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

  rank(items: Items, top: number): number[] {
    const versions = this.versions
    const positions: number[] = []
    for (let k = 0; k < versions.length; k++) if (versions[k] !== undefined) positions.push(k)
    return selectTop(positions, top, (a, b) => (versions[b] as Version).compare(versions[a] as Version) || compareGoStrings(items.keys[b] as string, items.keys[a] as string))
  }
}
