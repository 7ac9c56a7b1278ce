import { describe, expect, it } from 'vitest'
import { Constraints } from '../../src/core/semver/constraints.js'
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
    ['>=1.0 <<', 'improper constraint: >=1.0 <<'],
    ['', 'improper constraint: '],
    ['latest', 'improper constraint: latest'],
    ['>= 1.0 || foo', 'improper constraint:  foo'],
  ])('rejects %j with %j', (range, message) => {
    expect(() => Constraints.parse(range)).toThrow(message)
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
