// What a semver range admits, as far as a reviewer cares: does it bound the major version,
// does it let pre-releases in, can any version satisfy it at all. Shared by explain policy
// (with tags) and lint (without).

import { Constraints } from '../semver/constraints.js'
import { newVersion, type Version } from '../semver/version.js'

export interface RangeRisks {
  /** Some OR group has no upper bound ("*", ">=1.0.0", "!=2.0.0"). */
  unbounded: boolean
  /** Some OR group names a pre-release, so that group admits every pre-release. */
  prerelease: boolean
  /** Some three-part version satisfies the range. */
  satisfiable: boolean
}

/** The risks of a Masterminds range; throws ConstraintError when it does not parse. */
export function rangeRisks(range: string): Readonly<RangeRisks> {
  let r = risks.get(range)
  if (r === undefined) {
    if (risks.size >= RISKS_MAX) risks.clear()
    r = Object.freeze(computeRisks(range))
    risks.set(range, r)
  }
  return r
}

// Pure in the range: each range's risks are worked out once.
const risks = new Map<string, Readonly<RangeRisks>>()
const RISKS_MAX = 4096

function computeRisks(range: string): RangeRisks {
  const c = Constraints.parse(range)
  const groups = c.describe()
  const unbounded = groups.some((g) => g.every((k) => k.op === '>' || k.op === '>=' || k.op === '=>' || k.op === '!=' || (isAny(k) && (k.op === '' || k.op === '=' || k.op === '~' || k.op === '~>'))))
  const prerelease = groups.some((_, i) => c.groupAdmitsPrerelease(i))
  return { unbounded, prerelease, satisfiable: candidates(groups.flat().map((k) => k.version)).some((v) => c.check(v)) }
}

function isAny(k: { dirty: boolean; minorDirty: boolean; patchDirty: boolean; version: { major: unknown; minor: unknown; patch: unknown } }): boolean {
  return k.dirty && !k.minorDirty && !k.patchDirty && k.version.major === 0 && k.version.minor === 0 && k.version.patch === 0
}

// A non-empty interval of versions starts at, or just after, one of the range's own versions
// (or at 0.0.0), so checking those and their next patch, minor and major decides whether the
// range admits anything, short of a long run of "!=" comparators.
function candidates(bounds: readonly Version[]): Version[] {
  const out: Version[] = []
  const add = (s: string): void => {
    const p = newVersion(s)
    if (p.ok) out.push(p.version)
  }
  add('0.0.0')
  for (const v of bounds) {
    const [M, m, p] = [BigInt(v.major), BigInt(v.minor), BigInt(v.patch)]
    if (v.pre) add(v.toString())
    for (const s of [`${M}.${m}.${p}`, `${M}.${m}.${p + 1n}`, `${M}.${m}.${p + 2n}`, `${M}.${m + 1n}.0`, `${M + 1n}.0.0`]) add(s)
  }
  return out
}
