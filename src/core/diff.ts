// A unified diff of two texts, by lines (Myers' O(ND) algorithm), as `diff -u` prints it.

type Op = { kind: ' ' | '-' | '+'; line: string }

// Myers keeps one V array per edit step: its memory is D × (n + m). Past this many cells it
// gives up, and diffOps pairs the lines instead (a valid diff, if not a minimal one).
const MAX_TRACE_CELLS = 20_000_000

function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length
  const m = b.length
  const max = n + m
  const v = new Int32Array(2 * max + 2)
  const trace: Int32Array[] = []
  const maxD = Math.max(1, Math.floor(MAX_TRACE_CELLS / (2 * max + 2)))
  for (let d = 0; d <= max; d++) {
    if (d > maxD) return undefined
    trace.push(v.slice())
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[max + k - 1] as number) < (v[max + k + 1] as number)) ? (v[max + k + 1] as number) : (v[max + k - 1] as number) + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v[max + k] = x
      if (x >= n && y >= m) return backtrack(trace, a, b, max, d)
    }
  }
  return []
}

/**
 * The edit script from `a` to `b`: the common head and tail kept, Myers' shortest script for
 * the middle, or, when that would cost too much (thousands of lines changed), the middle
 * paired line by line (equal lengths: each rewritten value in place) or replaced whole.
 */
function diffOps(a: string[], b: string[]): Op[] {
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const midA = a.slice(head, a.length - tail)
  const midB = b.slice(head, b.length - tail)
  let mid = myers(midA, midB)
  if (!mid) {
    mid = []
    if (midA.length === midB.length) {
      midA.forEach((line, i) => {
        if (line === midB[i]) (mid as Op[]).push({ kind: ' ', line })
        else (mid as Op[]).push({ kind: '-', line }, { kind: '+', line: midB[i] as string })
      })
    } else {
      for (const line of midA) mid.push({ kind: '-', line })
      for (const line of midB) mid.push({ kind: '+', line })
    }
  }
  const out: Op[] = []
  for (let i = 0; i < head; i++) out.push({ kind: ' ', line: a[i] as string })
  for (const o of mid) out.push(o)
  for (let i = a.length - tail; i < a.length; i++) out.push({ kind: ' ', line: a[i] as string })
  return out
}

function backtrack(trace: Int32Array[], a: string[], b: string[], max: number, dEnd: number): Op[] {
  const ops: Op[] = []
  let x = a.length
  let y = b.length
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d] as Int32Array
    const k = x - y
    const prevK = k === -d || (k !== d && (v[max + k - 1] as number) < (v[max + k + 1] as number)) ? k + 1 : k - 1
    const prevX = v[max + prevK] as number
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x] as string })
      y--
    }
    if (x === prevX) ops.push({ kind: '+', line: b[--y] as string })
    else ops.push({ kind: '-', line: a[--x] as string })
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x] as string })
    y--
  }
  return ops.reverse()
}

function split(text: string): string[] {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  const ops = diffOps(split(oldText), split(newText))
  if (ops.every((o) => o.kind === ' ')) return ''
  let out = `--- ${oldName}\n+++ ${newName}\n`
  let i = 0
  // Old and new line numbers at `counted`, advanced as hunks are found (not recounted).
  let counted = 0
  let oldLine = 1
  let newLine = 1
  while (i < ops.length) {
    while (i < ops.length && (ops[i] as Op).kind === ' ') i++
    if (i >= ops.length) break
    const start = Math.max(0, i - context)
    let end = i
    // Extend the hunk while changes are within 2 × context of each other.
    for (;;) {
      while (end < ops.length && (ops[end] as Op).kind !== ' ') end++
      let gap = end
      while (gap < ops.length && (ops[gap] as Op).kind === ' ') gap++
      if (gap < ops.length && gap - end <= 2 * context) end = gap
      else {
        end = Math.min(ops.length, end + context)
        break
      }
    }
    for (; counted < start; counted++) {
      if ((ops[counted] as Op).kind !== '+') oldLine++
      if ((ops[counted] as Op).kind !== '-') newLine++
    }
    const hunk = ops.slice(start, end)
    const oldCount = hunk.filter((o) => o.kind !== '+').length
    const newCount = hunk.filter((o) => o.kind !== '-').length
    out += `@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@\n`
    for (const o of hunk) out += `${o.kind}${o.line}\n`
    i = end
  }
  return out
}

/**
 * Line changes from `oldText` to `newText`: removed old lines (1-based), each with the new
 * lines of its change (and the one that replaces it when the change swaps as many lines as it
 * removes), and the old lines after which new lines are only added.
 */
export function lineChanges(oldText: string, newText: string): { removed: { line: number; added: string[]; replacement?: string }[]; addedAfter: number[] } {
  const ops = diffOps(split(oldText), split(newText))
  const removed: { line: number; added: string[]; replacement?: string }[] = []
  const addedAfter: number[] = []
  let oldLine = 0
  let i = 0
  while (i < ops.length) {
    if ((ops[i] as Op).kind === ' ') {
      oldLine++
      i++
      continue
    }
    const before = oldLine
    const minus: number[] = []
    const plus: string[] = []
    while (i < ops.length && (ops[i] as Op).kind !== ' ') {
      const op = ops[i] as Op
      if (op.kind === '-') minus.push(++oldLine)
      else plus.push(op.line)
      i++
    }
    if (plus.length > minus.length) addedAfter.push(before)
    minus.forEach((line, k) => removed.push(minus.length === plus.length ? { line, added: plus, replacement: plus[k] as string } : { line, added: plus }))
  }
  return { removed, addedAfter }
}
