// A fleet run of the doctor: one report per cluster (the doctor's own envelope, or the error
// that kept the cluster from being read), and a summary. JSON: the DoctorFleetReport
// envelope; table: each cluster's report, then a summary table; JUnit: one suite per cluster.

import { SEVERITY_RANK, type Envelope, type Finding, type Severity, type Status, statusOf, type ToolError } from '../core/findings/types.js'
import { columns } from './columns.js'
import { type DoctorResult, junitTestcase, renderDoctorTable } from './doctor.js'
import { renderToolError } from './findings.js'
import { xmlEscape as esc } from './xml.js'

/** Clusters read at once in a fleet run. */
export const FLEET_CONCURRENCY = 4

export interface ClusterReport {
  context: string
  status: Status
  /** This cluster's exit code, as doctor on it alone would end: 0, 1 (findings at --fail-on) or 3 (not read, or read in part). */
  exitCode: 0 | 1 | 3
  /** The doctor's envelope for this cluster; result null when the cluster could not be read at all. */
  report: Envelope<'DoctorReport', DoctorResult | null>
}

export interface FleetReport {
  clusters: ClusterReport[]
  summary: { clusters: number; ok: number; problems: number; incomplete: number; notRead: number; exitCode: 0 | 1 | 3 }
}

export function clusterReport(context: string, result: DoctorResult | null, findings: Finding[], errors: ToolError[], failOn: Severity): ClusterReport {
  const status = statusOf(findings, errors)
  const exitCode = errors.length > 0 ? 3 : findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0
  return { context, status, exitCode, report: { apiVersion: 'flux-imgauto/v1', kind: 'DoctorReport', status, findings, errors, result } }
}

export function fleetReport(clusters: ClusterReport[]): FleetReport {
  const count = (s: Status): number => clusters.filter((c) => c.status === s).length
  const exitCode = clusters.reduce<0 | 1 | 3>((worst, c) => (c.exitCode > worst ? c.exitCode : worst), 0)
  return { clusters, summary: { clusters: clusters.length, ok: count('ok'), problems: count('problems'), incomplete: count('incomplete'), notRead: clusters.filter((c) => c.report.result === null).length, exitCode } }
}

/** The envelope: every finding and error of every cluster, each with its `cluster`; the status is the worst. */
export function fleetEnvelope(f: FleetReport): Envelope<'DoctorFleetReport', FleetReport> {
  const findings = f.clusters.flatMap((c) => c.report.findings.map((x) => ({ cluster: c.context, ...x })))
  const errors = f.clusters.flatMap((c) => c.report.errors.map((x) => ({ cluster: c.context, ...x })))
  const status: Status = f.summary.incomplete > 0 ? 'incomplete' : f.summary.problems > 0 ? 'problems' : 'ok'
  return { apiVersion: 'flux-imgauto/v1', kind: 'DoctorFleetReport', status, findings, errors, result: f }
}

export function renderFleetTable(f: FleetReport): string {
  let out = ''
  for (const c of f.clusters) {
    out += `=== context ${c.context} ===\n`
    out += c.report.result === null ? `not read: ${c.report.errors.map((e) => renderToolError(e)).join('').trimEnd()}\n` : renderDoctorTable(c.report.result)
    out += '\n'
  }
  const rows = f.clusters.map((c) => [c.context, c.report.result === null ? 'not-read' : c.status, String(c.exitCode), String(c.report.result?.counts.failed ?? '-'), String(c.report.findings.length), String(c.report.errors.length)])
  out += `FLEET\n${columns(['CONTEXT', 'STATUS', 'EXIT', 'FAILED CHECKS', 'FINDINGS', 'ERRORS'], rows)}`
  const s = f.summary
  return out + `\n${s.clusters} clusters: ${s.ok} ok, ${s.problems} with problems, ${s.incomplete} incomplete (${s.notRead} not read); exit code ${s.exitCode}, the worst.\n`
}

export function renderFleetJUnit(f: FleetReport): string {
  const suites = f.clusters.map((c) => {
    const r = c.report.result
    if (r === null) {
      const e = c.report.errors[0] as ToolError
      return `  <testsuite name="${esc(c.context)}" tests="1" failures="0" errors="1" skipped="0">\n    <testcase classname="doctor.${esc(c.context)}" name="Read the cluster"><error message="${esc(`${e.code}: ${e.message}`)}" type="${esc(e.code)}"/></testcase>\n  </testsuite>\n`
    }
    return `  <testsuite name="${esc(c.context)}" tests="${r.checks.length}" failures="${r.counts.failed}" errors="0" skipped="${r.counts.skipped}">\n${r.checks.map((k) => junitTestcase(k, `doctor.${c.context}.${k.stage}`)).join('')}  </testsuite>\n`
  })
  const tests = f.clusters.reduce((n, c) => n + (c.report.result?.checks.length ?? 1), 0)
  const failures = f.clusters.reduce((n, c) => n + (c.report.result?.counts.failed ?? 0), 0)
  const skipped = f.clusters.reduce((n, c) => n + (c.report.result?.counts.skipped ?? 0), 0)
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="flux-imgauto doctor fleet" tests="${tests}" failures="${failures}" errors="${f.summary.notRead}" skipped="${skipped}">\n${suites.join('')}</testsuites>\n`
}
