// Verdicts for every tag, stored compactly: a code per tag in a typed array and shared reason
// strings, so a million tags cost a few arrays rather than a million objects. TagVerdict
// objects are built only when someone reads them (JSON output, or the rows a table shows).

import type { TagVerdict, Verdict } from './types.js'

export const VERDICTS: readonly Verdict[] = [
  'unevaluated',
  'excluded',
  'no-match',
  'collided',
  'not-a-version',
  'prerelease-excluded',
  'out-of-range',
  'not-numeric',
  'candidate',
  'tied',
  'winner',
]
const CODE = new Map<Verdict, number>(VERDICTS.map((v, i) => [v, i]))

export const REJECTED: ReadonlySet<Verdict> = new Set(['unevaluated', 'excluded', 'no-match', 'collided', 'not-a-version', 'prerelease-excluded', 'out-of-range', 'not-numeric'])

export class VerdictTable {
  private readonly codes: Uint8Array
  private readonly reasons: (string | undefined)[]
  private extracted: (string | undefined)[] | undefined

  constructor(readonly tags: readonly string[]) {
    this.codes = new Uint8Array(tags.length)
    this.reasons = new Array<string | undefined>(tags.length).fill(undefined)
  }

  get length(): number {
    return this.tags.length
  }

  set(i: number, verdict: Verdict, reason: string | undefined): void {
    this.codes[i] = CODE.get(verdict) as number
    this.reasons[i] = reason
  }

  setReason(i: number, reason: string): void {
    this.reasons[i] = reason
  }

  setExtracted(i: number, value: string): void {
    if (this.extracted === undefined) this.extracted = new Array<string | undefined>(this.tags.length).fill(undefined)
    this.extracted[i] = value
  }

  verdict(i: number): Verdict {
    return VERDICTS[this.codes[i] as number] as Verdict
  }

  hasExtracted(): boolean {
    return this.extracted !== undefined
  }

  at(i: number): TagVerdict {
    const v: TagVerdict = { tag: this.tags[i] as string, verdict: this.verdict(i) }
    const extracted = this.extracted?.[i]
    if (extracted !== undefined) v.extracted = extracted
    const reason = this.reasons[i]
    if (reason !== undefined) v.reason = reason
    return v
  }

  /** Indexes of the tags with one of these verdicts, at most `max` of them, in input order. */
  find(verdicts: readonly Verdict[], max = Infinity): number[] {
    const wanted = new Uint8Array(VERDICTS.length)
    for (const v of verdicts) wanted[CODE.get(v) as number] = 1
    const out: number[] = []
    for (let i = 0; i < this.codes.length && out.length < max; i++) if (wanted[this.codes[i] as number]) out.push(i)
    return out
  }

  /** How many tags have each verdict (verdicts with none are left out). */
  tally(): Map<Verdict, number> {
    const counts = new Array<number>(VERDICTS.length).fill(0)
    for (let i = 0; i < this.codes.length; i++) counts[this.codes[i] as number] = (counts[this.codes[i] as number] as number) + 1
    const out = new Map<Verdict, number>()
    counts.forEach((n, code) => n > 0 && out.set(VERDICTS[code] as Verdict, n))
    return out
  }

  toArray(): TagVerdict[] {
    const out = new Array<TagVerdict>(this.tags.length)
    for (let i = 0; i < this.tags.length; i++) out[i] = this.at(i)
    return out
  }
}
