// strconv.ParseFloat(s, 64) as Go implements it (src/strconv/atof.go), which is what Flux's
// numerical policy calls on every tag. JavaScript's Number() is not a substitute: it trims
// white space and accepts "0x10", "Infinity" only and "" (as 0), while Go rejects " 5",
// "0x10" (a hex mantissa needs a p exponent) and "", accepts "1_000", "inf", "NaN" and
// "0x1p4", and reports an overflow ("1e400") as an error.

const lower = (c: string): string => c.toLowerCase()

/**
 * Parses like Go's strconv.ParseFloat(s, 64): the value, or undefined where Go returns an
 * error (goFloatError says why). NaN is a value, as in Go.
 */
export function parseGoFloat(s: string): number | undefined {
  if (isPlainInteger(s)) return Number(s) // the common case: a timestamp or build number
  const special = parseSpecial(s)
  if (special !== undefined) return special
  const read = readFloat(s)
  if (!read.ok || read.end !== s.length) return undefined
  const value = read.hex ? hexValue(read) : Number(read.underscores ? s.replaceAll('_', '') : s)
  // Go reports an overflow (±Inf) as an error; an explicit "inf" is handled above.
  return Number.isFinite(value) ? value : undefined
}

/** Why parseGoFloat rejected s, in words. */
export function goFloatError(s: string): string {
  const read = readFloat(s)
  if (read.ok && read.end === s.length) return 'value out of range for a 64-bit float'
  return syntaxReason(s)
}

function isPlainInteger(s: string): boolean {
  if (s.length === 0 || s.length > 15) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x30 || c > 0x39) return false
  }
  return true
}

// special(): "inf", "infinity" (optionally signed) and "nan", ignoring case; the whole string
// must be consumed or ParseFloat reports a syntax error.
function parseSpecial(s: string): number | undefined {
  let i = 0
  let sign = 1
  const c0 = s.charCodeAt(0)
  if (c0 === 0x2b || c0 === 0x2d) {
    if (c0 === 0x2d) sign = -1
    i = 1
  }
  const first = s.charCodeAt(i) | 0x20
  if (first !== 0x69 && first !== 0x6e) return undefined // neither i nor n: not special
  const l = s.slice(i).toLowerCase()
  if (l === 'inf' || l === 'infinity') return sign * Infinity
  if (l === 'nan' && i === 0) return Number.NaN
  return undefined
}

interface ReadFloat {
  ok: boolean
  end: number
  hex: boolean
  neg: boolean
  underscores: boolean
  /** Hex only: the mantissa digits, the digits after the dot, and the p exponent. */
  mantissa: string
  fractionDigits: number
  exp: number
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
const isHexLetter = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x66

// readFloat(): optional sign, optional 0x prefix, digits with at most one dot and underscores,
// optional exponent (e or p); a hex mantissa must have a p exponent.
function readFloat(s: string): ReadFloat {
  const out: ReadFloat = { ok: false, end: 0, hex: false, neg: false, underscores: false, mantissa: '', fractionDigits: 0, exp: 0 }
  let i = 0
  if (s.length === 0) return out
  if (s[0] === '+') i++
  else if (s[0] === '-') {
    out.neg = true
    i++
  }
  if (i + 2 < s.length && s[i] === '0' && (s.charCodeAt(i + 1) | 0x20) === 0x78) {
    out.hex = true
    i += 2
  }
  const digitsStart = i
  let sawDot = false
  let sawDigits = false
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x5f) {
      out.underscores = true
    } else if (c === 0x2e) {
      if (sawDot) break
      sawDot = true
    } else if (isDigit(c) || (out.hex && isHexLetter(c))) {
      sawDigits = true
    } else {
      break
    }
  }
  out.end = i
  if (!sawDigits) return out
  if (out.hex) {
    const body = s.slice(digitsStart, i).replaceAll('_', '')
    const dot = body.indexOf('.')
    out.mantissa = body.replace('.', '')
    out.fractionDigits = dot < 0 ? 0 : body.length - dot - 1
  }
  const expChar = out.hex ? 0x70 : 0x65
  if (i < s.length && (s.charCodeAt(i) | 0x20) === expChar) {
    i++
    if (i >= s.length) return { ...out, end: i }
    let esign = 1
    if (s[i] === '+') i++
    else if (s[i] === '-') {
      i++
      esign = -1
    }
    if (i >= s.length || !isDigit(s.charCodeAt(i))) return { ...out, end: i }
    let e = 0
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i)
      if (c === 0x5f) {
        out.underscores = true
        continue
      }
      if (!isDigit(c)) break
      if (e < 10000) e = e * 10 + (c - 0x30)
    }
    out.exp = e * esign
  } else if (out.hex) {
    return { ...out, end: i }
  }
  out.end = i
  if (out.underscores && !underscoreOK(s.slice(0, i))) return out
  out.ok = true
  return out
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

// A syntactically valid decimal literal, underscores removed, is something Number() parses
// with the same correctly rounded result as Go.

function hexValue(r: ReadFloat): number {
  const digits = r.mantissa.replace(/^0+/, '')
  if (digits === '') return r.neg ? -0 : 0
  const binaryExp = r.exp - 4 * r.fractionDigits
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
