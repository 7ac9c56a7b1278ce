// Distinct strings in first-seen order. V8's Set spends ~300 ns per insert on a million short
// strings on a small machine; an open-addressing table keyed by 32-bit FNV-1a over the UTF-16
// code units does the same job two to three times faster, which matters for tag lists of a
// million lines.

const FNV_OFFSET = 0x811c9dc5 | 0
const FNV_PRIME = 0x01000193

/** Open addressing with linear probing; each slot holds [hash, position in `out`]. */
class Table {
  readonly mask: number
  readonly slots: Int32Array
  readonly out: string[] = []

  constructor(expected: number) {
    let cap = 16
    while (cap < expected * 1.5) cap <<= 1
    this.mask = cap - 1
    this.slots = new Int32Array(cap * 2).fill(-1)
  }

  /** The slot where hash h's probe finds `equal`, or the empty slot where it ends (negative: ~slot). */
  probe(h: number, equal: (existing: string) => boolean): number {
    let slot = h & this.mask
    for (;;) {
      const at = this.slots[2 * slot + 1] as number
      if (at < 0) return ~slot
      if (this.slots[2 * slot] === h && equal(this.out[at] as string)) return slot
      slot = (slot + 1) & this.mask
    }
  }

  insert(emptySlot: number, h: number, s: string): void {
    this.slots[2 * emptySlot] = h
    this.slots[2 * emptySlot + 1] = this.out.length
    this.out.push(s)
  }
}

/** At most `max` + 1 of them: one past `max` says there are more. */
export function distinct(xs: readonly string[], max = Infinity): string[] {
  const table = new Table(Math.min(xs.length, max + 1))
  for (const s of xs) {
    if (table.out.length > max) break
    let h = FNV_OFFSET
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME)
    const slot = table.probe(h, (e) => e === s)
    if (slot < 0) table.insert(~slot, h, s)
  }
  return table.out
}

/**
 * The distinct non-blank lines of a text, in first-seen order; a CRLF's \r belongs to the
 * line ending. One pass: a line is hashed where it lies, and only new lines become strings.
 * At most `max` + 1 of them, and a table sized for no more.
 */
export function distinctLines(text: string, max = Infinity): string[] {
  // Sized by the number of lines, which bounds the number of distinct ones: a guess from the
  // text's length let a list of short tags fill the table, and the probe then never ended.
  let lines = 1
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++
  const table = new Table(Math.min(lines, max + 1))
  const { slots, out, mask } = table
  const n = text.length
  let start = 0
  while (start < n && out.length <= max) {
    // Hash up to the end of the line.
    let h = FNV_OFFSET
    let end = start
    let c = 0
    for (; end < n; end++) {
      c = text.charCodeAt(end)
      if (c === 0x0a) break
      h = Math.imul(h ^ c, FNV_PRIME)
    }
    let stop = end
    if (stop > start && text.charCodeAt(stop - 1) === 0x0d) {
      stop--
      // Re-hash without the \r (rare: CRLF files only).
      h = FNV_OFFSET
      for (let i = start; i < stop; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME)
    }
    const len = stop - start
    if (len > 0) {
      let slot = h & mask
      for (;;) {
        const at = slots[2 * slot + 1] as number
        if (at < 0) {
          slots[2 * slot] = h
          slots[2 * slot + 1] = out.length
          out.push(text.slice(start, stop))
          break
        }
        if (slots[2 * slot] === h) {
          const e = out[at] as string
          if (e.length === len && text.startsWith(e, start)) break
        }
        slot = (slot + 1) & mask
      }
    }
    start = end + 1
  }
  return out
}
