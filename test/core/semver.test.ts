import { RE2JS } from 're2js'
import { describe, expect, it } from 'vitest'
import { quoteGo } from '../../src/core/go/quote.js'
import { ConstraintError, Constraints } from '../../src/core/semver/constraints.js'
import { newVersion, parseFluxVersion, type Version } from '../../src/core/semver/version.js'

function v(s: string): Version {
  const p = newVersion(s)
  if (!p.ok) throw new Error(`bad test version ${s}: ${p.reason}`)
  return p.version
}

// Cases from Masterminds/semver v3.4.0 TestConstraintCheck, plus the v3.4.0 rule that a
// pre-release anywhere in an AND group admits pre-releases for the whole group.
const checks: [string, string, boolean][] = [
  ['=2.0.0', '1.2.3', false],
  ['=2.0.0', '2.0.0', true],
  ['=2.0', '2.0.1', true],
  ['4.1', '4.1.0', true],
  ['!=4.1.0', '4.1.0', false],
  ['!=4.1.0', '4.1.1', true],
  ['!=4.1', '4.1.1', false],
  ['!=4.1-alpha', '4.1.0', true],
  ['!=4.1', '5.1.0', true],
  ['<11', '0.1.0', true],
  ['<11', '11.1.0', false],
  ['<1.1', '1.1.1', false],
  ['<=11', '11.2.3', true],
  ['<=11', '12.2.3', false],
  ['<=1.1', '1.1.1', true],
  ['<=1.1', '1.2.3', false],
  ['>1.1', '1.1.0', false],
  ['>0', '0.0.1-alpha', false],
  ['>0.0.0-0', '0.0.0-alpha', true],
  ['>1.2.3-alpha.1', '1.3.3-alpha.2', true],
  ['>11', '11.1.0', false],
  ['>11.1', '11.1.1', false],
  ['>11.1', '11.2.1', true],
  ['>=11.1', '11.0.2', false],
  ['>=0', '0.0.1-alpha', false],
  ['>=0-0', '0.0.1-alpha', true],
  ['>=0.0.0-0', '3.4.5-beta.1', true],
  ['<0-z', '0.0.0-alpha', true],
  ['*', '4.5.6', true],
  ['*', '1.2.3-alpha.1', false],
  ['*-0', '1.2.3-alpha.1', true],
  ['2.*', '3.4.5', false],
  ['2.*', '2.1.1', true],
  ['2.1.*', '2.2.1', false],
  ['2', '2.1.1', true],
  ['~1.2.3', '1.2.4', true],
  ['~1.2.3', '1.3.4', false],
  ['~1', '1.2.4', true],
  ['~1', '2.3.4', false],
  ['~1.2.3-beta.2', '1.2.4-beta.2', true],
  ['~1.2.3-beta.2', '1.3.4-beta.2', false],
  ['^1.2.3', '1.8.9', true],
  ['^1.2.3', '2.8.9', false],
  ['^1.2.0', '1.2.1-alpha.1', false],
  ['^1.2.0-alpha.0', '1.2.1-alpha.1', true],
  ['^1.2.0-alpha.2', '1.2.0-alpha.1', false],
  ['^0.2.3', '0.5.6', false],
  ['^0.0.3', '0.0.4', false],
  ['^0.0', '0.1.4', false],
  ['^0', '0.2.3', true],
  ['^0.2.3-beta.2', '0.2.4-beta.2', true],
  // ranges, commas, ORs, hyphen ranges
  ['>=1.0.0 <2.0.0', '1.9.9', true],
  ['>=1.0.0 <2.0.0', '2.0.0', false],
  ['>=1.0.0, <2.0.0', '1.0.0', true],
  ['<1.0.0 || >=3.0.0', '2.0.0', false],
  ['<1.0.0 || >=3.0.0', '3.1.0', true],
  ['1.1 - 2', '2.5.0', true],
  ['1.2.3 - 1.4.5', '1.4.6', false],
  ['1.2.3 - 1.4.5', '1.3.0', true],
  // v3.4.0: the pre-release in one comparator opens its whole AND group …
  ['>=1.0.0-0 <2.0.0', '1.5.0-rc.1', true],
  ['>=3.12.x-0', '3.12.0-1', true],
  // … but not the other OR groups.
  ['>=1.0.0 <2.0.0 || >=3.0.0-0', '1.5.0-rc.1', false],
  ['>=1.0.0 <2.0.0 || >=3.0.0-0', '3.5.0-rc.1', true],
  ['>=1.0.0', '2.0.330-63-gc1cfb6864', false],
  ['>=2.0.300-0', '2.0.330-63-gc1cfb6864', true],
  ['v1.x', 'v1.9.0', true],
]

describe('Masterminds constraints', () => {
  it.each(checks)('%j checks %j: %j', (range, version, want) => {
    expect(Constraints.parse(range).check(v(version))).toBe(want)
  })

  it.each([
    ['>=1.0 <<', 'improper constraint: ">=1.0 <<"'],
    ['', 'improper constraint: ""'],
    ['latest', 'improper constraint: "latest"'],
    ['>= 1.0 || foo', 'improper constraint: " foo"'],
  ])('rejects %j with %j', (range, message) => {
    expect(() => Constraints.parse(range)).toThrow(new ConstraintError(message))
  })
})

/** 'ok', or the ConstraintError's message. */
function parseOutcome(range: string): string {
  try {
    Constraints.parse(range)
    return 'ok'
  } catch (e) {
    if (!(e instanceof ConstraintError)) throw e
    return e.message
  }
}

// Masterminds v3.5.0 (image-reflector-controller v1.2), read from its constraints.go and
// version.go: the limits, and %q in "improper constraint".
describe('Masterminds v3.5.0 limits and messages', () => {
  const spaces = (n: number): string => ' '.repeat(n)
  const ors = (n: number, part = '1'): string => Array(n).fill(part).join('||')
  it.each([
    // At most 512 bytes, counted before anything is parsed, in UTF-8.
    ['512 bytes', '>=1.0.0' + spaces(505), 'ok'],
    ['513 bytes', '>=1.0.0' + spaces(506), 'constraint string is too long (max 512 bytes)'],
    ['511 characters, 512 bytes', '>=1.0.0' + spaces(503) + 'é', `improper constraint: ">=1.0.0${spaces(503)}é"`],
    ['512 characters, 513 bytes', '>=1.0.0' + spaces(504) + 'é', 'constraint string is too long (max 512 bytes)'],
    // At most 32 OR groups, counted before any group is validated.
    ['32 groups', ors(32), 'ok'],
    ['33 groups', ors(33), 'too many constraint groups (max 32)'],
    ['33 improper groups', ors(33, 'x!'), 'too many constraint groups (max 32)'],
    ['32 improper groups', ors(32, 'x!'), 'improper constraint: "x!"'],
    ['41 empty groups', '||'.repeat(40), 'too many constraint groups (max 32)'],
    ['150 groups', ors(150), 'too many constraint groups (max 32)'],
    ['300 groups, 898 bytes', ors(300), 'constraint string is too long (max 512 bytes)'],
    // The failing part is quoted as Go's %q quotes it.
    ['a tab, quoted as \\t', '>=1.0.0 \t<', 'improper constraint: ">=1.0.0 \\t<"'],
    ['\\v, which is no space to Go', '>=1.0.0\v', 'improper constraint: ">=1.0.0\\v"'],
    ['a no-break space, which is no space to Go', '>=1.0.0 \u00a0', 'improper constraint: ">=1.0.0 \\u00a0"'],
    ['a printable non-ASCII character, kept', '≥1.0.0', 'improper constraint: "≥1.0.0"'],
    ['double quotes, escaped', '"1"', 'improper constraint: "\\"1\\""'],
    ['only the failing group', '1 - 2 || 3 -', 'improper constraint: " 3 -"'],
    ['the group as rewriteRange left it', '1.2.3.4 - 2', 'improper constraint: "1.>= 2.3.4, <= 2 "'],
    // The version a constraint stands for may have at most 256 bytes, or the constraint is
    // "constraint parser error"; a wildcard's version is rebuilt without "v" and build metadata.
    ['a 256-byte version', '>=1.0.0-' + 'a'.repeat(250), 'ok'],
    ['a 257-byte version', '>=1.0.0-' + 'a'.repeat(251), 'constraint parser error'],
    ['a 257-byte version with build metadata', '1.0.0+' + 'b'.repeat(251), 'constraint parser error'],
    ['a wildcard rebuilt to 256 bytes', '1.x-' + 'a'.repeat(250), 'ok'],
    ['a wildcard rebuilt to 257 bytes', '1.x-' + 'a'.repeat(251), 'constraint parser error'],
    ['a wildcard whose build metadata is dropped', '1.0+' + 'b'.repeat(300), 'ok'],
  ])('%s', (_, range, want) => {
    expect(parseOutcome(range)).toBe(want)
  })

  it('refuses a tag of more than 256 bytes as no version', () => {
    expect(parseFluxVersion('1.0.0-' + 'a'.repeat(250)).ok).toBe(true)
    expect(parseFluxVersion('1.0.0-' + 'a'.repeat(251))).toEqual({ ok: false, reason: 'version string is too long (max 256 bytes)' })
    expect(parseFluxVersion('1.0.0+' + 'é'.repeat(126))).toEqual({ ok: false, reason: 'version string is too long (max 256 bytes)' })
    expect(parseFluxVersion('1.0.0+' + 'é'.repeat(125)).ok).toBe(false) // é is no identifier character
  })
})

// Issue 18: ranges that took minutes under a backtracking engine. Their timing is in the
// bench (npm run bench); here only their answers.
describe('pathological ranges', () => {
  const ones = (n: number, sep: string): string => Array(n).fill('1').join(sep) + ' !'
  it.each([14, 20, 32, 47, 64])('%i tokens of "1   1 … 1 !" are an improper constraint', (n) => {
    expect(() => Constraints.parse(ones(n, '   '))).toThrow(new ConstraintError(`improper constraint: "${ones(n, '   ')}"`))
  })
  it.each([
    ['100,000 digits', '1'.repeat(100_000), 'constraint string is too long (max 512 bytes)'],
    ['100,000 spaces', ' '.repeat(100_000), 'constraint string is too long (max 512 bytes)'],
    ['100,000 ORs', '||'.repeat(50_000), 'constraint string is too long (max 512 bytes)'],
    ['200 commas', ', '.repeat(200) + '1', `improper constraint: "${', '.repeat(200)}1"`],
    ['a 500-byte run of commas and spaces after a version', '1' + ' ,'.repeat(250), `improper constraint: "1${' ,'.repeat(250)}"`],
    ['85 hyphen ranges', Array(85).fill('1 - 2').join(' '), 'ok'],
    ['a 509-digit segment', '>=1' + '0'.repeat(509), 'constraint parser error'],
  ])('%s', (_, range, want) => {
    expect(parseOutcome(range)).toBe(want)
  })
})

describe('Flux ParseVersion (fluxcd/pkg/version)', () => {
  it.each([
    ['v1.2.3', true],
    ['v2025.07.03', true],
    ['v1.0', false],
    ['v1', false],
    ['v1.2.beta', false],
    ['v1.2-5', false],
    ['v1.2-beta5', false],
    ['\nv1.2', false],
    ['v1.2.0-x.Y.0+metadata', true],
    ['v1.2.0-x.Y.0+metadata-width-hypen', true],
    ['v1.2.3-rc1-with-hypen', true],
    ['v1.2.3.4', false],
    ['20240101', false],
    ['1.2.3-01', false], // numeric pre-release identifiers may not have a leading zero
    ['1.2.3-rc.01a', true],
    ['1.2-rc.1.3', true], // SplitN(v, ".", 3) has three parts; NewVersion reads 1.2.0-rc.1.3
    ['V1.2.3', false],
    ['18446744073709551615.0.0', true],
    ['18446744073709551616.0.0', false],
  ])('%j parses: %j', (tag, ok) => {
    expect(parseFluxVersion(tag).ok).toBe(ok)
  })

  it('orders pre-releases as Masterminds does', () => {
    const order = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0']
    for (let i = 1; i < order.length; i++) expect(v(order[i - 1] as string).compare(v(order[i] as string))).toBe(-1)
    // Non-numeric identifiers compare as ASCII: rc9 sorts above rc10.
    expect(v('1.0.0-rc9').compare(v('1.0.0-rc10'))).toBe(1)
    expect(v('v1.2.3').compare(v('1.2.3+build'))).toBe(0)
    expect(v('2025.01.02').compare(v('2025.1.2'))).toBe(0)
    expect(newVersion('99999999999999999999.0.0').ok).toBe(false)
    // Segments beyond 2^53 stay exact.
    expect(v('9007199254740993.0.0').compare(v('9007199254740992.0.0'))).toBe(1)
  })
})

describe('newVersion matches the loose regex exactly', () => {
  // Masterminds' looseSemVerRegex, run by JavaScript's engine, as the oracle.
  const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/
  const alphabet = ['1', '0', '.', '-', '+', 'v', 'a', 'Z', '_', ' ']
  it('on every string of up to five characters from a small alphabet', () => {
    let checked = 0
    const walk = (s: string): void => {
      if (s.length > 0) {
        const m = LOOSE.exec(s)
        const ours = newVersion(s)
        if (m === null) expect(ours.ok, s).toBe(false)
        else if (ours.ok) expect([ours.version.pre, ours.version.build], s).toEqual([m[5] ?? '', m[8] ?? ''])
        else expect(ours.reason, s).toMatch(/leading zero|64 bits/)
        checked++
      }
      if (s.length < 5) for (const c of alphabet) walk(s + c)
    }
    walk('')
    expect(checked).toBeGreaterThan(100_000)
  })
})

// NewConstraint as Masterminds v3.5.0 writes it, with its four Go regular expressions run by
// re2js (RE2: Go's syntax, Go's leftmost-first submatches, linear time), as the oracle for the
// scan.
const CV = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?'
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^'
const constraintRangeRegex = RE2JS.compile(`\\s*(${CV})\\s+-\\s+(${CV})\\s*`)
const validConstraintRegex = RE2JS.compile(`^(\\s*(${OPS})\\s*(${CV})\\s*)((?:\\s+|,\\s*)(${OPS})\\s*(${CV})\\s*)*$`)
const findConstraintRegex = RE2JS.compile(`(${OPS})\\s*(${CV})`)
const constraintRegex = RE2JS.compile(`^\\s*(${OPS})\\s*(${CV})\\s*$`)

type Outcome = { error: string } | { groups: string[][]; pre: boolean[] }

function goNewConstraint(c: string): Outcome {
  if (Buffer.byteLength(c) > 512) return { error: 'constraint string is too long (max 512 bytes)' }
  const found: [string, string, string][] = []
  for (const m = constraintRangeRegex.matcher(c); m.find(); ) found.push([m.group(0), m.group(1), m.group(11)])
  let o = c
  for (const [all, low, high] of found) o = o.replace(all, () => `>= ${low}, <= ${high} `)
  const groups: string[][] = []
  const pre: boolean[] = []
  const ors = o.split('||')
  if (ors.length > 32) return { error: 'too many constraint groups (max 32)' }
  for (const v of ors) {
    if (!validConstraintRegex.matcher(v).find()) return { error: `improper constraint: ${quoteGo(v)}` }
    const cs: string[] = []
    for (const m = findConstraintRegex.matcher(v); m.find(); ) cs.push(m.group(0))
    if (cs.length === 0) cs.push(v)
    const group: string[] = []
    let hasPre = false
    for (const s of cs) {
      const m = constraintRegex.matcher(s)
      if (!m.find()) return { error: `improper constraint: ${quoteGo(s)}` }
      const g = (k: number): string => m.group(k) ?? ''
      let ver = g(2)
      let flags = 'clean'
      if (['x', 'X', '*'].includes(g(3)) || g(3) === '') [ver, flags] = [`0.0.0${g(6)}`, 'dirty']
      else if (['x', 'X', '*'].includes(g(4).slice(1)) || g(4) === '') [ver, flags] = [`${g(3)}.0.0${g(6)}`, 'minorDirty']
      else if (['x', 'X', '*'].includes(g(5).slice(1)) || g(5) === '') [ver, flags] = [`${g(3)}${g(4)}.0${g(6)}`, 'patchDirty']
      const p = newVersion(ver)
      if (!p.ok) return { error: 'constraint parser error' }
      if (p.version.pre !== '') hasPre = true
      group.push(`${g(1)} ${p.version.toString()} ${flags}`)
    }
    groups.push(group)
    pre.push(hasPre)
  }
  return { groups, pre }
}

function ourNewConstraint(c: string): Outcome {
  let parsed: Constraints
  try {
    parsed = Constraints.parse(c)
  } catch (e) {
    if (!(e instanceof ConstraintError)) throw e
    return { error: e.message }
  }
  const described = parsed.describe()
  const flags = (k: { dirty: boolean; minorDirty: boolean; patchDirty: boolean }): string => (k.minorDirty ? 'minorDirty' : k.patchDirty ? 'patchDirty' : k.dirty ? 'dirty' : 'clean')
  return { groups: described.map((g) => g.map((k) => `${k.op} ${k.version.toString()} ${flags(k)}`)), pre: described.map((_, i) => parsed.groupAdmitsPrerelease(i)) }
}

describe('the range scan agrees with Masterminds\' regular expressions run by RE2', () => {
  it('on every string of up to three characters from an alphabet of range characters', () => {
    const alphabet = ['1', '0', '.', '-', ' ', ',', '|', '>', '=', '<', '~', '^', '!', 'x', 'v', '+', 'a', '\v']
    let checked = 0
    const walk = (s: string): void => {
      expect(ourNewConstraint(s), JSON.stringify(s)).toEqual(goNewConstraint(s))
      checked++
      if (s.length < 3) for (const c of alphabet) walk(s + c)
    }
    walk('')
    expect(checked).toBe(1 + 18 + 18 ** 2 + 18 ** 3)
  })

  it('on 3,000 ranges strung together from range-like pieces', () => {
    const pieces = ['1', '2.3', '1.2.3', '0', '01', '18446744073709551616', 'x', '*', '1.x', 'X.1', 'v1', 'v', '-', ' - ', '  -  ', ' ', '  ', '\t', '\n', '\v', ',', ', ', ' ,', '||', '|', '>=', '<=', '>', '<', '=', '!=', '!', '~', '~>', '^', '=>', '=<', '-rc.1', '-0', '-01', '-a-b', '+b', '+b.c', '.', '.4', 'a', 'é']
    let seed = 42
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    for (let k = 0; k < 3000; k++) {
      let s = ''
      for (let parts = 1 + next(12); parts > 0; parts--) s += pieces[next(pieces.length)]
      expect(ourNewConstraint(s), JSON.stringify(s)).toEqual(goNewConstraint(s))
    }
  })

  it('on 300 long ranges, up to and past the limits', () => {
    const pieces = ['1', '1.2.3', 'x', ' - ', ' ', ',', '||', '>=', '<', '~', '-rc.1', '+b', '.', 'a']
    let seed = 7
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % n
    }
    for (let k = 0; k < 300; k++) {
      let s = ''
      for (let parts = 50 + next(250); parts > 0; parts--) s += pieces[next(pieces.length)]
      expect(ourNewConstraint(s), JSON.stringify(s)).toEqual(goNewConstraint(s))
    }
  })

  it.each([
    ['1.2.3.4 - 2', 'a hyphen range starting inside a word'],
    ['1 - 2 - 3 - 4', 'chained hyphens'],
    ['1 - 2||3', 'a | inside the second version'],
    ['1 - 2 - 2 - 2', 'a match whose text first occurs inside an earlier replacement'],
    ['x1.2 - 3 || 1 - 2 || 1 - 2', 'repeated ranges'],
    [Array(20).fill('1').join('   ') + ' !', 'the exponential case of issue 18'],
    [Array(20).fill('1').join(' , ') + ' ,', 'a trailing comma'],
    [Array(85).fill('1 - 2').join(' '), '85 hyphen ranges'],
    [Array(32).fill('1 - 2').join('||'), '32 groups of hyphen ranges'],
  ])('on %j (%s)', (range) => {
    expect(ourNewConstraint(range)).toEqual(goNewConstraint(range))
  })
})
