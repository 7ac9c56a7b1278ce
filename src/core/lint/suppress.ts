// Inline suppression, as linters do it: a comment
//
//   # flux-imgauto:ignore FIA120 <reason>
//
// anywhere in a YAML document silences that code for findings located in that document
// (an object, or the manifest that carries a marker). A reason is required; a comment without
// one, or naming no known code, silences nothing and is itself reported (FIA505).

import { finding, FINDING_CODES } from '../findings/catalogue.js'
import type { Finding } from '../findings/types.js'
import type { Suppressed } from './types.js'

const DIRECTIVE = /#\s*flux-imgauto:ignore\b[ \t]*(\S*)[ \t]*(.*)$/

interface Directive {
  code: string
  reason: string
  /** The document's first and last line (1-based, inclusive). */
  from: number
  to: number
}

export function parseDirectives(file: string, text: string): { directives: Directive[]; findings: Finding[] } {
  const lines = text.split('\n')
  const directives: Directive[] = []
  const findings: Finding[] = []
  let docStart = 1
  const pending: { code: string; reason: string; line: number }[] = []
  const close = (end: number): void => {
    for (const p of pending.splice(0)) directives.push({ code: p.code, reason: p.reason, from: docStart, to: end })
  }
  lines.forEach((l, i) => {
    if (/^(---|\.\.\.)(\s|$)/.test(l)) {
      close(i)
      docStart = i + 2
      return
    }
    const m = DIRECTIVE.exec(l)
    if (!m) return
    const code = m[1] ?? ''
    const reason = (m[2] ?? '').trim()
    if (!(code in FINDING_CODES) || reason === '') {
      const f = finding('FIA505', !(code in FINDING_CODES) ? `"${code}" is not a finding code (flux-imgauto codes lists them).` : `The comment names ${code} but gives no reason.`, { evidence: [l.trim()] })
      f.location = { file, line: i + 1 }
      findings.push(f)
      return
    }
    pending.push({ code, reason, line: i + 1 })
  })
  close(lines.length)
  return { directives, findings }
}

/** Splits findings into those reported and those an ignore comment silences. */
export function applySuppressions(findings: readonly Finding[], directives: ReadonlyMap<string, Directive[]>): { reported: Finding[]; suppressed: Suppressed[] } {
  // Per file and code, the directives in document order. Documents do not overlap, so the
  // document holding a line is found by bisection (a search of every directive per finding
  // was quadratic), and the first directive written in it gives the reason, as before.
  const byCode = new Map<string, Directive[]>()
  for (const [file, list] of directives) {
    for (const d of list) {
      const key = `${file}\0${d.code}`
      const group = byCode.get(key)
      if (group) group.push(d)
      else byCode.set(key, [d])
    }
  }
  const reported: Finding[] = []
  const suppressed: Suppressed[] = []
  for (const f of findings) {
    const line = f.location?.line
    const match = f.location && line !== undefined ? covering(byCode.get(`${f.location.file}\0${f.code}`), line) : undefined
    if (match) suppressed.push({ finding: f, reason: match.reason })
    else reported.push(f)
  }
  return { reported, suppressed }
}

// The first directive of the document holding `line`, in directives sorted by document.
function covering(list: Directive[] | undefined, line: number): Directive | undefined {
  if (!list) return undefined
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((list[mid] as Directive).from <= line) lo = mid + 1
    else hi = mid
  }
  // lo - 1 is the last directive starting at or before the line; the document's first one:
  let at = lo - 1
  while (at > 0 && (list[at - 1] as Directive).from === (list[at] as Directive).from) at--
  const d = list[at]
  return d && line <= d.to ? d : undefined
}
