// internal/policy/semver.go: the first version in range that is strictly greater than every
// earlier one wins, so among equal versions (v1.2.3 and 1.2.3, or 1.2.3+a and 1.2.3+b) the
// first visited wins: the byte-largest tag in Flux's stored order, anyone under a filter.

import { compareGoStrings } from '../../go/strings.js'
import { Constraints } from '../../semver/constraints.js'
import { parseFluxVersion, type Version } from '../../semver/version.js'
import type { TagVerdict } from '../types.js'
import { EMPTY_LIST, finishTies, type Item, type Pick, type Policer, selectTop } from './policer.js'

export class SemverPolicer implements Policer {
  readonly kind = 'semver'
  private readonly constraints: Constraints
  /** Parsed candidates by verdict index, for ranking. */
  private versions: (Version | undefined)[] = []

  constructor(readonly range: string) {
    this.constraints = Constraints.parse(range)
  }

  latest(items: Item[], mapOrder: boolean, verdicts: TagVerdict[]): Pick {
    if (items.length === 0) return { error: EMPTY_LIST, notes: [] }
    // Reasons are shared strings: a million verdicts should not mean a million messages.
    const outside = `outside the range "${this.range}"`
    const preExcluded = 'a pre-release, and no comparator in its part of the range names one (write e.g. ">=1.0.0-0" to admit pre-releases)'
    const notVersion = new Map<string, string>()
    let best: { item: Item; v: Version } | undefined
    let ties: Item[] = []
    for (const item of items) {
      const verdict = verdicts[item.index] as TagVerdict
      const parsed = parseFluxVersion(item.key)
      if (!parsed.ok) {
        verdict.verdict = 'not-a-version'
        let reason = notVersion.get(parsed.reason)
        if (reason === undefined) notVersion.set(parsed.reason, (reason = `not a version: ${parsed.reason}`))
        verdict.reason = reason
        continue
      }
      const v = parsed.version
      if (!this.constraints.check(v)) {
        if (v.pre !== '' && this.constraints.checkIgnoringPrerelease(v)) {
          verdict.verdict = 'prerelease-excluded'
          verdict.reason = preExcluded
        } else {
          verdict.verdict = 'out-of-range'
          verdict.reason = outside
        }
        continue
      }
      verdict.verdict = 'candidate'
      verdict.reason = 'in range'
      this.versions[item.index] = v
      const d = best === undefined ? 1 : v.compare(best.v)
      if (d > 0) {
        best = { item, v }
        ties = [item]
      } else if (d === 0 && best !== undefined) {
        ties.push(item)
        if (!mapOrder && compareGoStrings(item.key, best.item.key) > 0) best = { item, v }
      }
    }
    if (best === undefined) return { error: 'unable to determine latest version from provided list', notes: [] }
    return finishTies(best.item, ties, mapOrder, verdicts, `highest version in range "${this.range}"`, 'equal as versions', 'visits first')
  }

  rank(items: Item[], top: number): Item[] {
    const versions = this.versions
    return selectTop(
      items.filter((it) => versions[it.index] !== undefined),
      top,
      (a, b) => (versions[b.index] as Version).compare(versions[a.index] as Version) || compareGoStrings(b.key, a.key),
    )
  }
}
