// strconv.ParseFloat(s, 64) as Go implements it (src/strconv/atof.go), which is what Flux's
// numerical policy calls on every tag. JavaScript's Number() is not a substitute: it trims
// white space and accepts "0x10", "Infinity" only and "" (as 0), while Go rejects " 5",
// "0x10" (a hex mantissa needs a p exponent) and "", accepts "1_000", "inf", "NaN" and
// "0x1p4", and reports an overflow ("1e400") as an error.

export type ParseFloatResult = { ok: true; value: number } | { ok: false; reason: string }

const lower = (c: string): string => c.toLowerCase()

/** Parses like Go's strconv.ParseFloat(s, 64); on failure gives a reason a person can read. */
export function parseGoFloat(s: string): ParseFloatResult {
  const special = parseSpecial(s)
  if (special !== undefined) return { ok: true, value: special }
  const read = readFloat(s)
  if (!read.ok) return { ok: false, reason: syntaxReason(s) }
  if (read.end !== s.length) return { ok: false, reason: syntaxReason(s) }
  const value = read.hex ? hexValue(read) : decimalValue(s)
  if (!Number.isFinite(value)) return { ok: false, reason: 'value out of range for a 64-bit float' }
  return { ok: true, value }
}

// special(): "inf", "infinity" (optionally signed) and "nan", ignoring case; the whole string
// must be consumed or ParseFloat reports a syntax error.
function parseSpecial(s: string): number | undefined {
  let rest = s
  let sign = 1
  if (rest.startsWith('+') || rest.startsWith('-')) {
    if (rest[0] === '-') sign = -1
    rest = rest.slice(1)
    const l = rest.toLowerCase()
    if (l === 'inf' || l === 'infinity') return sign * Infinity
    return undefined
  }
  const l = rest.toLowerCase()
  if (l === 'inf' || l === 'infinity') return Infinity
  if (l === 'nan') return Number.NaN
  return undefined
}

interface ReadFloat {
  ok: boolean
  end: number
  hex: boolean
  neg: boolean
  mantissa: string
  dotAt: number
  exp: number
}

// readFloat(): optional sign, optional 0x prefix, digits with at most one dot and underscores,
// optional exponent (e or p); a hex mantissa must have a p exponent.
function readFloat(s: string): ReadFloat {
  const out: ReadFloat = { ok: false, end: 0, hex: false, neg: false, mantissa: '', dotAt: -1, exp: 0 }
  let i = 0
  let underscores = false
  if (i >= s.length) return out
  if (s[i] === '+') i++
  else if (s[i] === '-') {
    out.neg = true
    i++
  }
  let base = 10
  let expChar = 'e'
  if (i + 2 < s.length && s[i] === '0' && lower(s[i + 1] ?? '') === 'x') {
    base = 16
    i += 2
    expChar = 'p'
    out.hex = true
  }
  let sawDot = false
  let sawDigits = false
  for (; i < s.length; i++) {
    const c = s[i] as string
    if (c === '_') {
      underscores = true
      continue
    }
    if (c === '.') {
      if (sawDot) break
      sawDot = true
      out.dotAt = out.mantissa.length
      continue
    }
    if ((c >= '0' && c <= '9') || (base === 16 && lower(c) >= 'a' && lower(c) <= 'f')) {
      sawDigits = true
      out.mantissa += c
      continue
    }
    break
  }
  if (!sawDigits) return { ...out, end: i }
  if (i < s.length && lower(s[i] as string) === expChar) {
    i++
    if (i >= s.length) return { ...out, end: i }
    let esign = 1
    if (s[i] === '+') i++
    else if (s[i] === '-') {
      i++
      esign = -1
    }
    if (i >= s.length || (s[i] as string) < '0' || (s[i] as string) > '9') return { ...out, end: i }
    let e = 0
    for (; i < s.length && (((s[i] as string) >= '0' && (s[i] as string) <= '9') || s[i] === '_'); i++) {
      if (s[i] === '_') {
        underscores = true
        continue
      }
      if (e < 10000) e = e * 10 + Number(s[i])
    }
    out.exp = e * esign
  } else if (base === 16) {
    return { ...out, end: i }
  }
  if (underscores && !underscoreOK(s.slice(0, i))) return { ...out, end: i }
  return { ...out, ok: true, end: i }
}

// underscoreOK(): an underscore must sit between digits, or between a base prefix and a digit.
function underscoreOK(str: string): boolean {
  let saw = '^'
  let i = 0
  let s = str
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1)
  let hex = false
  if (s.length >= 2 && s[0] === '0' && ['b', 'o', 'x'].includes(lower(s[1] as string))) {
    i = 2
    saw = '0'
    hex = lower(s[1] as string) === 'x'
  }
  for (; i < s.length; i++) {
    const c = s[i] as string
    if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
      saw = '0'
      continue
    }
    if (c === '_') {
      if (saw !== '0') return false
      saw = '_'
      continue
    }
    if (saw === '_') return false
    saw = '!'
  }
  return saw !== '_'
}

// A syntactically valid decimal literal without underscores is something Number() parses with
// the same correctly rounded result as Go.
function decimalValue(s: string): number {
  return Number(s.replaceAll('_', ''))
}

function hexValue(r: ReadFloat): number {
  const digits = r.mantissa.replace(/^0+/, '')
  if (digits === '') return r.neg ? -0 : 0
  const fractionDigits = r.dotAt < 0 ? 0 : r.mantissa.length - r.dotAt
  const binaryExp = r.exp - 4 * fractionDigits
  const m = BigInt('0x' + digits)
  let value: number
  if (binaryExp >= 0) value = binaryExp > 2000 ? Infinity : Number(m << BigInt(binaryExp))
  else value = Number(m) / 2 ** Math.min(-binaryExp, 1100) / 2 ** Math.max(0, -binaryExp - 1100)
  return r.neg ? -value : value
}

function syntaxReason(s: string): string {
  if (s === '') return 'empty string'
  if (s.trim() !== s) return 'leading or trailing white space'
  if (/^[+-]?0[xX][0-9a-fA-F_.]+$/.test(s)) return 'a hexadecimal number needs a p exponent'
  if (s.includes('_')) return 'underscores must sit between digits'
  return 'not a number'
}
