import { describe, expect, it } from 'vitest'
import { distinct, distinctLines } from '../../src/core/distinct.js'

describe('distinct', () => {
  it('keeps the first of each string, in order', () => {
    expect(distinct(['b', 'a', 'b', '', 'c', 'a', ''])).toEqual(['b', 'a', '', 'c'])
    expect(distinct([])).toEqual([])
  })
  it('agrees with Set on many strings, collisions included', () => {
    const xs = Array.from({ length: 50_000 }, (_, i) => `${i % 7}.${i % 113}.${i % 1009}\u00e9${i % 3 ? '' : '\u{1F600}'}`)
    expect(distinct(xs)).toEqual([...new Set(xs)])
  })
  it('stops one past the most asked for', () => {
    expect(distinct(['a', 'b', 'a', 'c', 'd'], 2)).toEqual(['a', 'b', 'c'])
  })
})

describe('distinctLines', () => {
  it('splits, drops blank lines and CRs, and keeps the first of each line', () => {
    expect(distinctLines('b\na\r\nb\n\n\r\na\nc')).toEqual(['b', 'a', 'c'])
    expect(distinctLines('')).toEqual([])
    expect(distinctLines(' 5\n5 \n 5\n')).toEqual([' 5', '5 '])
  })
  it('agrees with split + Set on a large text', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => `${i % 7}.${i % 113}.${i % 101}${i % 5 ? '' : '\r'}`)
    const text = lines.join('\n')
    const oracle = [...new Set(lines.map((l) => l.replace(/\r$/, '')).filter((l) => l !== ''))]
    expect(distinctLines(text)).toEqual(oracle)
  })
  it('ends on a list of short tags (its table was sized from the text length, and filled up)', () => {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789'
    const tags = [...chars].flatMap((x) => [...chars].map((y) => x + y))
    expect(distinctLines(tags.join('\n'))).toEqual(tags)
  })
  it('stops one past the most asked for', () => {
    expect(distinctLines('a\nb\na\nc\nd\n', 2)).toEqual(['a', 'b', 'c'])
  })
})
