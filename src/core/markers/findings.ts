// Trace entries and run errors as findings, with their location.

import { finding, type FindingCodeId, FINDING_CODES } from '../findings/catalogue.js'
import type { Finding } from '../findings/types.js'
import type { CommitMessage } from './commit-message.js'
import type { SetterSet } from './setters.js'
import type { MarkerEntry } from './trace.js'
import { type UnreadEntry, unreadFindings } from './unread.js'
import type { FileUpdate } from './update.js'

export function markerFindings(entries: readonly MarkerEntry[], setters: SetterSet, runError: string | undefined, updates: readonly FileUpdate[], unread: readonly UnreadEntry[]): Finding[] {
  const out: Finding[] = []
  if (setters.error) out.push(finding(setters.error.code, setters.error.message))
  const stalled = runError?.startsWith('unsupported update strategy') ?? false
  // A run error on an entry Flux cannot read is that entry's finding (FIA344), located.
  if (runError && !unread.some((u) => u.fluxError === runError)) out.push(finding(stalled ? 'FIA343' : 'FIA341', runError))
  // A stalled automation walks nothing, so nothing it would read goes unread.
  // Loops, not push(...): spreading 150,000 findings into one call overflows the stack.
  for (const f of unreadFindings(stalled ? unread.map((u) => ({ ...u, fluxReads: false })) : unread)) out.push(f)
  for (const f of entryFindings(entries)) out.push(f)
  for (const u of updates) {
    const lines = [...u.rewrite.normalised, ...u.rewrite.unreproduced]
    if (lines.length === 0) continue
    const f = finding('FIA333', `Writing ${u.file}, Flux also changes ${lines.length} other line(s)${u.rewrite.exact ? '' : '; the preview reproduces only some of them'}.`, { evidence: lines.slice(0, 10).map((r) => `line ${r.line}: ${r.what}`) })
    f.location = { file: u.file, line: lines[0]?.line ?? 1 }
    out.push(f)
  }
  return out
}

/** One finding per ignored marker and per field warning, located at the marker. */
export function entryFindings(entries: readonly MarkerEntry[]): Finding[] {
  const out: Finding[] = []
  for (const e of entries) {
    const located = (code: string, message: string): void => {
      if (!(code in FINDING_CODES)) return
      const f = finding(code as FindingCodeId, message, { evidence: [`${e.marker}${e.field ? ` on ${e.field}` : ''}`] })
      f.location = { file: e.file, line: e.line, column: e.column }
      out.push(f)
    }
    if (e.reason) located(e.reason.code, e.reason.message)
    for (const w of e.warnings) located(w.code, w.message)
  }
  return out
}

/** A commit message Flux cannot render stops the commit (FIA503, FIA346); one we cannot is FIA347. */
export function commitMessageFindings(m: CommitMessage, source: string): Finding[] {
  if (m.ok) return []
  const code = m.reason === 'RemovedTemplateField' ? 'FIA503' : m.reason === 'Unsupported' ? 'FIA347' : 'FIA346'
  const f = finding(code, m.reason === 'Unsupported' ? m.message : `Flux would report: ${m.message}`, { evidence: [`spec.git.commit.messageTemplate in ${source}`] })
  return [f]
}
