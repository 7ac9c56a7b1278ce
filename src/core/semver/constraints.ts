// Masterminds/semver v3.5.0 constraints (constraints.go), as image-reflector-controller v1.2
// (Flux 2.9) runs them. The grammar and the checks are ported as they are, quirks included:
//  - a range longer than 512 bytes is refused before anything else is read;
//  - "a - b" hyphen ranges are rewritten to ">= a, <= b" first; "||" separates OR groups, at
//    most 32 of them; inside a group constraints are separated by spaces or commas;
//  - x, X and * wildcards ("1.2.x", "1.*", "*") make a constraint "dirty";
//  - a pre-release version satisfies an AND group only when some constraint of that group
//    names a pre-release (v3.4.0 #267), e.g. ">=1.0.0-0 <2.0.0" admits 1.5.0-rc.1.
//
// Only v3.5.0 is modelled. Older Flux releases pin older versions (go.mod of each
// image-reflector-controller tag), which differ as follows; nothing here selects them:
//   Flux 2.3 (IRC v0.32) v3.2.1 · 2.4 (v0.33) v3.3.0 · 2.5 (v0.34) v3.3.1 · 2.6 (v0.35) v3.3.0
//   Flux 2.7 (IRC v1.0) and 2.8 (v1.1) v3.4.0 · Flux 2.9 (IRC v1.2) v3.5.0
//  - before v3.5.0: no length or group limit, and "improper constraint: …" shows the part
//    unquoted (%s rather than %q); versions are not limited to 256 bytes;
//  - before v3.4.0: a pre-release version passes only comparators that name a pre-release
//    themselves (per comparator, not per AND group), and the error reads "constraint Parser
//    Error";
//  - v3.3.1 alone: NewVersion refuses leading zeros, so "2025.01.02" is no version.
// The four regular expressions below are the same in all of them.
//
// Masterminds reads a range with four Go regular expressions. Go's engine is linear; run by a
// backtracking engine the same patterns are exponential ("1   1   1 … 1 !" of 43 characters
// took minutes), so they are not run here. Each is replaced by a scan that gives the answer
// Go's leftmost-first matching gives:
//   cv    = v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?
//   ops   = =||!=|>|<|>=|=>|<=|=<|~|~>|\^
//   constraintRangeRegex = \s*(cv)\s+-\s+(cv)\s*                    (rewriteRange, FindAll)
//   validConstraintRegex = ^(\s*(ops)\s*(cv)\s*)((?:\s+|,\s*)(ops)\s*(cv)\s*)*$   (one OR group)
//   findConstraintRegex  = (ops)\s*(cv)                              (its constraints, FindAll)
//   constraintRegex      = ^\s*(ops)\s*(cv)\s*$                     (one constraint, submatches)
// Go's \s is [\t\n\f\r ] (not \v, not Unicode spaces). cv is deterministic: at each step the
// next character decides, so its greedy match is also its longest, and a string is a whole cv
// exactly when that match reaches its end. In a group that validConstraintRegex accepts, every
// constraint is an operator (the whole run of operator characters), spaces, and a cv running
// to the next space, comma or end, and findConstraintRegex finds exactly those constraints,
// so one pass over the group both validates it and splits it.
// test/core/semver.test.ts checks the scan against the four patterns run by re2js (RE2).

import { quoteGo } from '../go/quote.js'
import { utf8Length } from '../go/strings.js'
import { newVersion, comparePrerelease, type Version } from './version.js'

// MaxConstraintLen and MaxConstraintGroups.
const MAX_CONSTRAINT_LEN = 512
const MAX_CONSTRAINT_GROUPS = 32

type Op = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^'

const OPS: ReadonlySet<string> = new Set<Op>(['', '=', '!=', '>', '<', '>=', '=>', '<=', '=<', '~', '~>', '^'])

interface Constraint {
  con: Version
  orig: string
  op: Op
  minorDirty: boolean
  patchDirty: boolean
  dirty: boolean
}

export class ConstraintError extends Error {}

// Ranges that parsed; a range is at most MAX_CONSTRAINT_LEN bytes, so this holds at most ~2 MB of keys.
const parsed = new Map<string, Constraints>()
const PARSED_MAX = 4096

export class Constraints {
  private constructor(
    private readonly groups: Constraint[][],
    private readonly containsPre: boolean[],
  ) {}

  /**
   * semver.NewConstraint; throws ConstraintError with Masterminds' message. A Constraints is
   * immutable, so a range already parsed is not parsed again: a fleet or a large repository
   * holds thousands of policies with a handful of ranges.
   */
  static parse(range: string): Constraints {
    let c = parsed.get(range)
    if (c === undefined) {
      if (parsed.size >= PARSED_MAX) parsed.clear()
      c = Constraints.parseNew(range)
      parsed.set(range, c)
    }
    return c
  }

  private static parseNew(range: string): Constraints {
    if (utf8Length(range) > MAX_CONSTRAINT_LEN) throw new ConstraintError(`constraint string is too long (max ${MAX_CONSTRAINT_LEN} bytes)`)
    const ors = rewriteRange(range).split('||')
    if (ors.length > MAX_CONSTRAINT_GROUPS) throw new ConstraintError(`too many constraint groups (max ${MAX_CONSTRAINT_GROUPS})`)
    const groups: Constraint[][] = []
    const hasPre: boolean[] = []
    for (const v of ors) {
      const scanned = scanGroup(v)
      if (scanned === undefined) throw new ConstraintError(`improper constraint: ${quoteGo(v)}`)
      const group = scanned.map(([op, cv]) => parseConstraint(op, cv))
      groups.push(group)
      hasPre.push(group.some((c) => c.con.pre !== ''))
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

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
// [0-9|x|X|\*]: a version segment (the | is literal in a character class).
const isSeg = (c: number): boolean => isDigit(c) || c === 0x78 || c === 0x58 || c === 0x2a || c === 0x7c
// [0-9A-Za-z\-]: a pre-release or build identifier.
const isIdent = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d
// The characters of ops.
const isOpChar = (c: number): boolean => c === 0x3d || c === 0x21 || c === 0x3e || c === 0x3c || c === 0x7e || c === 0x5e

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++
  return i
}

/** A cv as constraintRegex's groups hold it: 2 (text), 3 (major), 4 and 5 without their dot, 6 (with its dash). */
interface Cv {
  end: number
  text: string
  major: string
  minor?: string
  patch?: string
  pre: string
}

/** The greedy (and longest) cv at i, or undefined when none starts there. */
function matchCv(s: string, i: number): Cv | undefined {
  const start = i
  if (s.charCodeAt(i) === 0x76) i++ // v
  const segs: string[] = []
  for (;;) {
    const from = i
    while (isSeg(s.charCodeAt(i))) i++
    if (i === from) return undefined // only the major segment can be missing here
    segs.push(s.slice(from, i))
    // A dot belongs to the version only when a segment follows it.
    if (segs.length === 3 || s.charCodeAt(i) !== 0x2e || !isSeg(s.charCodeAt(i + 1))) break
    i++
  }
  let pre = ''
  if (s.charCodeAt(i) === 0x2d && isIdent(s.charCodeAt(i + 1))) {
    const from = i
    i = identifiersEnd(s, i + 1)
    pre = s.slice(from, i)
  }
  if (s.charCodeAt(i) === 0x2b && isIdent(s.charCodeAt(i + 1))) i = identifiersEnd(s, i + 1)
  return { end: i, text: s.slice(start, i), major: segs[0] as string, ...(segs[1] !== undefined ? { minor: segs[1] } : {}), ...(segs[2] !== undefined ? { patch: segs[2] } : {}), pre }
}

// [0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)* from i, where an identifier character is known to stand.
function identifiersEnd(s: string, i: number): number {
  for (;;) {
    while (isIdent(s.charCodeAt(i))) i++
    if (s.charCodeAt(i) !== 0x2e || !isIdent(s.charCodeAt(i + 1))) return i
    i++
  }
}

// The cv grammar as a DFA, to find which suffixes of a word are a whole cv.
const enum St {
  Dead = -1,
  Init,
  V, // after v
  Major,
  Dot1,
  Minor,
  Dot2,
  Patch,
  Dash,
  Pre,
  PreDot,
  Plus,
  Build,
  BuildDot,
}
const STATES = 13
const ACCEPTING = [St.Major, St.Minor, St.Patch, St.Pre, St.Build]

function step(st: St, c: number): St {
  switch (st) {
    case St.Init:
      return c === 0x76 ? St.V : isSeg(c) ? St.Major : St.Dead
    case St.V:
      return isSeg(c) ? St.Major : St.Dead
    case St.Major:
    case St.Minor:
    case St.Patch:
      if (isSeg(c)) return st
      if (c === 0x2e) return st === St.Major ? St.Dot1 : st === St.Minor ? St.Dot2 : St.Dead
      return c === 0x2d ? St.Dash : c === 0x2b ? St.Plus : St.Dead
    case St.Dot1:
      return isSeg(c) ? St.Minor : St.Dead
    case St.Dot2:
      return isSeg(c) ? St.Patch : St.Dead
    case St.Dash:
    case St.PreDot:
      return isIdent(c) ? St.Pre : St.Dead
    case St.Pre:
      return isIdent(c) ? St.Pre : c === 0x2e ? St.PreDot : c === 0x2b ? St.Plus : St.Dead
    case St.Plus:
    case St.BuildDot:
      return isIdent(c) ? St.Build : St.Dead
    case St.Build:
      return isIdent(c) ? St.Build : c === 0x2e ? St.BuildDot : St.Dead
    case St.Dead:
      return St.Dead
  }
}

/**
 * The smallest q in [from, end) such that s[q:end] is a whole cv, or -1. Every start is run at
 * once; two runs in the same state have the same future, so only the earlier start is kept.
 */
function earliestCvSuffix(s: string, from: number, end: number): number {
  let starts = new Array<number>(STATES).fill(-1)
  let next = new Array<number>(STATES).fill(-1)
  for (let k = from; k < end; k++) {
    const c = s.charCodeAt(k)
    next.fill(-1)
    for (let st = 0; st < STATES; st++) {
      const q = st === St.Init ? k : (starts[st] as number)
      if (q < 0) continue
      const to = step(st, c)
      if (to === St.Dead) continue
      const had = next[to] as number
      if (had < 0 || q < had) next[to] = q
    }
    ;[starts, next] = [next, starts]
  }
  let best = -1
  for (const st of ACCEPTING) {
    const q = starts[st] as number
    if (q >= 0 && (best < 0 || q < best)) best = q
  }
  return best
}
/**
 * rewriteRange: every constraintRangeRegex match of the original text, in order, is replaced
 * by ">= a, <= b " at the first place its text occurs in the text rewritten so far
 * (strings.Replace(o, match, t, 1)), which can be an earlier place than the match's own.
 */
function rewriteRange(i: string): string {
  let o = i
  let from = 0
  for (let m = findRange(i, from); m !== undefined; m = findRange(i, from)) {
    const t = `>= ${m.low}, <= ${m.high} `
    o = o.replace(i.slice(m.start, m.end), () => t)
    from = m.end
  }
  return o
}

/**
 * The leftmost match of \s*(cv)\s+-\s+(cv)\s* at or after `from`. The first cv is followed
 * by a space, so it is a whole word's suffix; the second is the greedy cv after " - ". The
 * match starts at the leftmost such suffix, or at the spaces before it when it is the whole
 * word, and ends after the spaces that follow the second cv.
 */
function findRange(s: string, from: number): { start: number; end: number; low: string; high: string } | undefined {
  let spaces = from
  while (spaces < s.length) {
    const word = skipSpace(s, spaces)
    let end = word
    while (end < s.length && !isSpace(s.charCodeAt(end))) end++
    if (end === word) return undefined
    let j = skipSpace(s, end)
    if (j > end && s.charCodeAt(j) === 0x2d && isSpace(s.charCodeAt(j + 1))) {
      j = skipSpace(s, j + 1)
      const high = matchCv(s, j)
      const q = high === undefined ? -1 : earliestCvSuffix(s, word, end)
      if (high !== undefined && q >= 0) return { start: q === word ? spaces : q, end: skipSpace(s, high.end), low: s.slice(q, end), high: high.text }
    }
    spaces = end
  }
  return undefined
}

/**
 * One OR group: its constraints as (operator, cv) when validConstraintRegex accepts it, as
 * findConstraintRegex and constraintRegex then read them; undefined when it does not.
 */
function scanGroup(g: string): [Op, Cv][] | undefined {
  const out: [Op, Cv][] = []
  let i = skipSpace(g, 0)
  for (;;) {
    const opStart = i
    while (isOpChar(g.charCodeAt(i))) i++
    const op = g.slice(opStart, i)
    if (!OPS.has(op)) return undefined
    const cv = matchCv(g, skipSpace(g, i))
    // The cv must run to a space, a comma or the end: nothing else may follow it.
    if (cv === undefined || (cv.end < g.length && !isSpace(g.charCodeAt(cv.end)) && g.charCodeAt(cv.end) !== 0x2c)) return undefined
    out.push([op as Op, cv])
    i = skipSpace(g, cv.end)
    if (i === g.length) return out
    if (g.charCodeAt(i) === 0x2c) i = skipSpace(g, i + 1)
  }
}

const isX = (x: string | undefined): boolean => x === 'x' || x === '*' || x === 'X'

// parseConstraint: a wildcard, or a missing part, makes the constraint dirty from there on;
// the version is then rebuilt from the parts before it (dropping "v" and any build metadata).
function parseConstraint(op: Op, cv: Cv): Constraint {
  let ver = cv.text
  let minorDirty = false
  let patchDirty = false
  let dirty = false
  if (isX(cv.major)) {
    ver = `0.0.0${cv.pre}`
    dirty = true
  } else if (cv.minor === undefined || isX(cv.minor)) {
    minorDirty = true
    dirty = true
    ver = `${cv.major}.0.0${cv.pre}`
  } else if (cv.patch === undefined || isX(cv.patch)) {
    dirty = true
    patchDirty = true
    ver = `${cv.major}.${cv.minor}.0${cv.pre}`
  }
  const parsed = newVersion(ver)
  if (!parsed.ok) throw new ConstraintError('constraint parser error')
  return { con: parsed.version, orig: cv.text, op, minorDirty, patchDirty, dirty }
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
