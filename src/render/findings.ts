import type { Finding, ToolError } from '../core/findings/types.js'

export function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.\n'
  let out = 'Findings:\n'
  for (const f of findings) {
    const where = f.subject ? ` ${f.subject.kind} ${f.subject.namespace ? f.subject.namespace + '/' : ''}${f.subject.name}` : ''
    out += `  ${f.severity.padEnd(7)} ${f.code}${where}: ${f.title}\n`
    out += `          ${f.message}\n`
    for (const e of f.evidence ?? []) out += `          - ${e}\n`
    out += `          fix: ${f.fix}\n`
    if (f.docs) out += `          docs: ${f.docs}\n`
  }
  return out
}

export function renderToolError(e: ToolError): string {
  return `error ${e.code}: ${e.message}\n${e.suggestion ? `  hint: ${e.suggestion}\n` : ''}`
}
