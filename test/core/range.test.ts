// rangeRisks: what explain policy and lint say about a semver range without any tags.

import { describe, expect, it } from 'vitest'
import { rangeRisks } from '../../src/core/policy/range.js'
import { ConstraintError } from '../../src/core/semver/constraints.js'

describe('rangeRisks', () => {
  it.each([
    ['>=1.0.0 <2.0.0', { unbounded: false, prerelease: false, satisfiable: true }],
    ['~1.2', { unbounded: false, prerelease: false, satisfiable: true }],
    ['^0.3.1', { unbounded: false, prerelease: false, satisfiable: true }],
    ['1.2.x', { unbounded: false, prerelease: false, satisfiable: true }],
    ['>=1.0.0', { unbounded: true, prerelease: false, satisfiable: true }],
    ['*', { unbounded: true, prerelease: false, satisfiable: true }],
    ['!=2.0.0', { unbounded: true, prerelease: false, satisfiable: true }],
    ['>=1.0.0 <2.0.0 || >=3.0.0', { unbounded: true, prerelease: false, satisfiable: true }],
    ['>=1.0.0-0 <2.0.0', { unbounded: false, prerelease: true, satisfiable: true }],
    ['>=1.0.0-rc.1 <1.0.0', { unbounded: false, prerelease: true, satisfiable: true }],
    ['>=2.0.0 <1.0.0', { unbounded: false, prerelease: false, satisfiable: false }],
    ['>1.2.3 <1.2.4', { unbounded: false, prerelease: false, satisfiable: false }],
    ['>=1.2.3 <=1.2.3', { unbounded: false, prerelease: false, satisfiable: true }],
    ['<0.0.0', { unbounded: false, prerelease: false, satisfiable: false }],
    ['>=1.2.3 !=1.2.3 <1.2.4', { unbounded: false, prerelease: false, satisfiable: false }],
    ['>=1.2.3 !=1.2.3 <1.3.0', { unbounded: false, prerelease: false, satisfiable: true }],
  ])('%s', (range, risks) => {
    expect(rangeRisks(range)).toEqual(risks)
  })

  it('throws Masterminds\' error for a range that does not parse', () => {
    expect(() => rangeRisks('one point two')).toThrow(ConstraintError)
  })
})
