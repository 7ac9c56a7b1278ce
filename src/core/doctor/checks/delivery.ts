// Stage 6 (catalogue G): committed but not deployed. The automation's lastPushCommit against
// the revision its GitRepository has fetched and the Kustomizations built from it have applied.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import { type Check, subjectOf } from '../check.js'
import { condition, durationMs, objectsOf, ref } from '../snapshot.js'

function sha(revision: unknown): string | undefined {
  return typeof revision === 'string' ? /(?:sha1:|@|^)([0-9a-f]{40})$/.exec(revision)?.[1] : undefined
}

export const pushedIsDeployed: Check = {
  id: 'pushed-is-deployed',
  stage: 'delivery',
  title: 'Pushed commits reach the GitRepository and are applied',
  needs: ['ImageUpdateAutomation', 'GitRepository', 'Kustomization'],
  run(s) {
    const out: Finding[] = []
    const gitRepos = objectsOf(s, 'GitRepository') ?? []
    const kustomizations = objectsOf(s, 'Kustomization') ?? []
    for (const a of objectsOf(s, 'ImageUpdateAutomation') ?? []) {
      const spec = (a.spec ?? {}) as { sourceRef?: { name?: string; namespace?: string }; git?: { push?: { branch?: string }; checkout?: { ref?: { branch?: string } } } }
      const pushed = a.status?.lastPushCommit as string | undefined
      const pushedAt = a.status?.lastPushTime as string | undefined
      if (!pushed || !spec.sourceRef?.name) continue
      const repoNs = spec.sourceRef.namespace ?? a.metadata.namespace
      const git = gitRepos.find((g) => g.metadata.name === spec.sourceRef?.name && g.metadata.namespace === repoNs)
      if (!git) continue
      const gitBranch = ((git.spec?.ref as { branch?: string } | undefined)?.branch) ?? 'master'
      const pushBranch = spec.git?.push?.branch ?? spec.git?.checkout?.ref?.branch ?? gitBranch
      if (pushBranch !== gitBranch) continue // pushes go to a branch that deploys only once merged
      const artifact = (git.status?.artifact as { revision?: string } | undefined)?.revision
      const interval = durationMs(git.spec?.interval) ?? 60_000
      const waited = pushedAt ? s.now - Date.parse(pushedAt) : Infinity
      if (sha(artifact) !== pushed && waited > 2 * interval + 60_000) {
        out.push(finding('FIA450', `${ref(a)} pushed ${pushed.slice(0, 7)} to ${pushBranch}; GitRepository ${ref(git)} still serves ${artifact ?? 'nothing'}.`, { subject: subjectOf('GitRepository', git), evidence: [`lastPushCommit: ${pushed}`, `artifact.revision: ${artifact ?? '(none)'}`] }))
        continue
      }
      if (sha(artifact) !== pushed) continue
      for (const k of kustomizations) {
        const src = k.spec?.sourceRef as { kind?: string; name?: string; namespace?: string } | undefined
        if (src?.kind !== 'GitRepository' || src.name !== git.metadata.name || (src.namespace ?? k.metadata.namespace) !== git.metadata.namespace) continue
        const applied = k.status?.lastAppliedRevision
        if (sha(applied) === pushed) continue
        const ready = condition(k, 'Ready')
        out.push(
          finding('FIA451', `Kustomization ${ref(k)} applied ${typeof applied === 'string' ? applied : 'nothing'}, not ${artifact}${ready?.status === 'False' ? `: ${ready.message ?? ''}` : ''}.`, {
            subject: subjectOf('Kustomization', k),
            evidence: [`lastAppliedRevision: ${String(applied ?? '(none)')}`, `GitRepository artifact: ${artifact}`],
          }),
        )
      }
    }
    return out
  },
}
