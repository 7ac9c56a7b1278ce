import { describe, expect, it } from 'vitest'
import { jsonPieces } from '../../src/render/json.js'

const whole = (v: unknown): string => [...jsonPieces(v)].join('')

describe('the JSON envelope, written in pieces', () => {
  it.each([
    ['scalars', [1, 'a\nb', true, null, -0, Number.NaN, Infinity]],
    ['empty collections, nested', { a: [], b: {}, c: [[], [{}]], d: { e: { f: [] } } }],
    ['what JSON.stringify leaves out or nulls', { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s')], d: 1 }],
    ['toJSON, at any depth', { when: new Date(0), list: [new Date(1)], custom: { toJSON: (k: string) => `key ${k}` } }],
    ['an enumerable getter', Object.defineProperty({ a: 1 }, 'tags', { enumerable: true, get: () => [{ tag: 'v1', verdict: 'winner' }] })],
    ['a long flat array and a wide object', { tags: Array.from({ length: 2500 }, (_, i) => `t${i}`), wide: Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i])) }],
    ['deep objects in a long array', Array.from({ length: 1200 }, (_, i) => ({ tag: `1.${i}`, verdict: 'candidate', nested: { reason: i % 2 ? 'x' : undefined, list: [i] } }))],
  ])('%s: exactly what JSON.stringify(v, null, 2) writes', (_name, value) => {
    expect(whole(value)).toBe(JSON.stringify(value, null, 2) + '\n')
  })

  it('writes 300,000 verdicts in pieces of about a megabyte, none of them the whole', () => {
    const tags = Array.from({ length: 300_000 }, (_, i) => ({ tag: `1.2.${i}`, verdict: 'out-of-range', reason: 'not in range ">=2.0.0"' }))
    const pieces = [...jsonPieces({ result: { replay: { tags } } })]
    expect(pieces.length).toBeGreaterThan(20)
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(2 * 1024 * 1024)
    const back = JSON.parse(pieces.join('')) as { result: { replay: { tags: unknown[] } } }
    expect(back.result.replay.tags).toHaveLength(300_000)
    expect(back.result.replay.tags[299_999]).toEqual(tags[299_999])
  }, 120_000)
})
