// Masterminds/semver v3.4.0 constraints (constraints.go), which Flux's semver policy uses.
// The grammar and the checks are ported as they are, quirks included:
//  - "a - b" hyphen ranges are rewritten to ">= a, <= b" first; "||" separates OR groups;
//    inside a group constraints are separated by spaces or commas;
//  - x, X and * wildcards ("1.2.x", "1.*", "*") make a constraint "dirty";
//  - a pre-release version satisfies an AND group only when some constraint of that group
//    names a pre-release (v3.4.0 #267), e.g. ">=1.0.0-0 <2.0.0" admits 1.5.0-rc.1.
// The regular expressions are Go's; \s is written out as Go's [\t\n\f\r ] because
// JavaScript's \s also matches \v and Unicode spaces. Alternation preference is the same in
// both engines (leftmost-first), so matches and submatches agree.

import { newVersion, comparePrerelease, type Version } from './version.js'

const S = '[\\t\\n\\f\\r ]'
const CV = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?'
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^'

const constraintRegex = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`)
const constraintRangeRegex = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, 'g')
const findConstraintRegex = new RegExp(`(${OPS})${S}*(${CV})`, 'g')
const validConstraintRegex = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`)

type Op = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^'

interface Constraint {
  con: Version
  orig: string
  op: Op
  minorDirty: boolean
  patchDirty: boolean
  dirty: boolean
}

export class ConstraintError extends Error {}

export class Constraints {
  private constructor(
    private readonly groups: Constraint[][],
    private readonly containsPre: boolean[],
  ) {}

  /** semver.NewConstraint; throws ConstraintError with Masterminds' message. */
  static parse(range: string): Constraints {
    const c = rewriteRange(range)
    const ors = c.split('||')
    const groups: Constraint[][] = []
    const hasPre: boolean[] = []
    for (const v of ors) {
      if (!validConstraintRegex.test(v)) throw new ConstraintError(`improper constraint: ${v}`)
      let cs = v.match(findConstraintRegex) as string[] | null
      if (cs === null) cs = [v]
      const group: Constraint[] = []
      let pre = false
      for (const s of cs) {
        const pc = parseConstraint(s)
        if (pc.con.pre !== '') pre = true
        group.push(pc)
      }
      groups.push(group)
      hasPre.push(pre)
    }
    return new Constraints(groups, hasPre)
  }

  check(v: Version): boolean {
    for (let i = 0; i < this.groups.length; i++) {
      const includePre = this.containsPre[i] === true
      if ((this.groups[i] as Constraint[]).every((c) => checkOne(v, c, includePre))) return true
    }
    return false
  }

  /** Would the version pass if every group admitted pre-releases? (explains a rejection) */
  checkIgnoringPrerelease(v: Version): boolean {
    return this.groups.some((g) => g.every((c) => checkOne(v, c, true)))
  }

  /** One entry per OR group: its comparators as [op, version]. */
  describe(): { op: Op; version: Version; dirty: boolean; minorDirty: boolean; patchDirty: boolean }[][] {
    return this.groups.map((g) => g.map((c) => ({ op: c.op, version: c.con, dirty: c.dirty, minorDirty: c.minorDirty, patchDirty: c.patchDirty })))
  }

  groupAdmitsPrerelease(i: number): boolean {
    return this.containsPre[i] === true
  }
}

function rewriteRange(i: string): string {
  let o = i
  for (const v of i.matchAll(constraintRangeRegex)) {
    const t = `>= ${v[1]}, <= ${v[11]} `
    o = o.replace(v[0], () => t)
  }
  return o
}

const isX = (x: string | undefined): boolean => x === 'x' || x === '*' || x === 'X'

function parseConstraint(c: string): Constraint {
  if (c.length === 0) {
    return { con: mustVersion('0.0.0'), orig: c, op: '', minorDirty: false, patchDirty: false, dirty: true }
  }
  const m = constraintRegex.exec(c)
  if (!m) throw new ConstraintError(`improper constraint: ${c}`)
  const m3 = m[3] ?? ''
  const m4 = m[4] ?? ''
  const m5 = m[5] ?? ''
  const m6 = m[6] ?? ''
  let ver = m[2] as string
  let minorDirty = false
  let patchDirty = false
  let dirty = false
  if (isX(m3) || m3 === '') {
    ver = `0.0.0${m6}`
    dirty = true
  } else if (isX(m4.replace(/^\./, '')) || m4 === '') {
    minorDirty = true
    dirty = true
    ver = `${m3}.0.0${m6}`
  } else if (isX(m5.replace(/^\./, '')) || m5 === '') {
    dirty = true
    patchDirty = true
    ver = `${m3}${m4}.0${m6}`
  }
  const parsed = newVersion(ver)
  if (!parsed.ok) throw new ConstraintError('constraint parser error')
  return { con: parsed.version, orig: m[2] as string, op: m[1] as Op, minorDirty, patchDirty, dirty }
}

function mustVersion(v: string): Version {
  const p = newVersion(v)
  if (!p.ok) throw new Error(`invalid built-in version ${v}`)
  return p.version
}

function checkOne(v: Version, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : v.equal(c.con)
    case '!=':
      return notEqual(v, c)
    case '>':
      return greaterThan(v, c)
    case '<':
      return v.compare(c.con) < 0
    case '>=':
    case '=>':
      return v.compare(c.con) >= 0
    case '<=':
    case '=<':
      return lessThanEqual(v, c)
    case '~':
    case '~>':
      return tilde(v, c)
    case '^':
      return caret(v, c)
  }
}

function notEqual(v: Version, c: Constraint): boolean {
  if (c.dirty) {
    if (c.con.major !== v.major) return true
    if (c.con.minor !== v.minor && !c.minorDirty) return true
    if (c.minorDirty) return false
    if (c.con.patch !== v.patch && !c.patchDirty) return true
    if (c.patchDirty) {
      if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0
      return false
    }
  }
  return !v.equal(c.con)
}

function greaterThan(v: Version, c: Constraint): boolean {
  if (!c.dirty) return v.compare(c.con) === 1
  if (v.major > c.con.major) return true
  if (v.major < c.con.major) return false
  if (c.minorDirty) return false
  if (c.patchDirty) return v.minor > c.con.minor
  return v.compare(c.con) === 1
}

function lessThanEqual(v: Version, c: Constraint): boolean {
  if (!c.dirty) return v.compare(c.con) <= 0
  if (v.major > c.con.major) return false
  if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false
  return true
}

function tilde(v: Version, c: Constraint): boolean {
  if (v.lessThan(c.con)) return false
  if (c.con.major === 0 && c.con.minor === 0 && c.con.patch === 0 && !c.minorDirty && !c.patchDirty) return true
  if (v.major !== c.con.major) return false
  if (v.minor !== c.con.minor && !c.minorDirty) return false
  return true
}

function caret(v: Version, c: Constraint): boolean {
  if (v.lessThan(c.con)) return false
  if (c.con.major > 0 || c.minorDirty) return v.major === c.con.major
  if (c.con.major === 0 && v.major > 0) return false
  if (c.con.minor > 0 || c.patchDirty) return v.minor === c.con.minor
  if (c.con.minor === 0 && v.minor > 0) return false
  return c.con.patch === v.patch
}
