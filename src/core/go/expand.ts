// regexp.(*Regexp).ExpandString's template language (src/regexp/regexp.go, expand/extract):
//  - "$$" is a literal "$";
//  - "$name" / "${name}": name is the longest run of letters, digits and "_", so "$1x" names
//    a group called "1x" (usually none, hence empty), while "${1}x" is group 1 then "x";
//  - an all-digit name without a leading zero (and below 1e8) is a group number;
//  - a group that does not exist, or did not participate, expands to "";
//  - a "$" not followed by a valid reference is copied as is;
//  - a name several groups share is the leftmost of them that participated.
// The template is compiled once into literal text and group indexes (-1: no such group; a
// list: the groups sharing a name).

const NAME_CHAR = /[\p{L}\p{Nd}_]/u

export type CompiledTemplate = (string | number | number[])[]

export function compileTemplate(template: string, names: readonly string[]): CompiledTemplate {
  const parts: CompiledTemplate = []
  let lit = ''
  let t = template
  for (;;) {
    const dollar = t.indexOf('$')
    if (dollar < 0) break
    lit += t.slice(0, dollar)
    t = t.slice(dollar + 1)
    if (t.startsWith('$')) {
      lit += '$'
      t = t.slice(1)
      continue
    }
    const ref = extractRef(t)
    if (!ref) {
      lit += '$'
      continue
    }
    t = ref.rest
    const named = ref.num >= 0 ? [] : names.flatMap((n, i) => (i > 0 && n === ref.name ? [i] : []))
    if (lit !== '') parts.push(lit)
    lit = ''
    parts.push(ref.num >= 0 ? ref.num : named.length > 1 ? named : (named[0] ?? -1))
  }
  lit += t
  if (lit !== '') parts.push(lit)
  return parts
}

export function expandCompiled(parts: CompiledTemplate, groups: ArrayLike<string | undefined>): string {
  let out = ''
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string | number | number[]
    if (typeof p === 'string') out += p
    else if (typeof p === 'number') out += p >= 0 ? (groups[p] ?? '') : ''
    else out += groups[p.find((g) => groups[g] !== undefined) ?? -1] ?? ''
  }
  return out
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
