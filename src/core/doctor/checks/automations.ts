// Stage 4 (catalogue F): ImageUpdateAutomations run, see their policies, and push.

import { finding, type FindingCodeId } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import { buildSetters, type LabelSelector, type PolicyLike } from '../../markers/setters.js'
import { type Check, subjectOf } from '../check.js'
import { durationMs } from '../../go/duration.js'
import { ageText, condition, conditionText, objectsOf, ref } from '../snapshot.js'

// Ready messages, by the prefixes and strings of image-automation-controller v1.2.1 (§4.4–4.5).
const FAILURES: [RegExp, FindingCodeId][] = [
  [/marked as read only|authorization failed|write access|permission to .* denied|early EOF/i, 'FIA434'],
  [/hook declined|protected branch/i, 'FIA435'],
  [/non-fast-forward/i, 'FIA436'],
  [/couldn't find remote ref|reference not found|unable to resolve HEAD of branch/i, 'FIA437'],
  [/push spec not provided/i, 'FIA438'],
  [/encountered invalid image ref/, 'FIA340'],
  [/walking path for files/, 'FIA341'],
  [/failed configuring source manager|referenced git repository does not exist|failed to get auth secret/, 'FIA433'],
]

export const automationsRun: Check = {
  id: 'automations-run',
  stage: 'automations',
  title: 'ImageUpdateAutomations run and push',
  needs: ['ImageUpdateAutomation'],
  run(s) {
    const out: Finding[] = []
    for (const a of objectsOf(s, 'ImageUpdateAutomation') ?? []) {
      const subject = subjectOf('ImageUpdateAutomation', a)
      const spec = (a.spec ?? {}) as { suspend?: boolean; interval?: string }
      if (spec.suspend) {
        out.push(finding('FIA430', `${ref(a)} is suspended; its status is frozen.`, { subject }))
        continue
      }
      const stalled = condition(a, 'Stalled')
      const ready = condition(a, 'Ready')
      if (stalled?.status === 'True') {
        out.push(finding('FIA431', `${ref(a)}: ${conditionText(stalled)}`, { subject }))
        continue
      }
      if (ready?.status === 'False') {
        const message = ready.message ?? ''
        const code = FAILURES.find(([re]) => re.test(message))?.[1] ?? 'FIA439'
        out.push(finding(code, `${ref(a)}: ${conditionText(ready)}`, { subject }))
      }
      const last = a.status?.lastAutomationRunTime as string | undefined
      const interval = durationMs(spec.interval)
      if (last && interval !== undefined && s.now - Date.parse(last) > 2 * interval + 60_000) {
        out.push(finding('FIA440', `${ref(a)} last ran ${ageText(s.now - Date.parse(last))} ago; its interval is ${spec.interval}.`, { subject, evidence: [`lastAutomationRunTime: ${last}`] }))
      }
    }
    return out
  },
}

export const automationsSeePolicies: Check = {
  id: 'automations-see-policies',
  stage: 'automations',
  title: 'Each automation can use some ImagePolicy',
  needs: ['ImageUpdateAutomation', 'ImagePolicy'],
  run(s) {
    const out: Finding[] = []
    const policies = (objectsOf(s, 'ImagePolicy') ?? []) as PolicyLike[]
    for (const a of objectsOf(s, 'ImageUpdateAutomation') ?? []) {
      const spec = (a.spec ?? {}) as { suspend?: boolean; policySelector?: LabelSelector }
      if (spec.suspend) continue
      const ns = a.metadata.namespace ?? ''
      const setters = buildSetters(ns, spec.policySelector, policies)
      if (setters.error?.code === 'FIA342') continue // Flux stalls it: the Stalled condition says so
      if (setters.setters.size > 0) continue
      const reasons = [...setters.unusable].map(([name, why]) => `${ns}/${name}: ${why === 'selector' ? 'excluded by policySelector' : 'no latestRef'}`)
      const elsewhere = policies.filter((p) => p.metadata.namespace !== ns).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
      out.push(
        finding('FIA432', `${ref(a)} lists ImagePolicies in ${ns} only, and none is usable.`, {
          subject: subjectOf('ImageUpdateAutomation', a),
          evidence: [...(reasons.length ? reasons : [`no ImagePolicy in ${ns}`]), ...(elsewhere.length ? [`policies in other namespaces, which it cannot use: ${elsewhere.slice(0, 5).join(', ')}`] : [])],
        }),
      )
    }
    return out
  },
}
