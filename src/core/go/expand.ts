// regexp.(*Regexp).ExpandString's template language (src/regexp/regexp.go, expand/extract):
//  - "$$" is a literal "$";
//  - "$name" / "${name}": name is the longest run of letters, digits and "_", so "$1x" names
//    a group called "1x" (usually none, hence empty), while "${1}x" is group 1 then "x";
//  - an all-digit name without a leading zero (and below 1e8) is a group number;
//  - a group that does not exist, or did not participate, expands to "";
//  - a "$" not followed by a valid reference is copied as is.

const NAME_CHAR = /[\p{L}\p{Nd}_]/u

export function expandTemplate(template: string, groups: readonly (string | undefined)[], names: readonly string[]): string {
  let out = ''
  let t = template
  for (;;) {
    const dollar = t.indexOf('$')
    if (dollar < 0) break
    out += t.slice(0, dollar)
    t = t.slice(dollar + 1)
    if (t.startsWith('$')) {
      out += '$'
      t = t.slice(1)
      continue
    }
    const ref = extractRef(t)
    if (!ref) {
      out += '$'
      continue
    }
    t = ref.rest
    if (ref.num >= 0) {
      out += groups[ref.num] ?? ''
    } else {
      const index = names.indexOf(ref.name)
      if (index > 0) out += groups[index] ?? ''
    }
  }
  return out + t
}

function extractRef(str: string): { name: string; num: number; rest: string } | undefined {
  let s = str
  if (s === '') return undefined
  const brace = s[0] === '{'
  if (brace) s = s.slice(1)
  let i = 0
  for (const ch of s) {
    if (!NAME_CHAR.test(ch)) break
    i += ch.length
  }
  if (i === 0) return undefined
  const name = s.slice(0, i)
  if (brace) {
    if (i >= s.length || s[i] !== '}') return undefined
    i++
  }
  let num = 0
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k)
    if (c < 0x30 || c > 0x39 || num >= 1e8) {
      num = -1
      break
    }
    num = num * 10 + (c - 0x30)
  }
  if (name[0] === '0' && name.length > 1) num = -1
  return { name, num, rest: s.slice(i) }
}
