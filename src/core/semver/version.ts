// Masterminds/semver v3.5.0's Version as NewVersion builds it (CoerceNewVersion = true, the
// default): at most 256 bytes (new in v3.5.0), the loose regex, uint64 segments (leading zeros
// allowed), and the spec's checks on pre-release and build identifiers. Flux parses tags with
// fluxcd/pkg/version.ParseVersion, which first requires strings.SplitN(tag, ".", 3) to give
// three parts.
//
// npm's `semver` package is not used: it differs from Masterminds on leading zeros, on
// "v" prefixes, on pre-release admission in ranges and on the range grammar.

import { utf8Length } from '../go/strings.js'

// Masterminds' looseSemVerRegex, which newVersion matches by hand:
//   ^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$
const UINT64_MAX = 18446744073709551615n
// MaxVersionLen, in bytes of UTF-8.
const MAX_VERSION_LEN = 256

/**
 * A segment: a number while it is exact in a double, a bigint beyond. The type follows from
 * the value, so equal segments are always === and mixed < / > compare correctly.
 */
export type Segment = number | bigint

export class Version {
  constructor(
    readonly major: Segment,
    readonly minor: Segment,
    readonly patch: Segment,
    readonly pre: string,
    readonly build: string,
    readonly original: string,
  ) {}

  /** Version.String(): without the "v" and with normalised numbers. */
  toString(): string {
    return `${this.major}.${this.minor}.${this.patch}${this.pre ? '-' + this.pre : ''}${this.build ? '+' + this.build : ''}`
  }

  compare(o: Version): number {
    const d = compareSegment(this.major, o.major) || compareSegment(this.minor, o.minor) || compareSegment(this.patch, o.patch)
    if (d !== 0) return d
    if (this.pre === '' && o.pre === '') return 0
    if (this.pre === '') return 1
    if (o.pre === '') return -1
    return comparePrerelease(this.pre, o.pre)
  }

  lessThan(o: Version): boolean {
    return this.compare(o) < 0
  }

  equal(o: Version): boolean {
    return this.compare(o) === 0
  }
}

export type VersionParse = { ok: true; version: Version } | { ok: false; reason: string }

function parseUint64(digits: string): Segment | undefined {
  if (digits.length <= 15) return Number(digits)
  const n = BigInt(digits)
  if (n > UINT64_MAX) return undefined
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n
}

const NOT_SEMVER: VersionParse = { ok: false, reason: 'not a semantic version' }
const TOO_LONG: VersionParse = { ok: false, reason: `version string is too long (max ${MAX_VERSION_LEN} bytes)` }

/**
 * semver.NewVersion with CoerceNewVersion = true. The loose regex is matched by hand (its
 * grammar has a single parse, so no backtracking is lost); the regex itself documents it.
 */
export function newVersion(v: string): VersionParse {
  const n = v.length
  // A UTF-16 code unit takes at most three bytes of UTF-8, so short strings need no count.
  if (n > MAX_VERSION_LEN / 3 && utf8Length(v) > MAX_VERSION_LEN) return TOO_LONG
  let i = v.charCodeAt(0) === 0x76 ? 1 : 0 // v
  const nums: string[] = []
  for (;;) {
    const start = i
    while (i < n && isDigit(v.charCodeAt(i))) i++
    if (i === start) return NOT_SEMVER
    nums.push(v.slice(start, i))
    if (nums.length === 3 || v.charCodeAt(i) !== 0x2e || !isDigit(v.charCodeAt(i + 1))) break
    i++ // the dot before the next number
  }
  let pre = ''
  let build = ''
  if (v.charCodeAt(i) === 0x2d) {
    const end = identifiersEnd(v, i + 1)
    if (end < 0) return NOT_SEMVER
    pre = v.slice(i + 1, end)
    i = end
  }
  if (v.charCodeAt(i) === 0x2b) {
    const end = identifiersEnd(v, i + 1)
    if (end < 0) return NOT_SEMVER
    build = v.slice(i + 1, end)
    i = end
  }
  if (i !== n) return NOT_SEMVER
  const major = parseUint64(nums[0] as string)
  const minor = nums[1] !== undefined ? parseUint64(nums[1]) : 0
  const patch = nums[2] !== undefined ? parseUint64(nums[2]) : 0
  if (major === undefined || minor === undefined || patch === undefined) {
    return { ok: false, reason: 'a version number does not fit in 64 bits' }
  }
  if (pre !== '') {
    const err = validatePrerelease(pre)
    if (err) return { ok: false, reason: err }
  }
  return { ok: true, version: new Version(major, minor, patch, pre, build, v) }
}

/** fluxcd/pkg/version.ParseVersion: at least three dot-separated parts, then NewVersion. */
export function parseFluxVersion(tag: string): VersionParse {
  let dots = 0
  for (let i = 0; i < tag.length && dots < 2; i++) if (tag.charCodeAt(i) === 0x2e) dots++
  if (dots < 2) {
    return { ok: false, reason: `has ${dots + 1} dot-separated part${dots ? 's' : ''}; Flux needs major.minor.patch` }
  }
  return newVersion(tag)
}

// The loose regex already limits identifiers to [0-9A-Za-z-]; what is left is the rule that
// numeric identifiers have no leading zero (build metadata has no such rule).
function validatePrerelease(p: string): string | undefined {
  const bad = LEADING_ZERO.exec(p)
  return bad ? `pre-release identifier "${bad[1]}" has a leading zero` : undefined
}

// A numeric identifier (all digits between dots) that starts with 0 and is longer than "0".
const LEADING_ZERO = /(?:^|\.)(0[0-9]+)(?=\.|$)/

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isIdentChar = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d

// Dot-separated non-empty identifiers of [0-9A-Za-z-] from `start`; the index after them, or
// -1 when there is not at least one well-formed identifier.
function identifiersEnd(v: string, start: number): number {
  let i = start
  for (;;) {
    const from = i
    while (i < v.length && isIdentChar(v.charCodeAt(i))) i++
    if (i === from) return -1
    if (v.charCodeAt(i) !== 0x2e) return i
    i++
  }
}

function compareSegment(a: Segment, b: Segment): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function comparePrerelease(v: string, o: string): number {
  const s = v.split('.')
  const t = o.split('.')
  const l = Math.max(s.length, t.length)
  for (let i = 0; i < l; i++) {
    const d = comparePrePart(s[i] ?? '', t[i] ?? '')
    if (d !== 0) return d
  }
  return 0
}

// Numeric identifiers (those strconv.ParseUint accepts: digits, within uint64) rank below
// alphanumeric ones and compare as numbers; alphanumerics compare as byte strings.
function comparePrePart(s: string, o: string): number {
  if (s === o) return 0
  if (s === '') return -1
  if (o === '') return 1
  const si = asUint(s)
  const oi = asUint(o)
  if (si === undefined && oi === undefined) return s > o ? 1 : -1
  if (oi === undefined) return -1
  if (si === undefined) return 1
  return si > oi ? 1 : -1
}

function asUint(s: string): bigint | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined
  const n = BigInt(s)
  return n > UINT64_MAX ? undefined : n
}
