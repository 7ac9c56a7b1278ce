import { describe, expect, it } from 'vitest'
import { goFloatError, parseGoFloat } from '../../src/core/go/parse-float.js'

// Expected values follow Go's strconv.ParseFloat(s, 64) (src/strconv/atof.go).
const valid: [string, number][] = [
  ['0', 0],
  ['42', 42],
  ['+5', 5],
  ['-5', -5],
  ['5.', 5],
  ['.5', 0.5],
  ['1e3', 1000],
  ['1E+3', 1000],
  ['1.5e-3', 0.0015],
  ['1_000', 1000],
  ['1_000.000_1', 1000.0001],
  ['1e1_0', 1e10],
  ['0x1p4', 16],
  ['0x1.8p1', 3],
  ['0X_1p0', 1],
  ['inf', Infinity],
  ['+Inf', Infinity],
  ['-infinity', -Infinity],
  ['INFINITY', Infinity],
  ['1e-400', 0],
  ['20260528153652', 20260528153652],
  ['00012', 12],
]

const invalid = ['', ' 5', '5 ', '0x10', '0x', '1e', 'e5', '.', '1__000', '_1', '1_', '1.2.3', '+nan', 'infin', '1e400', '-1e400', '0x1p2000', '20260528-153652', 'abc', '0b101', '0o17', '5-', '١٢']

describe('parseGoFloat follows strconv.ParseFloat', () => {
  it.each(valid)('accepts %j', (s, want) => {
    expect(parseGoFloat(s)).toBe(want)
  })
  it.each(invalid)('rejects %j', (s) => {
    expect(parseGoFloat(s)).toBeUndefined()
  })
  it('parses NaN (any case) as NaN', () => {
    for (const s of ['NaN', 'nan', 'NAN']) {
      expect(parseGoFloat(s)).toBeNaN()
    }
  })
  it('explains why a value is rejected', () => {
    expect(goFloatError(' 5')).toBe('leading or trailing white space')
    expect(goFloatError('0x10')).toBe('a hexadecimal number needs a p exponent')
    expect(goFloatError('1e400')).toBe('value out of range for a 64-bit float')
  })
})
