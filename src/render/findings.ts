import type { Finding, ToolError } from '../core/findings/types.js'

export function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.\n'
  return 'Findings:\n' + findings.map((f) => renderFinding(f, 2, { location: false, docs: true })).join('')
}

/** Where a finding points: its file and line when it has one (if asked), else its object. */
export function findingWhere(f: Finding, location: boolean): string {
  if (location && f.location) return ` ${f.location.file}${f.location.line !== undefined ? `:${f.location.line}` : ''}`
  return f.subject ? ` ${f.subject.kind} ${f.subject.namespace ? f.subject.namespace + '/' : ''}${f.subject.name}` : ''
}

/** One finding: a heading line at `indent`, then message, evidence, fix (and docs) under it. */
export function renderFinding(f: Finding, indent: number, opts: { location: boolean; docs: boolean }): string {
  const head = ' '.repeat(indent)
  const body = ' '.repeat(indent + 8)
  let out = `${head}${f.severity.padEnd(7)} ${f.code}${findingWhere(f, opts.location)}: ${f.title}\n`
  out += `${body}${f.message}\n`
  for (const e of f.evidence ?? []) out += `${body}- ${e}\n`
  out += `${body}fix: ${f.fix}\n`
  if (opts.docs && f.docs) out += `${body}docs: ${f.docs}\n`
  return out
}

export function renderToolError(e: ToolError): string {
  return `error ${e.code}: ${e.message}\n${e.suggestion ? `  hint: ${e.suggestion}\n` : ''}`
}
