// Stage 3 (catalogue C, D): ImagePolicies select a tag; when they do not, Flux's own message
// says why, and the replay over the tags the cluster holds adds the evidence where it agrees.
// Risky specs are flagged either way.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import { explainPolicy, type ImagePolicyObject, type ImageRepositoryObject } from '../../policy/explain.js'
import { type Check, subjectOf } from '../check.js'
import { classifyPolicy, POLICY_RULED_OUT } from '../policy-failures.js'
import { byRef, conditionText, failingCondition, objectsOf, ref, refKey } from '../snapshot.js'

// Of the replay's findings: why it fails and what is risky. Not FIA110/FIA112: over the ten
// tags the status holds, a different pick or an incomplete list says nothing new.
const FROM_REPLAY = /^FIA1(0\d|11|2\d)$/
const WHY_IT_FAILS = /^FIA10\d$/
// Causes that are the whole story: the replay cannot add to them.
const ALONE = new Set(['FIA422', 'FIA423', 'FIA425', 'FIA215', 'FIA210'])

export const policiesSelect: Check = {
  id: 'policies-select',
  stage: 'policies',
  title: 'ImagePolicies select a tag',
  needs: ['ImagePolicy', 'ImageRepository'],
  over: (s) => ({ count: objectsOf(s, 'ImagePolicy')?.length ?? 0, what: 'ImagePolicy' }),
  run(s) {
    const out: Finding[] = []
    const repos = byRef(objectsOf(s, 'ImageRepository') ?? [])
    for (const p of objectsOf(s, 'ImagePolicy') ?? []) {
      const subject = subjectOf('ImagePolicy', p)
      const spec = (p.spec ?? {}) as ImagePolicyObject['spec'] & { suspend?: boolean }
      if (spec.suspend) {
        out.push(finding('FIA424', `${ref(p)} is suspended.`, { subject }))
        continue
      }
      const repoNs = spec.imageRepositoryRef?.namespace ?? p.metadata.namespace
      const repo = spec.imageRepositoryRef?.name === undefined ? undefined : repos.get(refKey(repoNs, spec.imageRepositoryRef.name))
      const failing = failingCondition(p)
      const message = failing?.message ?? ''
      const family = failing ? classifyPolicy(message, Boolean(spec.filterTags?.pattern)) : undefined
      if (failing && family && ALONE.has(family.code)) {
        out.push(finding(family.code, `${ref(p)}: ${message}`, { subject }))
        continue
      }
      if (failing) out.push(finding('FIA420', `${ref(p)}: ${conditionText(failing)}`, { subject, evidence: [`for every tag's verdict: flux-imgauto explain policy ${ref(p)}`] }))
      if (failing && !family) out.push(finding('FIA409', `${ref(p)}: Flux says "${message}", which matches no known ImagePolicy failure.`, { subject, evidence: [POLICY_RULED_OUT] }))
      const tags = (repo?.status?.lastScanResult as { latestTags?: string[] } | undefined)?.latestTags
      const replayed =
        repo && tags
          ? explainPolicy({
              policy: { metadata: p.metadata, spec, ...(p.status ? { status: p.status as ImagePolicyObject['status'] } : {}) },
              repository: repo as ImageRepositoryObject,
              tags: { kind: 'status', description: 'status', tags, complete: false },
              fromCluster: true,
            }).findings.filter((f) => FROM_REPLAY.test(f.code))
          : []
      const cause = replayed.filter((f) => WHY_IT_FAILS.test(f.code))
      const rest = replayed.filter((f) => !WHY_IT_FAILS.test(f.code) && (f.code !== 'FIA111' || failing !== undefined))
      if (failing && family) {
        // Flux's message is evidence; the replay over ten tags, with today's Go, is not. Where
        // they disagree the message wins, and the finding says so.
        const agreeing = cause.filter((f) => f.code === family.code)
        if (agreeing.length > 0) out.push(...agreeing)
        else {
          const replaySays = cause.length > 0 ? `the replay over the tags the cluster holds says otherwise (${cause.map((f) => f.code).join(', ')}: ${cause[0]?.message ?? ''})` : 'the replay over the tags the cluster holds selects a tag'
          const older = family.code === 'FIA104' && /\(\?</.test(spec.filterTags?.pattern ?? '') ? ['image-reflector-controller up to v0.31 (Flux 2.2) is built with Go 1.20, which rejects (?<name>…); write (?P<name>…)'] : []
          out.push(finding(family.code, `${ref(p)}: ${family.cause}, as Flux says: ${message}`, { subject, evidence: [`${replaySays}; Flux's own message is trusted over it`, ...older] }))
        }
        const latest = (p.status as { latestRef?: { name?: string; tag?: string } } | undefined)?.latestRef
        if (latest?.tag && !rest.some((f) => f.code === 'FIA111')) {
          out.push(finding('FIA111', `Flux cannot select a tag (${message}) but status.latestRef still holds ${latest.name ?? ''}:${latest.tag}; automations keep writing it.`, { subject }))
        }
      }
      out.push(...rest)
    }
    return out
  },
}
