import { describe, expect, it } from 'vitest'
import { quoteGo } from '../../src/core/go/quote.js'

// Expected values are what Go's strconv.Quote returns for the same text.
describe('quoteGo (strconv.Quote)', () => {
  it.each([
    ['', '""'],
    ['>=1.0 <<', '">=1.0 <<"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\x07\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\x00\x1b\x7f', '"\\x00\\x1b\\x7f"'],
    ['é≥€', '"é≥€"'],
    ['\u00a0\u00ad\u2028\u3000', '"\\u00a0\\u00ad\\u2028\\u3000"'],
    ['\u{1F600}', '"\u{1F600}"'],
    ['\u{E0001}', '"\\U000e0001"'],
    ['\ud800x', '"\ufffdx"'],
  ])('%j → %s', (s, want) => {
    expect(quoteGo(s)).toBe(want)
  })
})
