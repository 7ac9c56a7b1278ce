// The doctor's report as a table for people, and as JUnit for CI (JSON is the envelope).

import type { CheckOutcome } from '../core/doctor/index.js'
import { STAGES } from '../core/doctor/check.js'
import type { Finding } from '../core/findings/types.js'
import { findingWhere, renderFinding } from './findings.js'
import { xmlEscape as esc } from './xml.js'

export interface DoctorResult {
  scope: { namespace: string | null; fluxNamespace: string; source: string; /** The Flux version judged by, and why. */ fluxVersion: string }
  checks: CheckOutcome[]
  counts: { passed: number; failed: number; skipped: number }
}

export function renderDoctorTable(r: DoctorResult): string {
  let out = `flux-imgauto doctor: ${r.scope.namespace === null ? 'all namespaces' : `namespace ${r.scope.namespace}`} (${r.scope.source}), controllers in ${r.scope.fluxNamespace}\njudged as ${r.scope.fluxVersion}\n`
  for (const stage of STAGES) {
    const checks = r.checks.filter((c) => c.stage === stage)
    if (checks.length === 0) continue
    out += `\n${stage.toUpperCase()}\n`
    for (const c of checks) {
      const mark = c.status === 'passed' ? 'ok  ' : c.status === 'skipped' ? 'skip' : 'FAIL'
      out += `  ${mark}  ${c.title}${c.reason ? ` (skipped: ${c.reason})` : ''}\n`
      for (const f of c.findings) out += renderFinding(f, 8, { location: true, docs: false })
    }
  }
  return out + `\n${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.skipped} skipped.\n`
}

export function renderDoctorJUnit(r: DoctorResult): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="flux-imgauto doctor" tests="${r.checks.length}" failures="${r.counts.failed}" skipped="${r.counts.skipped}">\n`
  for (const stage of STAGES) {
    const checks = r.checks.filter((c) => c.stage === stage)
    if (checks.length === 0) continue
    const failures = checks.filter((c) => c.status === 'failed').length
    const skipped = checks.filter((c) => c.status === 'skipped').length
    out += `  <testsuite name="${stage}" tests="${checks.length}" failures="${failures}" skipped="${skipped}">\n`
    for (const c of checks) out += junitTestcase(c, `doctor.${stage}`)
    out += `  </testsuite>\n`
  }
  return out + `</testsuites>\n`
}

/** One check as a JUnit testcase line: skipped with the reason, or failed with its findings. */
export function junitTestcase(c: CheckOutcome, classname: string): string {
  let out = `    <testcase classname="${esc(classname)}" name="${esc(c.title)}">`
  if (c.status === 'skipped') out += `<skipped message="${esc(c.reason ?? '')}"/>`
  else if (c.status === 'failed') {
    const first = c.findings[0] as Finding
    const body = c.findings.map((f) => `${f.severity} ${f.code}${findingWhere(f, true)}: ${f.title}\n${f.message}\nfix: ${f.fix}`).join('\n\n')
    out += `<failure message="${esc(`${first.code} ${first.title}`)}" type="${first.severity}">${esc(body)}</failure>`
  }
  return out + `</testcase>\n`
}
