// The doctor: every check, in pipeline order, run over one snapshot. The registry is explicit
// and sorted by stage; a check whose inputs could not be read is skipped with the reason.

import type { Finding } from '../findings/types.js'
import type { Check, Stage } from './check.js'
import { automationsRun, automationsSeePolicies } from './checks/automations.js'
import { controllersReady, crdsInstalled } from './checks/controllers.js'
import { helmReleasesUpgraded, pushedIsDeployed, sourcesReady } from './checks/delivery.js'
import { policiesSelect } from './checks/policies.js'
import { repositoriesScan } from './checks/repositories.js'
import { automationSecrets, repositorySecrets } from './checks/secrets.js'
import { specRules } from './checks/spec-rules.js'
import { reasonsFitVersion } from './checks/version.js'
import { missingReason, type Snapshot } from './snapshot.js'

export const CHECKS: readonly Check[] = [crdsInstalled, controllersReady, reasonsFitVersion, repositoriesScan, repositorySecrets, policiesSelect, automationsRun, automationsSeePolicies, automationSecrets, specRules, sourcesReady, pushedIsDeployed, helmReleasesUpgraded]

export interface CheckOutcome {
  id: string
  stage: Stage
  title: string
  status: 'passed' | 'failed' | 'skipped'
  /** Why a check was skipped. */
  reason?: string
  findings: Finding[]
}

export function runChecks(s: Snapshot, extra: CheckOutcome[] = []): CheckOutcome[] {
  const outcomes: CheckOutcome[] = []
  for (const c of CHECKS) {
    const missing = c.needs.flatMap((k) => missingReason(s, k) ?? [])
    if (missing.length > 0) {
      outcomes.push({ id: c.id, stage: c.stage, title: c.title, status: 'skipped', reason: missing.join('; '), findings: [] })
      continue
    }
    const subjects = c.over?.(s)
    if (subjects && subjects.count === 0) {
      outcomes.push({ id: c.id, stage: c.stage, title: c.title, status: 'skipped', reason: `nothing to judge: no ${subjects.what}${s.namespace === undefined ? '' : ` in namespace ${s.namespace}`}`, findings: [] })
      continue
    }
    const findings = c.run(s)
    outcomes.push({ id: c.id, stage: c.stage, title: c.title, status: findings.some((f) => f.severity !== 'info') ? 'failed' : 'passed', findings })
  }
  // lint's rules repeat what a check already said about an object (the stalled template, the
  // invalid selector): say it once.
  const said = new Set(outcomes.filter((o) => o.id !== 'spec-rules').flatMap((o) => o.findings.flatMap((f) => [findingKey(f), ...(SAYS_ALSO[f.code] ?? []).map((code) => findingKey({ ...f, code }))])))
  const rules = outcomes.find((o) => o.id === 'spec-rules')
  if (rules && rules.status !== 'skipped') {
    rules.findings = rules.findings.filter((f) => !said.has(findingKey(f)))
    rules.status = rules.findings.some((f) => f.severity !== 'info') ? 'failed' : 'passed'
  }
  return [...outcomes, ...extra].sort((a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage])
}

const STAGE_ORDER: Record<Stage, number> = { controllers: 0, repositories: 1, policies: 2, automations: 3, markers: 4, delivery: 5 }

// A failure that already names what a rule would warn of: a non-numeric value (FIA107) is what
// an extract that can keep non-digits (FIA129) leads to.
const SAYS_ALSO: Record<string, string[]> = { FIA107: ['FIA129'] }

function findingKey(f: Finding): string {
  return `${f.code}/${f.subject?.kind ?? ''}/${f.subject?.namespace ?? ''}/${f.subject?.name ?? ''}`
}
