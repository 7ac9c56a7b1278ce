// Go compares strings byte by byte over their UTF-8 encoding. JavaScript compares UTF-16
// code units, which disagrees only when a surrogate (a code point above U+FFFF) meets a
// code unit in U+E000..U+FFFF: in UTF-8 the astral code point sorts higher. Code-point
// order is UTF-8 byte order, so we compare code points.

/** strings.Compare(a, b) as Go computes it: -1, 0 or +1 in UTF-8 byte order. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) return surrogateRank(x) < surrogateRank(y) ? -1 : 1
      return x < y ? -1 : 1
    }
  }
  return a.length < b.length ? -1 : 1
}

// Lifts surrogates above the BMP's private/use and specials block so that the order
// of code units matches the order of the code points they encode.
function surrogateRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit
}

/** True when the string is pure ASCII (then JS and Go agree on length, order and classes). */
export function isAscii(s: string): boolean {
  return !NON_ASCII.test(s)
}

const NON_ASCII = /[^\x00-\x7f]/

/**
 * len(s) in Go: the length of the UTF-8 encoding. A lone surrogate counts as the three bytes
 * of U+FFFD, which is what encoding it gives.
 */
export function utf8Length(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) n += 1
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2 // four bytes for the pair's two code units
      i++
    } else n += 2
  }
  return n
}
