// lint's report: findings in file order for people, JUnit for CI (one test case per file
// that holds objects or markers; findings at --fail-on or above fail it).

import { SEVERITY_RANK, type Finding, type Severity } from '../core/findings/types.js'
import type { LintRun } from '../cli/lint-run.js'
import { findingWhere, renderFinding } from './findings.js'
import { xmlEscape as esc } from './xml.js'

export function renderLintTable(run: LintRun): string {
  const { result } = run
  let out = `flux-imgauto lint ${run.path}: ${result.objects.length} image object(s), ${result.markers} marker(s)\n`
  out += run.findings.length === 0 ? '\nNo findings.\n' : '\n' + run.findings.map((f) => renderFinding(f, 0, { location: true, docs: true })).join('')
  if (result.suppressed.length > 0) {
    out += `\nSuppressed (${result.suppressed.length}):\n`
    for (const s of result.suppressed) out += `  ${s.finding.code}${findingWhere(s.finding, true)}: ${s.reason}\n`
  }
  return out
}

export function renderLintJUnit(run: LintRun, failOn: Severity): string {
  // Findings grouped by file once: a search of every finding per file was quadratic.
  const byFile = new Map<string, Finding[]>()
  for (const o of run.result.objects) if (!byFile.has(o.file)) byFile.set(o.file, [])
  for (const f of run.findings) {
    const file = f.location?.file ?? ''
    const own = byFile.get(file)
    if (own) own.push(f)
    else byFile.set(file, [f])
  }
  byFile.delete('')
  const files = [...byFile.keys()].sort()
  const failing = (f: Finding): boolean => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]
  const failures = files.filter((file) => (byFile.get(file) as Finding[]).some(failing)).length
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="flux-imgauto lint" tests="${files.length}" failures="${failures}">\n`
  out += `  <testsuite name="lint" tests="${files.length}" failures="${failures}">\n`
  for (const file of files) {
    const own = byFile.get(file) as Finding[]
    const text = (fs: Finding[]): string => fs.map((f) => `${f.severity} ${f.code}${findingWhere(f, true)}: ${f.title}\n${f.message}\nfix: ${f.fix}`).join('\n\n')
    out += `    <testcase classname="lint" name="${esc(file)}">`
    const bad = own.filter(failing)
    if (bad.length > 0) out += `<failure message="${esc(`${(bad[0] as Finding).code} ${(bad[0] as Finding).title}`)}" type="${(bad[0] as Finding).severity}">${esc(text(bad))}</failure>`
    const rest = own.filter((f) => !failing(f))
    if (rest.length > 0) out += `<system-out>${esc(text(rest))}</system-out>`
    out += `</testcase>\n`
  }
  return out + `  </testsuite>\n</testsuites>\n`
}
