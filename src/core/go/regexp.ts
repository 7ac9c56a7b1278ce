// Go's regexp package, as Flux uses it: Compile (with Go's error messages), MatchString,
// FindStringSubmatchIndex and ExpandString.
//
// re2js (a port of RE2) is the reference engine: every pattern is compiled by it, so syntax
// and error messages are Go's, and it runs whatever the faster engines cannot vouch for.
// Two fast paths keep Go's semantics on ASCII input:
//  - matching: a DFA built from the pattern (automaton.ts), linear whatever the pattern;
//  - submatches: V8's RegExp, only for patterns anchored at the start and one-pass, where
//    a backtracking engine cannot go superlinear and picks the same submatches as RE2's
//    leftmost-first rule, and only when no capture group sits under a repeat (JavaScript
//    resets such captures on each iteration, Go keeps the last one that matched).

import { RE2JS, RE2JSSyntaxException } from 're2js'
import { Automaton } from './automaton.js'
import { isAscii } from './strings.js'
import { type CharSet, type Node, parseSubset, type SubsetPattern } from './regexp-subset.js'
import { compileTemplate, type CompiledTemplate, expandCompiled } from './expand.js'

/** A pattern that Go's regexp.Compile rejects; the message is Go's error string. */
export class GoRegexpSyntaxError extends Error {}

export class GoRegexp {
  readonly subexpNames: string[]
  private readonly automaton?: Automaton
  private readonly js?: RegExp
  // Literals every match must start / end the text with (a cheap necessary condition).
  private readonly prefix: string = ''
  private readonly suffix: string = ''

  private constructor(
    readonly source: string,
    private readonly re2: RE2JS,
    subset: SubsetPattern | undefined,
    names: string[] | undefined,
  ) {
    this.subexpNames = subset ? subset.names : (names ?? namesFromRe2(re2))
    if (subset) {
      if (subset.anchoredStart) this.prefix = literalRun(subset.root, 'start')
      if (subset.anchoredEnd) this.suffix = literalRun(subset.root, 'end')
      this.automaton = Automaton.build(subset)
      if (this.automaton?.deterministic && subset.anchoredStart && captureSafe(subset.root, false)) {
        this.js = new RegExp(`^(?:${emit(subset.root)})${subset.anchoredEnd ? '$' : ''}`)
      }
    }
  }

  /**
   * regexp.Compile: throws GoRegexpSyntaxError with Go's message for an invalid pattern.
   * Compiled patterns are kept by source (the doctor replays thousands of policies that share
   * the default exclusion pattern); a GoRegexp's meaning never changes, only its DFA cache grows.
   */
  static compile(pattern: string): GoRegexp {
    const known = compiled.get(pattern)
    if (known instanceof GoRegexpSyntaxError) throw known
    if (known) return known
    let re: GoRegexp
    try {
      const { re2, names } = compileRe2(pattern)
      re = new GoRegexp(pattern, re2, parseSubset(pattern), names)
    } catch (e) {
      const err = e instanceof GoRegexpSyntaxError ? e : new GoRegexpSyntaxError(goErrorText(e, pattern))
      remember(pattern, err)
      throw err
    }
    remember(pattern, re)
    return re
  }

  /** Which engines serve this pattern (for tests and benchmarks). */
  get engines(): { match: 'dfa' | 're2'; submatch: 'v8' | 're2' } {
    return { match: this.automaton ? 'dfa' : 're2', submatch: this.js ? 'v8' : 're2' }
  }

  matchString(s: string): boolean {
    if (!this.literalsFit(s)) return false
    if (this.automaton && isAscii(s)) return this.automaton.matches(s)
    return this.re2.matcher(s).find()
  }

  private literalsFit(s: string): boolean {
    return (this.prefix === '' || s.startsWith(this.prefix)) && (this.suffix === '' || s.endsWith(this.suffix))
  }

  /**
   * FindStringSubmatch: the leftmost-first match and its groups (undefined for a group that
   * did not participate), or undefined when there is no match.
   */
  findSubmatch(s: string): ArrayLike<string | undefined> | undefined {
    if (!this.literalsFit(s)) return undefined
    if (this.automaton && isAscii(s)) {
      // The V8 path is linear for the patterns it serves, so it needs no DFA pass first.
      if (this.js) return this.js.exec(s) ?? undefined
      if (!this.automaton.matches(s)) return undefined
    }
    const m = this.re2.matcher(s)
    if (!m.find()) return undefined
    const out: (string | undefined)[] = []
    for (let i = 0; i <= this.re2.groupCount(); i++) {
      const g = m.group(i)
      out.push(g === null || g === undefined ? undefined : g)
    }
    return out
  }

  /** Compiles an ExpandString template against this pattern's groups. */
  template(template: string): CompiledTemplate {
    return compileTemplate(template, this.subexpNames)
  }

  /**
   * ExpandString over the first match, as Flux's filterTags.extract does; undefined when
   * the pattern does not match.
   */
  expand(template: CompiledTemplate, s: string): string | undefined {
    const groups = this.findSubmatch(s)
    if (!groups) return undefined
    return expandCompiled(template, groups)
  }
}

// The run of single characters a pattern must begin (or end) with, read from its top-level
// concatenation; with ^ (or $) the text must begin (or end) with it.
function literalRun(root: Node, side: 'start' | 'end'): string {
  const items = root.t === 'cat' ? root.items : [root]
  const ordered = side === 'start' ? items : [...items].reverse()
  let run = ''
  for (const n of ordered) {
    if (n.t !== 'set') break
    let only = -1
    for (let c = 0; c < 128; c++) {
      if (!n.set[c]) continue
      if (only >= 0) {
        only = -2
        break
      }
      only = c
    }
    if (only < 0) break
    run = side === 'start' ? run + String.fromCharCode(only) : String.fromCharCode(only) + run
  }
  return run
}

// re2js follows RE2, which rejects two groups of one name; Go accepts them (SubexpIndex and
// Expand take the leftmost that matched). Such a pattern is compiled with the later groups
// renamed, and its names are Go's.
function compileRe2(pattern: string): { re2: RE2JS; names?: string[] } {
  try {
    return { re2: RE2JS.compile(pattern) }
  } catch (e) {
    if (!(e instanceof RE2JSSyntaxException) || e.error !== 'duplicate capture group name') throw e
  }
  const renamed = renameDuplicateGroups(pattern)
  try {
    return { re2: RE2JS.compile(renamed.pattern), names: renamed.names }
  } catch (e) {
    // An error that quotes the whole expression quotes the user's, not the renamed one.
    throw new GoRegexpSyntaxError(goErrorText(e, pattern, renamed.pattern))
  }
}

// The pattern with every repeated group name made unique, and each group's Go name.
function renameDuplicateGroups(pattern: string): { pattern: string; names: string[] } {
  const names = ['']
  const seen = new Set<string>()
  const all = new Set([...pattern.matchAll(/\(\?P?<([A-Za-z0-9_]+)>/g)].map((m) => m[1] as string))
  let out = ''
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i] as string
    if (c === '\\' && pattern[i + 1] === 'Q') {
      const end = pattern.indexOf('\\E', i + 2)
      const stop = end < 0 ? pattern.length : end + 2
      out += pattern.slice(i, stop)
      i = stop
    } else if (c === '\\') {
      out += pattern.slice(i, i + 2)
      i += 2
    } else if (c === '[') {
      const stop = classEnd(pattern, i)
      out += pattern.slice(i, stop)
      i = stop
    } else if (c === '(') {
      const named = /^\((\?P?<)([A-Za-z0-9_]+)>/.exec(pattern.slice(i))
      if (named) {
        const name = named[2] as string
        names.push(name)
        let unique = name
        for (let k = 2; seen.has(unique) || (unique !== name && all.has(unique)); k++) unique = `${name}_${k}`
        seen.add(unique)
        out += `(${named[1]}${unique}>`
        i += named[0].length
        continue
      }
      if (pattern[i + 1] !== '?') names.push('')
      out += c
      i++
    } else {
      out += c
      i++
    }
  }
  return { pattern: out, names }
}

// Just past the ']' closing the class that opens at `start` (parse.go's parseClass: a ']'
// first is a literal; [:name:] and escapes are skipped whole).
function classEnd(p: string, start: number): number {
  let i = start + 1
  if (p[i] === '^') i++
  let first = true
  while (i < p.length && (p[i] !== ']' || first)) {
    first = false
    if (p[i] === '[' && p[i + 1] === ':') {
      const end = p.indexOf(':]', i + 2)
      if (end >= 0) {
        i = end + 2
        continue
      }
    }
    i += p[i] === '\\' ? 2 : 1
  }
  return Math.min(i + 1, p.length)
}

/**
 * regexp/syntax's Error.Error(): "error parsing regexp: CODE: `EXPR`", the backquotes there
 * even when EXPR is empty (a trailing backslash). Limits hit while parsing (ErrLarge,
 * ErrNestingDepth) quote the whole expression.
 */
function goErrorText(e: unknown, pattern: string, compiledAs?: string): string {
  if (!(e instanceof RE2JSSyntaxException)) return e instanceof Error ? e.message : String(e)
  const wholeExpression = ['expression too large', 'expression nests too deeply', 'regexp/syntax: internal error']
  let expr = e.input ?? ''
  if (wholeExpression.includes(e.error) || (compiledAs !== undefined && expr === compiledAs)) expr = pattern
  return `error parsing regexp: ${e.error}: \`${expr}\``
}

const compiled = new Map<string, GoRegexp | GoRegexpSyntaxError>()
const MAX_COMPILED = 1000

function remember(pattern: string, value: GoRegexp | GoRegexpSyntaxError): void {
  if (compiled.size >= MAX_COMPILED) compiled.clear()
  compiled.set(pattern, value)
}

function namesFromRe2(re2: RE2JS): string[] {
  const names: string[] = Array.from({ length: re2.groupCount() + 1 }, () => '')
  for (const [name, index] of Object.entries(re2.namedGroups() as Record<string, number>)) names[index] = name
  return names
}

// No capture group under a repeat, and no repeat of something that can match empty
// (ECMAScript's empty-iteration check is another place where the engines could part).
function captureSafe(node: Node, underRepeat: boolean): boolean {
  switch (node.t) {
    case 'set':
    case 'empty':
      return true
    case 'group':
      return !underRepeat && captureSafe(node.node, underRepeat)
    case 'cat':
    case 'alt':
      return node.items.every((n) => captureSafe(n, underRepeat))
    case 'rep':
      return !nullable(node.node) && captureSafe(node.node, true)
  }
}

function nullable(node: Node): boolean {
  switch (node.t) {
    case 'set':
      return false
    case 'empty':
      return true
    case 'group':
      return nullable(node.node)
    case 'cat':
      return node.items.every(nullable)
    case 'alt':
      return node.items.some(nullable)
    case 'rep':
      return node.min === 0 || nullable(node.node)
  }
}

const hex = (c: number): string => '\\x' + c.toString(16).padStart(2, '0')

function emitSet(set: CharSet): string {
  const ranges: string[] = []
  for (let c = 0; c < 128; c++) {
    if (!set[c]) continue
    let end = c
    while (end + 1 < 128 && set[end + 1]) end++
    ranges.push(end === c ? hex(c) : `${hex(c)}-${hex(end)}`)
    c = end
  }
  return ranges.length === 1 && !ranges[0]?.includes('-') ? (ranges[0] as string) : `[${ranges.join('')}]`
}

/** JavaScript source with the same meaning over ASCII input; groups keep Go's numbering. */
function emit(node: Node): string {
  switch (node.t) {
    case 'set':
      return emitSet(node.set)
    case 'empty':
      return '(?:)'
    case 'group':
      return `(${emit(node.node)})`
    case 'cat':
      return node.items.map((n) => (n.t === 'alt' ? `(?:${emit(n)})` : emit(n))).join('')
    case 'alt':
      return node.items.map(emit).join('|')
    case 'rep': {
      const q = node.max < 0 ? (node.min === 0 ? '*' : node.min === 1 ? '+' : `{${node.min},}`) : node.min === 0 && node.max === 1 ? '?' : node.min === node.max ? `{${node.min}}` : `{${node.min},${node.max}}`
      return `(?:${emit(node.node)})${q}${node.greedy ? '' : '?'}`
    }
  }
}
