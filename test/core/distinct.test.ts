import { describe, expect, it } from 'vitest'
import { distinct } from '../../src/core/distinct.js'

describe('distinct', () => {
  it('keeps the first of each string, in order', () => {
    expect(distinct(['b', 'a', 'b', '', 'c', 'a', ''])).toEqual(['b', 'a', '', 'c'])
    expect(distinct([])).toEqual([])
  })
  it('agrees with Set on many strings, collisions included', () => {
    const xs = Array.from({ length: 50_000 }, (_, i) => `${i % 7}.${i % 113}.${i % 1009}\u00e9${i % 3 ? '' : '\u{1F600}'}`)
    expect(distinct(xs)).toEqual([...new Set(xs)])
  })
})
