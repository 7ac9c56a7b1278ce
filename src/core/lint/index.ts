// lint, as a pure function of what the adapter read: object rules, marker rules, then the
// ignore comments. Findings come out in file and line order.

import { finding } from '../findings/catalogue.js'
import type { Finding } from '../findings/types.js'
import { branchFindings } from './branches.js'
import { layoutFindings } from './layout.js'
import { lintMarkers } from './markers.js'
import { lintObjects } from './rules.js'
import { lintUnread } from './unread.js'
import { applySuppressions, parseDirectives } from './suppress.js'
import type { LintInput, LintResult } from './types.js'

export function lint(input: LintInput): { result: LintResult; findings: Finding[] } {
  const all: Finding[] = lintObjects(input.objects, input.fluxVersion ? { fluxVersion: input.fluxVersion } : {})
  for (const u of input.unparsable) {
    const f = finding(u.code ?? 'FIA506', `${u.message}${u.line ? ` (line ${u.line})` : ''}`)
    f.location = { file: u.file, ...(u.line ? { line: u.line } : {}) }
    all.push(f)
  }
  for (const s of input.scans) {
    if (s.missingPath === undefined || !s.object) continue
    const f = finding('FIA341', `spec.update.path ${s.automation.updatePath ?? ''} does not exist in this tree, so every run of ${s.automation.namespace}/${s.automation.name ?? ''} fails: ${s.missingPath}`, { subject: { kind: 'ImageUpdateAutomation', namespace: s.automation.namespace, name: s.automation.name ?? '' } })
    f.location = s.object
    all.push(f)
  }
  for (const f of branchFindings(input.objects, input.gitRepositories ?? [])) all.push(f)
  const markers = lintMarkers(input)
  // Loops, not push(...): spreading 150,000 findings into one call overflows the stack.
  for (const f of markers.findings) all.push(f)
  for (const f of lintUnread(input)) all.push(f)
  if (input.layout) for (const f of layoutFindings(input.objects, markers.used, input.layout, input.gitRepositories ?? [])) all.push(f)
  const directives = new Map<string, ReturnType<typeof parseDirectives>['directives']>()
  for (const [file, text] of input.texts) {
    const parsed = parseDirectives(file, text)
    directives.set(file, parsed.directives)
    for (const f of parsed.findings) all.push(f)
  }
  const applied = applySuppressions(all, directives)
  // `lint FILE`: the directory is read as context (policies, repositories, automations that
  // cover the file), but only what lies in the file is judged.
  const mine = (file: string | undefined): boolean => input.only === undefined || file === input.only
  const reported = applied.reported.filter((f) => mine(f.location?.file))
  const suppressed = applied.suppressed.filter((s) => mine(s.finding.location?.file))
  reported.sort(byLocation)
  const result: LintResult = {
    objects: input.objects.filter((o) => mine(o.file)).map((o) => ({ kind: o.kind, namespace: o.namespace, name: o.name, file: o.file, line: o.line })),
    markers: markers.files.filter(mine).length,
    suppressed,
  }
  return { result, findings: reported }
}

function byLocation(a: Finding, b: Finding): number {
  const fa = a.location?.file ?? ''
  const fb = b.location?.file ?? ''
  return fa < fb ? -1 : fa > fb ? 1 : (a.location?.line ?? 0) - (b.location?.line ?? 0)
}
