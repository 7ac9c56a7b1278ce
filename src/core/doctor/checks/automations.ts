// Stage 4 (catalogue F): ImageUpdateAutomations run, see their policies, and push.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import { buildSetters, type LabelSelector, type PolicyLike } from '../../markers/setters.js'
import { type Check, subjectOf } from '../check.js'
import { durationMs } from '../../go/duration.js'
import { classifyGit, GIT_RULED_OUT } from '../git-failures.js'
import { assumedText } from '../../flux/detect.js'
import { ageText, condition, conditionText, objectsOf, ref } from '../snapshot.js'

export const automationsRun: Check = {
  id: 'automations-run',
  stage: 'automations',
  title: 'ImageUpdateAutomations run and push',
  needs: ['ImageUpdateAutomation'],
  over: (s) => ({ count: objectsOf(s, 'ImageUpdateAutomation')?.length ?? 0, what: 'ImageUpdateAutomation' }),
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
      const failing = stalled?.status === 'True' ? stalled : ready?.status === 'False' ? ready : undefined
      if (failing) {
        const message = failing.message ?? ''
        const family = classifyGit(message)
        if (failing === stalled) out.push(finding('FIA431', `${ref(a)}: ${conditionText(stalled)}`, { subject }))
        if (family) out.push(finding(family.code, `${ref(a)}: ${family.cause}: ${message}`, { subject, evidence: failing.reason ? [`${failing.type} reason ${failing.reason}`] : [] }))
        else if (failing !== stalled) out.push(finding('FIA439', `${ref(a)}: ${conditionText(failing)}`, { subject, evidence: [`the message matches no known failure (${GIT_RULED_OUT})`] }))
        if (failing === stalled) continue
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
  over: (s) => ({ count: (objectsOf(s, 'ImageUpdateAutomation') ?? []).filter((a) => !a.spec?.suspend).length, what: 'ImageUpdateAutomation that is not suspended' }),
  run(s) {
    const out: Finding[] = []
    const policies = (objectsOf(s, 'ImagePolicy') ?? []) as PolicyLike[]
    // Each automation sees its namespace's policies only: grouped once, not filtered from all
    // of them per automation. A policy without a namespace counts as the automation's own.
    const byNamespace = new Map<string, PolicyLike[]>()
    const unplaced: PolicyLike[] = []
    for (const p of policies) {
      if (p.metadata.namespace === undefined) unplaced.push(p)
      else {
        const list = byNamespace.get(p.metadata.namespace)
        if (list) list.push(p)
        else byNamespace.set(p.metadata.namespace, [p])
      }
    }
    for (const a of objectsOf(s, 'ImageUpdateAutomation') ?? []) {
      const spec = (a.spec ?? {}) as { suspend?: boolean; policySelector?: LabelSelector }
      if (spec.suspend) continue
      const ns = a.metadata.namespace ?? ''
      const own = byNamespace.get(ns) ?? []
      const setters = buildSetters(ns, spec.policySelector, unplaced.length > 0 ? policies.filter((p) => (p.metadata.namespace ?? ns) === ns) : own)
      if (setters.error?.code === 'FIA342') continue // Flux stalls it: the Stalled condition says so
      if (setters.setters.size > 0) continue
      const reasons = [...setters.unusable].map(([name, why]) => `${ns}/${name}: ${why === 'selector' ? 'excluded by policySelector' : 'no latestRef'}`)
      const elsewhere: string[] = []
      for (const p of policies) {
        if (elsewhere.length === 5) break
        if (p.metadata.namespace !== ns) elsewhere.push(`${p.metadata.namespace}/${p.metadata.name}`)
      }
      out.push(
        finding('FIA432', `${ref(a)} lists ImagePolicies in ${ns} only, and none is usable.`, {
          subject: subjectOf('ImageUpdateAutomation', a),
          evidence: [
            ...(reasons.length ? (reasons.length > 5 ? [...reasons.slice(0, 5), `and ${(reasons.length - 5).toLocaleString('en')} more`] : reasons) : [`no ImagePolicy in ${ns}`]),
            ...(elsewhere.length ? [`policies in other namespaces, which it cannot use: ${elsewhere.join(', ')}`] : []),
            ...(s.fluxVersion && setters.unusable.size > 0 ? [`${assumedText(s.fluxVersion)}; a policy's pick is read from status.${s.fluxVersion.minors.every((m) => m <= 5) ? 'latestImage' : s.fluxVersion.minors.every((m) => m >= 6) ? 'latestRef' : 'latestRef or latestImage'}`] : []),
          ],
        }),
      )
    }
    return out
  },
}
