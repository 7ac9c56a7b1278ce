// A position (Glushkov) automaton over ASCII for a subset pattern, run as a lazily built DFA.
// It answers "does the pattern match somewhere in the string" in one pass over the input,
// whatever the pattern: no backtracking, so (a+)+$ costs the same as a+$. It also tells
// whether the pattern is one-pass (deterministic), which is when a backtracking engine is
// linear on it too.

import type { CharSet, Node, SubsetPattern } from './regexp-subset.js'

/** Patterns whose bounded repeats expand past this many positions go to re2js instead. */
const MAX_POSITIONS = 4000
/** The DFA cache is dropped and rebuilt when it grows past this many states. */
const MAX_STATES = 4096

interface Frag {
  nullable: boolean
  first: number[]
  last: number[]
}

export class Automaton {
  private readonly classes: CharSet[] = []
  private readonly follow: Set<number>[] = []
  private readonly first: number[]
  private readonly lastSet: Uint8Array
  private readonly nullable: boolean
  /** True when every choice point is decided by the next character. */
  readonly deterministic: boolean

  private stateIds = new Map<string, number>()
  private stateSets: number[][] = []
  // Per state: 1 accepting, 2 dead (no position left and no new start possible).
  private flags = new Uint8Array(64)
  // trans[state * 128 + c]: next state, or -1 when not computed yet.
  private trans = new Int32Array(64 * 128).fill(-1)
  private readonly start: number

  private constructor(
    root: Node,
    private readonly anchoredStart: boolean,
    private readonly anchoredEnd: boolean,
  ) {
    const frag = this.build(root)
    this.first = frag.first
    this.nullable = frag.nullable
    this.lastSet = new Uint8Array(this.classes.length)
    for (const p of frag.last) this.lastSet[p] = 1
    this.deterministic = this.checkDeterministic()
    this.start = this.stateFor([], true)
  }

  /** Does the pattern match the empty string? */
  get matchesEmpty(): boolean {
    return this.nullable
  }

  /** Is every character the pattern can match one that `test` accepts? */
  matchesOnly(test: (c: number) => boolean): boolean {
    return this.classes.every((set) => set.every((member, c) => member === 0 || test(c)))
  }

  static build(p: SubsetPattern): Automaton | undefined {
    try {
      return new Automaton(p.root, p.anchoredStart, p.anchoredEnd)
    } catch (e) {
      if (e instanceof TooLarge) return undefined
      throw e
    }
  }

  private position(set: CharSet): number {
    if (this.classes.length >= MAX_POSITIONS) throw new TooLarge()
    this.classes.push(set)
    this.follow.push(new Set())
    return this.classes.length - 1
  }

  private link(from: number[], to: number[]): void {
    for (const f of from) {
      const set = this.follow[f] as Set<number>
      for (const t of to) set.add(t)
    }
  }

  private build(node: Node): Frag {
    switch (node.t) {
      case 'empty':
        return { nullable: true, first: [], last: [] }
      case 'set': {
        const p = this.position(node.set)
        return { nullable: false, first: [p], last: [p] }
      }
      case 'group':
        return this.build(node.node)
      case 'alt': {
        const parts = node.items.map((n) => this.build(n))
        return {
          nullable: parts.some((f) => f.nullable),
          first: parts.flatMap((f) => f.first),
          last: parts.flatMap((f) => f.last),
        }
      }
      case 'cat':
        return node.items.map((n) => this.build(n)).reduce((a, b) => this.concat(a, b), { nullable: true, first: [], last: [] })
      case 'rep':
        return this.repeat(node)
    }
  }

  private concat(a: Frag, b: Frag): Frag {
    this.link(a.last, b.first)
    return {
      nullable: a.nullable && b.nullable,
      first: a.nullable ? [...a.first, ...b.first] : a.first,
      last: b.nullable ? [...a.last, ...b.last] : b.last,
    }
  }

  private repeat(node: Extract<Node, { t: 'rep' }>): Frag {
    let acc: Frag = { nullable: true, first: [], last: [] }
    if (node.max < 0) {
      // x{n,} is x^(n-1) followed by x+, and x* is an optional x+.
      for (let i = 0; i < node.min - 1; i++) acc = this.concat(acc, this.build(node.node))
      const loop = this.build(node.node)
      this.link(loop.last, loop.first)
      return this.concat(acc, node.min === 0 ? { ...loop, nullable: true } : loop)
    }
    for (let i = 0; i < node.min; i++) acc = this.concat(acc, this.build(node.node))
    for (let i = node.min; i < node.max; i++) acc = this.concat(acc, { ...this.build(node.node), nullable: true })
    return acc
  }

  // A Glushkov automaton is deterministic when the positions that can follow any point
  // (and the first positions) never share a character.
  private checkDeterministic(): boolean {
    const sets: Iterable<number>[] = [this.first, ...this.follow]
    for (const s of sets) {
      const seen = new Uint8Array(128)
      for (const p of s) {
        const cls = this.classes[p] as CharSet
        for (let c = 0; c < 128; c++) {
          if (!cls[c]) continue
          if (seen[c]) return false
          seen[c] = 1
        }
      }
    }
    return true
  }

  private stateFor(positions: number[], initial: boolean): number {
    const sorted = [...new Set(positions)].sort((a, b) => a - b)
    const key = (initial ? 'i' : '') + sorted.join(',')
    const known = this.stateIds.get(key)
    if (known !== undefined) return known
    const id = this.stateSets.length
    this.stateIds.set(key, id)
    this.stateSets.push(initial ? [-1, ...sorted] : sorted)
    if (id >= this.flags.length) {
      const flags = new Uint8Array(this.flags.length * 2)
      flags.set(this.flags)
      this.flags = flags
      const trans = new Int32Array(this.trans.length * 2).fill(-1)
      trans.set(this.trans)
      this.trans = trans
    }
    const accepting = (initial && this.nullable) || sorted.some((p) => this.lastSet[p] === 1)
    this.flags[id] = (accepting ? 1 : 0) | (!initial && sorted.length === 0 ? 2 : 0)
    return id
  }

  private step(state: number, c: number): number {
    const set = this.stateSets[state] as number[]
    const next: number[] = []
    for (const p of set) {
      const candidates = p < 0 ? this.first : (this.follow[p] as Set<number>)
      for (const q of candidates) if ((this.classes[q] as CharSet)[c]) next.push(q)
    }
    if (this.stateSets.length >= MAX_STATES) {
      // Drop the cache; the caller continues from the state returned, which is valid anew.
      this.reset()
      return this.stateFor(next, !this.anchoredStart)
    }
    const id = this.stateFor(next, !this.anchoredStart)
    this.trans[state * 128 + c] = id
    return id
  }

  private reset(): void {
    this.stateIds = new Map()
    this.stateSets = []
    this.flags = new Uint8Array(64)
    this.trans = new Int32Array(64 * 128).fill(-1)
    this.stateFor([], true)
  }

  /** Go's MatchString for an ASCII string. */
  matches(s: string): boolean {
    // Unanchored at the end, reaching an accepting state is a match; anchored, only at the end.
    const stopOn = this.anchoredEnd ? 2 : 3
    let state = this.start
    let flags = this.flags[state] as number
    if (flags & stopOn) return (flags & 1) === 1 && !this.anchoredEnd
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      let next = this.trans[state * 128 + c] as number
      if (next < 0) next = this.step(state, c)
      state = next
      flags = this.flags[state] as number
      if (flags & stopOn) return (flags & 1) === 1 && !this.anchoredEnd
    }
    return ((this.flags[state] as number) & 1) === 1
  }
}

class TooLarge extends Error {}
