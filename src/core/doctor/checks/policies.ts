// Stage 3 (catalogue C, D): ImagePolicies select a tag; when they do not, the replay over the
// tags the cluster holds says why, and risky specs are flagged either way.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import { explainPolicy, type ImagePolicyObject, type ImageRepositoryObject } from '../../policy/explain.js'
import { type Check, subjectOf } from '../check.js'
import { conditionText, failingCondition, objectsOf, ref } from '../snapshot.js'

// Of the replay's findings: why it fails and what is risky. Not FIA110/FIA112: over the ten
// tags the status holds, a different pick or an incomplete list says nothing new.
const FROM_REPLAY = /^FIA1(0\d|11|2\d)$/

export const policiesSelect: Check = {
  id: 'policies-select',
  stage: 'policies',
  title: 'ImagePolicies select a tag',
  needs: ['ImagePolicy', 'ImageRepository'],
  run(s) {
    const out: Finding[] = []
    const repos = objectsOf(s, 'ImageRepository') ?? []
    for (const p of objectsOf(s, 'ImagePolicy') ?? []) {
      const subject = subjectOf('ImagePolicy', p)
      const spec = (p.spec ?? {}) as ImagePolicyObject['spec'] & { suspend?: boolean }
      if (spec.suspend) {
        out.push(finding('FIA424', `${ref(p)} is suspended.`, { subject }))
        continue
      }
      const repoNs = spec.imageRepositoryRef?.namespace ?? p.metadata.namespace
      const repo = repos.find((r) => r.metadata.name === spec.imageRepositoryRef?.name && r.metadata.namespace === repoNs)
      const failing = failingCondition(p)
      const message = failing?.message ?? ''
      if (failing && (failing.reason === 'AccessDenied' || /does not exist|cross-namespace references have been blocked/.test(message))) {
        out.push(finding('FIA422', `${ref(p)}: ${message}`, { subject }))
        continue
      }
      // digestReflectionPolicy: the tag was chosen, its manifest could not be read (catalogue C6).
      if (failing && /failed fetching digest of/.test(message)) {
        out.push(finding('FIA425', `${ref(p)}: ${message}`, { subject }))
        continue
      }
      if (failing && /no tags in database/.test(message)) {
        out.push(finding('FIA423', `${ref(p)}: ${message}`, { subject }))
        continue
      }
      if (failing) out.push(finding('FIA420', `${ref(p)}: ${conditionText(failing)}`, { subject, evidence: [`for every tag's verdict: flux-imgauto explain policy ${ref(p)}`] }))
      const tags = (repo?.status?.lastScanResult as { latestTags?: string[] } | undefined)?.latestTags
      if (!repo || !tags) continue
      const policy: ImagePolicyObject = { metadata: p.metadata, spec, ...(p.status ? { status: p.status as ImagePolicyObject['status'] } : {}) }
      const { findings } = explainPolicy({ policy, repository: repo as ImageRepositoryObject, tags: { kind: 'status', description: 'status', tags, complete: false }, fromCluster: true })
      out.push(...findings.filter((f) => FROM_REPLAY.test(f.code) && (failing !== undefined || !/^FIA10\d$/.test(f.code))))
    }
    return out
  },
}
