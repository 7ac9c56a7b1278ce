// Text rendering of trace and preview.

import { unifiedDiff } from '../core/diff.js'
import type { MarkersRun } from '../cli/markers-run.js'
import type { CommitMessage } from '../core/markers/commit-message.js'
import { recordedChanges } from '../core/markers/update.js'
import { columns } from './columns.js'

function header(run: MarkersRun): string {
  const a = run.automation
  const who = a.name ? `${a.namespace}/${a.name} (${a.source})` : `namespace ${a.namespace}`
  return `Automation   ${who}, update.path ${a.updatePath || '(root)'}\nFiles        ${run.filesRead} read by Flux under ${run.base}\n`
}

export function renderTrace(run: MarkersRun): string {
  let out = header(run) + '\n'
  if (run.entries.length === 0) return out + 'No markers found.\n'
  const rows = run.entries.map((e) => [
    `${e.file}:${e.line}:${e.column}`,
    e.field ?? '',
    e.setter ?? '',
    e.status === 'update' ? `${e.current} → ${e.next}` : (e.current ?? ''),
    e.status === 'ignored' ? `ignored ${e.reason?.code ?? ''}` : e.status + (e.warnings.length ? ` (${e.warnings.map((w) => w.code).join(', ')})` : ''),
  ])
  out += columns(['LOCATION', 'FIELD', 'SETTER', 'VALUE', 'STATUS'], rows)
  const counts = { update: 0, current: 0, ignored: 0 }
  for (const e of run.entries) counts[e.status]++
  return out + `\n${run.entries.length} marker(s): ${counts.update} to update, ${counts.current} current, ${counts.ignored} ignored.\n`
}

export function renderPreview(run: MarkersRun): string {
  let out = header(run) + '\n'
  if (run.runError) return out + `Flux would fail this run: ${run.runError}\n`
  if (run.updates.length === 0) return out + 'Nothing to commit: Flux reports "repository up-to-date".\n'
  for (const u of run.updates) {
    const r = u.rewrite
    out += r.exact
      ? `# ${u.file}: exactly what Flux writes${r.normalised.length ? ` (including ${r.normalised.length} reformatted line(s))` : ''}\n`
      : `# ${u.file}: NOT byte-exact. Flux also rewrites: ${r.unreproduced.map((x) => `line ${x.line} (${x.what})`).join('; ')}\n`
    out += unifiedDiff(u.original.replace(/^\uFEFF/, ''), r.text, `a/${u.file}`, `b/${u.file}`)
  }
  out += `\n${renderCommitMessageText(run)}\nChanges, as Flux records them:\n`
  for (const u of recordedChanges(run.updates)) {
    out += `  ${u.file === '' ? '(no file: unwrapped List items)' : u.file}\n`
    for (const o of u.objects) {
      out += `    ${o.object.kind}/${o.object.namespace}/${o.object.name} (${o.object.apiVersion})\n`
      for (const c of o.changes) out += `      ${c.oldValue} → ${c.newValue}  (${c.setter})\n`
    }
  }
  return out
}

/** The template playground: the message, or the error Flux reports. */
export function renderTemplateResult(m: CommitMessage): string {
  if (!m.ok) return `${m.reason === 'Unsupported' ? 'Not rendered' : 'Flux commits nothing'}: ${m.message}\n`
  return m.message + (m.message.endsWith('\n') ? '' : '\n') + (m.orderNote ? `(${m.orderNote})\n` : '')
}

function renderCommitMessageText(run: MarkersRun): string {
  const m = run.commitMessage
  if (!m) return ''
  if (!m.ok) return `Commit message: ${m.reason === 'Unsupported' ? 'not previewed' : 'Flux commits nothing'}: ${m.message}\n`
  const indented = m.message.split('\n').map((l) => (l === '' ? '' : `  ${l}`)).join('\n')
  return `Commit message${m.orderNote ? ` (${m.orderNote})` : ''}:\n${indented}${m.message.endsWith('\n') ? '' : '\n'}`
}
