// A parser for the part of Go's RE2 syntax whose meaning we can state exactly over ASCII
// input: literals, escapes of punctuation, \d \w \s (Go's ASCII classes: \s is [\t\n\f\r ]),
// "." (any character but \n), bracket classes, groups (capturing, named, non-capturing),
// alternation, the quantifiers * + ? {n} {n,} {n,m} (greedy or lazy), and ^ / $ at the very
// start / end of the pattern (Go without (?m): beginning / end of text).
//
// Anything else (flags, \b, \pL, [[:alpha:]], \Q…\E, non-ASCII, anchors elsewhere) makes
// parseSubset() return undefined and the caller uses re2js, which implements Go's engine.
// The pattern has already been validated by re2js, so this parser only has to interpret
// valid Go syntax, never diagnose it.

export type CharSet = Uint8Array // 128 entries, 1 = member

export type Node =
  | { t: 'set'; set: CharSet }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; min: number; max: number; greedy: boolean; node: Node }
  | { t: 'group'; index: number; node: Node }
  | { t: 'empty' }

export interface SubsetPattern {
  root: Node
  anchoredStart: boolean
  anchoredEnd: boolean
  groupCount: number
  /** names[i] is the name of capture group i (index 0 is the whole match, always ''). */
  names: string[]
}

const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$'])

function newSet(): CharSet {
  return new Uint8Array(128)
}

function range(set: CharSet, lo: number, hi: number): CharSet {
  for (let c = lo; c <= hi; c++) set[c] = 1
  return set
}

function negate(set: CharSet): CharSet {
  const out = newSet()
  for (let c = 0; c < 128; c++) out[c] = set[c] ? 0 : 1
  return out
}

function union(into: CharSet, from: CharSet): void {
  for (let c = 0; c < 128; c++) if (from[c]) into[c] = 1
}

// Go's Perl classes (regexp/syntax perl_groups.go) are ASCII-only.
function perlClass(letter: string): CharSet | undefined {
  const s = newSet()
  switch (letter.toLowerCase()) {
    case 'd':
      range(s, 0x30, 0x39)
      break
    case 'w':
      range(s, 0x30, 0x39)
      range(s, 0x41, 0x5a)
      range(s, 0x61, 0x7a)
      s[0x5f] = 1
      break
    case 's':
      for (const c of [0x09, 0x0a, 0x0c, 0x0d, 0x20]) s[c] = 1
      break
    default:
      return undefined
  }
  return letter === letter.toUpperCase() ? negate(s) : s
}

const CONTROL_ESCAPES: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 }

class Unsupported extends Error {}

class Parser {
  private i = 0
  groupCount = 0
  names: string[] = ['']

  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation()
    if (this.i !== this.src.length) throw new Unsupported()
    return node
  }

  private peek(): string | undefined {
    return this.src[this.i]
  }

  private alternation(): Node {
    const items = [this.concatenation()]
    while (this.peek() === '|') {
      this.i++
      items.push(this.concatenation())
    }
    return items.length === 1 ? (items[0] as Node) : { t: 'alt', items }
  }

  private concatenation(): Node {
    const items: Node[] = []
    for (;;) {
      const c = this.peek()
      if (c === undefined || c === '|' || c === ')') break
      let atom = this.atom()
      atom = this.quantifiers(atom)
      items.push(atom)
    }
    if (items.length === 0) return { t: 'empty' }
    return items.length === 1 ? (items[0] as Node) : { t: 'cat', items }
  }

  private quantifiers(atom: Node): Node {
    for (;;) {
      const c = this.peek()
      let min: number
      let max: number
      if (c === '*' || c === '+' || c === '?') {
        this.i++
        ;[min, max] = c === '*' ? [0, -1] : c === '+' ? [1, -1] : [0, 1]
      } else if (c === '{') {
        const rep = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))
        // Go treats a "{" that does not start a valid repeat as a literal; so does the atom parser.
        if (!rep) return atom
        this.i += rep[0].length
        min = Number(rep[1])
        max = rep[2] === undefined ? min : rep[3] === '' ? -1 : Number(rep[3])
      } else {
        return atom
      }
      let greedy = true
      if (this.peek() === '?') {
        this.i++
        greedy = false
      }
      atom = { t: 'rep', min, max, greedy, node: atom }
    }
  }

  private atom(): Node {
    const c = this.src[this.i++] as string
    switch (c) {
      case '(':
        return this.group()
      case '[':
        return { t: 'set', set: this.bracket() }
      case '.':
        return { t: 'set', set: negate(range(newSet(), 0x0a, 0x0a)) }
      case '\\':
        return { t: 'set', set: this.escape(false) }
      case '{':
        // A "{" that would be a repeat here repeats something this parser stripped (an anchor).
        if (/^\d+(,\d*)?\}/.test(this.src.slice(this.i))) throw new Unsupported()
        return { t: 'set', set: this.literal(c) }
      case '^':
      case '$':
      case ')':
      case '*':
      case '+':
      case '?':
        throw new Unsupported()
      default:
        return { t: 'set', set: this.literal(c) }
    }
  }

  private literal(c: string): CharSet {
    const code = c.charCodeAt(0)
    if (code > 0x7f) throw new Unsupported()
    const s = newSet()
    s[code] = 1
    return s
  }

  private group(): Node {
    let index = -1
    if (this.src.startsWith('?:', this.i)) {
      this.i += 2
    } else if (this.src.startsWith('?P<', this.i) || this.src.startsWith('?<', this.i)) {
      this.i += this.src[this.i + 1] === 'P' ? 3 : 2
      const end = this.src.indexOf('>', this.i)
      const name = this.src.slice(this.i, end)
      this.i = end + 1
      index = ++this.groupCount
      this.names[index] = name
    } else if (this.peek() === '?') {
      throw new Unsupported() // flags such as (?i) or (?s:…)
    } else {
      index = ++this.groupCount
      this.names[index] = ''
    }
    const node = this.alternation()
    if (this.src[this.i++] !== ')') throw new Unsupported()
    return index < 0 ? node : { t: 'group', index, node }
  }

  private escape(inClass: boolean): CharSet {
    const c = this.src[this.i++]
    if (c === undefined) throw new Unsupported()
    const perl = perlClass(c)
    if (perl) return perl
    const control = CONTROL_ESCAPES[c]
    if (control !== undefined) return range(newSet(), control, control)
    if (c === 'x') {
      const hex = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i))
      if (!hex) throw new Unsupported()
      this.i += 2
      const code = parseInt(hex[0], 16)
      if (code > 0x7f) throw new Unsupported()
      return range(newSet(), code, code)
    }
    // Go: a backslash before any ASCII punctuation is that character; letters and digits
    // not handled above (\b, \pL, \Q, \z, octal …) are outside the subset.
    if (/[A-Za-z0-9]/.test(c) || c.charCodeAt(0) > 0x7f) throw new Unsupported()
    if (!inClass && !META.has(c) && !/[!-/:-@[-`{-~]/.test(c)) throw new Unsupported()
    return this.literal(c)
  }

  private bracket(): CharSet {
    let negated = false
    if (this.peek() === '^') {
      negated = true
      this.i++
    }
    const set = newSet()
    let first = true
    for (;;) {
      const c = this.src[this.i]
      if (c === undefined) throw new Unsupported()
      if (c === ']' && !first) {
        this.i++
        break
      }
      first = false
      if (c === '[' && this.src[this.i + 1] === ':') throw new Unsupported()
      const lo = this.classAtom()
      if (lo.single !== undefined && this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== undefined) {
        this.i++
        const hi = this.classAtom()
        if (hi.single === undefined) throw new Unsupported()
        range(set, lo.single, hi.single)
      } else {
        union(set, lo.set)
      }
    }
    return negated ? negate(set) : set
  }

  private classAtom(): { set: CharSet; single?: number } {
    const c = this.src[this.i++] as string
    if (c === '\\') {
      const set = this.escape(true)
      const members = [...set.keys()].filter((k) => set[k])
      return members.length === 1 ? { set, single: members[0] as number } : { set }
    }
    const set = this.literal(c)
    return { set, single: c.charCodeAt(0) }
  }
}

/** Parses a (re2js-validated) Go pattern when it lies in the exactly-understood subset. */
export function parseSubset(pattern: string): SubsetPattern | undefined {
  let body = pattern
  let anchoredStart = false
  let anchoredEnd = false
  if (body.startsWith('^')) {
    anchoredStart = true
    body = body.slice(1)
  }
  if (body.endsWith('$') && !endsWithEscapedDollar(body)) {
    anchoredEnd = true
    body = body.slice(0, -1)
  }
  try {
    const parser = new Parser(body)
    const root = parser.parse()
    // ^a|b$ is (^a)|(b$): an anchor binds to its own alternative, not to the whole pattern.
    if (root.t === 'alt' && (anchoredStart || anchoredEnd)) return undefined
    return { root, anchoredStart, anchoredEnd, groupCount: parser.groupCount, names: parser.names }
  } catch (e) {
    if (e instanceof Unsupported) return undefined
    throw e
  }
}

// "\$" at the end is a literal dollar, "\\$" is a literal backslash then an anchor.
function endsWithEscapedDollar(body: string): boolean {
  let backslashes = 0
  for (let i = body.length - 2; i >= 0 && body[i] === '\\'; i--) backslashes++
  return backslashes % 2 === 1
}
