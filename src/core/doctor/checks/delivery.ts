// Stage 6 (catalogue G): committed but not deployed. The automation's lastPushCommit against
// the revision its GitRepository has fetched, the Kustomizations built from it have applied,
// and the HelmReleases those Kustomizations manage have released.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import { type Check, subjectOf } from '../check.js'
import { durationMs } from '../../go/duration.js'
import { condition, conditionText, type KObject, objectsOf, ref, type Snapshot } from '../snapshot.js'

function sha(revision: unknown): string | undefined {
  return typeof revision === 'string' ? /(?:sha1:|@|^)([0-9a-f]{40})$/.exec(revision)?.[1] : undefined
}

interface Leg {
  automation: KObject
  git: KObject
  pushed: string
  pushedAt?: string
  pushBranch: string
  gitBranch: string
  artifact?: string
  /** Kustomizations built from the GitRepository. */
  kustomizations: KObject[]
}

// Each automation that has pushed, with the GitRepository it pushes to and what is built from it.
function legs(s: Snapshot): Leg[] {
  const gitRepos = objectsOf(s, 'GitRepository') ?? []
  const kustomizations = objectsOf(s, 'Kustomization') ?? []
  const out: Leg[] = []
  for (const a of objectsOf(s, 'ImageUpdateAutomation') ?? []) {
    const spec = (a.spec ?? {}) as { sourceRef?: { name?: string; namespace?: string }; git?: { push?: { branch?: string }; checkout?: { ref?: { branch?: string } } } }
    const pushed = a.status?.lastPushCommit as string | undefined
    if (!pushed || !spec.sourceRef?.name) continue
    const repoNs = spec.sourceRef.namespace ?? a.metadata.namespace
    const git = gitRepos.find((g) => g.metadata.name === spec.sourceRef?.name && g.metadata.namespace === repoNs)
    if (!git) continue
    const gitBranch = ((git.spec?.ref as { branch?: string } | undefined)?.branch) ?? 'master'
    const built = kustomizations.filter((k) => {
      const src = k.spec?.sourceRef as { kind?: string; name?: string; namespace?: string } | undefined
      return src?.kind === 'GitRepository' && src.name === git.metadata.name && (src.namespace ?? k.metadata.namespace) === git.metadata.namespace
    })
    const pushedAt = a.status?.lastPushTime as string | undefined
    const artifact = (git.status?.artifact as { revision?: string } | undefined)?.revision
    out.push({
      automation: a,
      git,
      pushed,
      ...(pushedAt ? { pushedAt } : {}),
      pushBranch: spec.git?.push?.branch ?? spec.git?.checkout?.ref?.branch ?? gitBranch,
      gitBranch,
      ...(artifact ? { artifact } : {}),
      kustomizations: built,
    })
  }
  return out
}

export const pushedIsDeployed: Check = {
  id: 'pushed-is-deployed',
  stage: 'delivery',
  title: 'Pushed commits reach the GitRepository and are applied',
  needs: ['ImageUpdateAutomation', 'GitRepository', 'Kustomization'],
  run(s) {
    const out: Finding[] = []
    for (const { automation: a, git, pushed, pushedAt, pushBranch, gitBranch, artifact, kustomizations } of legs(s)) {
      if (pushBranch !== gitBranch) continue // pushes go to a branch that deploys only once merged
      const interval = durationMs(git.spec?.interval) ?? 60_000
      const waited = pushedAt ? s.now - Date.parse(pushedAt) : Infinity
      if (sha(artifact) !== pushed && waited > 2 * interval + 60_000) {
        out.push(finding('FIA450', `${ref(a)} pushed ${pushed.slice(0, 7)} to ${pushBranch}; GitRepository ${ref(git)} still serves ${artifact ?? 'nothing'}.`, { subject: subjectOf('GitRepository', git), evidence: [`lastPushCommit: ${pushed}`, `artifact.revision: ${artifact ?? '(none)'}`] }))
        continue
      }
      if (sha(artifact) !== pushed) continue
      for (const k of kustomizations) {
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

// A Kustomization that applied the pushed commit has handed new values to the HelmReleases it
// manages (kustomize-controller labels them with its name and namespace); helm-controller must
// still upgrade the release.
export const helmReleasesUpgraded: Check = {
  id: 'helmreleases-upgraded',
  stage: 'delivery',
  title: 'HelmReleases applied from the pushed commit are released',
  needs: ['ImageUpdateAutomation', 'GitRepository', 'Kustomization', 'HelmRelease'],
  run(s) {
    const out: Finding[] = []
    const releases = objectsOf(s, 'HelmRelease') ?? []
    const seen = new Set<string>()
    for (const { pushed, kustomizations } of legs(s)) {
      for (const k of kustomizations.filter((x) => sha(x.status?.lastAppliedRevision) === pushed)) {
        for (const h of releases) {
          const labels = h.metadata.labels ?? {}
          if (labels['kustomize.toolkit.fluxcd.io/name'] !== k.metadata.name || labels['kustomize.toolkit.fluxcd.io/namespace'] !== k.metadata.namespace) continue
          const ready = condition(h, 'Ready')
          if (ready?.status !== 'False' || seen.has(ref(h))) continue
          seen.add(ref(h))
          out.push(
            finding('FIA452', `HelmRelease ${ref(h)}, applied by Kustomization ${ref(k)} at ${pushed.slice(0, 7)}, is not released: ${conditionText(ready)}`, {
              subject: subjectOf('HelmRelease', h),
              evidence: [`lastAttemptedRevision: ${String(h.status?.lastAttemptedRevision ?? '(none)')}`],
            }),
          )
        }
      }
    }
    return out
  },
}
