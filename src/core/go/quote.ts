// strconv.Quote, which fmt's %q verb uses for a string: a double-quoted Go literal in which
// printable runes (unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the
// ASCII space) stay as they are and everything else is escaped, in lower-case hex.
// A lone surrogate cannot come from Go's UTF-8 text; it is shown as U+FFFD, the rune Go
// decodes such input to.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

const SHORT: Record<number, string> = { 0x07: '\\a', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v' }

/** strconv.Quote(s): what fmt.Sprintf("%q", s) prints. */
export function quoteGo(s: string): string {
  let out = '"'
  for (const ch of s) {
    const r = ch.codePointAt(0) as number
    if (r === 0x22 || r === 0x5c) out += '\\' + ch
    else if (r >= 0x20 && r < 0x7f) out += ch
    else if (r < 0x80) out += SHORT[r] ?? '\\x' + hex(r, 2)
    else if (r >= 0xd800 && r <= 0xdfff) out += '\ufffd'
    else if (PRINTABLE.test(ch)) out += ch
    else out += r < 0x10000 ? '\\u' + hex(r, 4) : '\\U' + hex(r, 8)
  }
  return out + '"'
}

const hex = (r: number, width: number): string => r.toString(16).padStart(width, '0')
