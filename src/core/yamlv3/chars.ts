// yaml.v3's character classes (yamlprivateh.go), on Unicode code points instead of UTF-8
// bytes. A position past the end reads as 0, as yaml.v3's zero-padded buffer does.

export const isAlpha = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d
export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39
export const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
export const asHex = (c: number): number => (c >= 0x41 && c <= 0x46 ? c - 0x41 + 10 : c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : c - 0x30)
export const isSpace = (c: number): boolean => c === 0x20
export const isTab = (c: number): boolean => c === 0x09
export const isBlank = (c: number): boolean => c === 0x20 || c === 0x09
export const isBreak = (c: number): boolean => c === 0x0d || c === 0x0a || c === 0x85 || c === 0x2028 || c === 0x2029
export const isBreakZ = (c: number): boolean => isBreak(c) || c === 0
export const isBlankZ = (c: number): boolean => isBlank(c) || isBreakZ(c)
export const isZ = (c: number): boolean => c === 0

/** The characters yaml.v3 writes as themselves (is_printable; 4-byte UTF-8 is not). */
export const isPrintable = (c: number): boolean =>
  c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)

/** The characters yaml.v3's reader accepts in a stream (readerc.go). */
export const isAllowedInStream = (c: number): boolean =>
  c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)

export function toCodePoints(s: string): number[] {
  const out: number[] = []
  for (const ch of s) out.push(ch.codePointAt(0) as number)
  return out
}
