// Stage 6 (catalogue G): committed but not deployed. The automation's lastPushCommit against
// the revision its GitRepository has fetched, the Kustomizations built from it have applied,
// and the HelmReleases those Kustomizations manage have released.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import { type Check, subjectOf } from '../check.js'
import { durationMs } from '../../go/duration.js'
import { assumedText } from '../../flux/detect.js'
import { type ImageKind, minorsServing, minorsText, preferredApi } from '../../flux/versions.js'
import { classifyGit, GIT_RULED_OUT } from '../git-failures.js'
import { byRef, condition, conditionText, type KObject, objectsOf, ref, refKey, type Snapshot } from '../snapshot.js'

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
  const gitRepos = byRef(objectsOf(s, 'GitRepository') ?? [])
  // Kustomizations by the GitRepository they are built from, grouped once.
  const builtFrom = new Map<string, KObject[]>()
  for (const k of objectsOf(s, 'Kustomization') ?? []) {
    const src = k.spec?.sourceRef as { kind?: string; name?: string; namespace?: string } | undefined
    if (src?.kind !== 'GitRepository' || src.name === undefined) continue
    const key = refKey(src.namespace ?? k.metadata.namespace, src.name)
    const built = builtFrom.get(key)
    if (built) built.push(k)
    else builtFrom.set(key, [k])
  }
  const out: Leg[] = []
  for (const a of objectsOf(s, 'ImageUpdateAutomation') ?? []) {
    const spec = (a.spec ?? {}) as { sourceRef?: { name?: string; namespace?: string }; git?: { push?: { branch?: string }; checkout?: { ref?: { branch?: string } } } }
    const pushed = a.status?.lastPushCommit as string | undefined
    if (!pushed || !spec.sourceRef?.name) continue
    const repoNs = spec.sourceRef.namespace ?? a.metadata.namespace
    const git = gitRepos.get(refKey(repoNs, spec.sourceRef.name))
    if (!git) continue
    const gitBranch = ((git.spec?.ref as { branch?: string } | undefined)?.branch) ?? 'master'
    const built = builtFrom.get(refKey(git.metadata.namespace, git.metadata.name)) ?? []
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

/** The commit pairs whose ancestry the doctor asks a --repo checkout about: [pushed, artifact]. */
export function ancestryQuestions(s: Snapshot): [string, string][] {
  return legs(s).flatMap((l) => {
    const artifact = sha(l.artifact)
    const applied = l.kustomizations.map((k) => sha(k.status?.lastAppliedRevision)).filter((x): x is string => x !== undefined)
    return [...(artifact ? [artifact] : []), ...applied].filter((x) => x !== l.pushed).map((x): [string, string] => [l.pushed, x])
  })
}

/**
 * Whether a revision holds the pushed commit: the same commit; else the --repo checkout's
 * history; else, for the branch the bot pushed to, a revision fetched after the push (a branch
 * only moves forward without a force push). Says how it knows.
 */
function contains(s: Snapshot, pushed: string, pushedAt: string | undefined, revision: string | undefined, revisionAt: string | undefined): { holds: boolean | undefined; how: string } {
  const rev = sha(revision)
  if (rev === undefined) return { holds: false, how: 'there is no revision' }
  if (rev === pushed) return { holds: true, how: 'same commit' }
  const known = s.ancestry?.get(`${pushed}..${rev}`)
  if (known !== undefined) return { holds: known, how: `certain: the --repo checkout's history ${known ? 'has' : 'does not have'} ${pushed.slice(0, 7)} in ${rev.slice(0, 7)}` }
  if (pushedAt && revisionAt) {
    const after = Date.parse(revisionAt) >= Date.parse(pushedAt)
    return { holds: after, how: `by time, not certain: fetched at ${revisionAt}, ${after ? 'after' : 'before'} the push at ${pushedAt}${after ? ' (unless the branch was force-pushed since)' : ''}; pass --repo for the commit history` }
  }
  return { holds: undefined, how: 'unknown: no time to compare and no --repo history' }
}

export const pushedIsDeployed: Check = {
  id: 'pushed-is-deployed',
  stage: 'delivery',
  title: 'Pushed commits reach the GitRepository and are applied',
  needs: ['ImageUpdateAutomation', 'GitRepository', 'Kustomization'],
  over: (s) => ({ count: legs(s).filter((l) => l.pushBranch === l.gitBranch).length, what: 'ImageUpdateAutomation that has pushed to the branch its GitRepository fetches' }),
  run(s) {
    const out: Finding[] = []
    for (const { automation: a, git, pushed, pushedAt, pushBranch, gitBranch, artifact, kustomizations } of legs(s)) {
      if (pushBranch !== gitBranch) continue // pushes go to a branch that deploys only once merged
      const interval = durationMs(git.spec?.interval) ?? 60_000
      const waited = pushedAt ? s.now - Date.parse(pushedAt) : Infinity
      const artifactAt = (git.status?.artifact as { lastUpdateTime?: string } | undefined)?.lastUpdateTime
      const fetched = contains(s, pushed, pushedAt, artifact, artifactAt)
      // Someone committing after the bot is no alarm: only an artifact without the pushed commit is.
      if (fetched.holds !== true) {
        if (waited > 2 * interval + 60_000 && (fetched.holds === false || fetched.how.startsWith('unknown'))) {
          out.push(finding('FIA450', `${ref(a)} pushed ${pushed.slice(0, 7)} to ${pushBranch}; GitRepository ${ref(git)} serves ${artifact ?? 'nothing'}, which does not hold it.`, { subject: subjectOf('GitRepository', git), evidence: [`lastPushCommit: ${pushed}`, `artifact.revision: ${artifact ?? '(none)'}`, fetched.how] }))
        }
        continue
      }
      for (const k of kustomizations) {
        const applied = k.status?.lastAppliedRevision
        // It applied the pushed commit, a revision whose history holds it, or the artifact that does.
        const has = contains(s, pushed, pushedAt, typeof applied === 'string' ? applied : undefined, undefined)
        if (has.holds === true || (has.holds === undefined && sha(applied) === sha(artifact))) continue
        const ready = condition(k, 'Ready')
        out.push(
          finding('FIA451', `Kustomization ${ref(k)} applied ${typeof applied === 'string' ? applied : 'nothing'}, not ${artifact}${ready?.status === 'False' ? `: ${ready.message ?? ''}` : ''}.`, {
            subject: subjectOf('Kustomization', k),
            evidence: [`lastAppliedRevision: ${String(applied ?? '(none)')}`, `GitRepository artifact: ${artifact}`, has.how],
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
  over: (s) => {
    // A set of the Kustomizations' keys, not a search of them per HelmRelease.
    const ks = new Set(legs(s).flatMap((l) => l.kustomizations.map((k) => refKey(k.metadata.namespace, k.metadata.name))))
    const managed = (objectsOf(s, 'HelmRelease') ?? []).filter((h) => {
      const name = h.metadata.labels?.['kustomize.toolkit.fluxcd.io/name']
      return name !== undefined && ks.has(refKey(h.metadata.labels?.['kustomize.toolkit.fluxcd.io/namespace'], name))
    })
    return { count: managed.length, what: 'HelmRelease applied by a Kustomization built from an automation\'s GitRepository' }
  },
  run(s) {
    const out: Finding[] = []
    // HelmReleases by the Kustomization that manages them (its labels), grouped once.
    const managedBy = new Map<string, KObject[]>()
    for (const h of objectsOf(s, 'HelmRelease') ?? []) {
      const labels = h.metadata.labels ?? {}
      const name = labels['kustomize.toolkit.fluxcd.io/name']
      if (name === undefined) continue
      const key = refKey(labels['kustomize.toolkit.fluxcd.io/namespace'], name)
      const managed = managedBy.get(key)
      if (managed) managed.push(h)
      else managedBy.set(key, [h])
    }
    const seen = new Set<string>()
    for (const { pushed, kustomizations } of legs(s)) {
      for (const k of kustomizations.filter((x) => sha(x.status?.lastAppliedRevision) === pushed)) {
        for (const h of managedBy.get(refKey(k.metadata.namespace, k.metadata.name)) ?? []) {
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

/** The GitRepositories the automations push to, and the Kustomizations built from them. */
function sources(s: Snapshot): { gits: KObject[]; kustomizations: KObject[] } {
  // References as sets of keys, not a search of every automation per GitRepository.
  const pushedTo = new Set<string>()
  for (const a of objectsOf(s, 'ImageUpdateAutomation') ?? []) {
    const src = a.spec?.sourceRef as { name?: string; namespace?: string } | undefined
    if (src?.name !== undefined) pushedTo.add(refKey(src.namespace ?? a.metadata.namespace, src.name))
  }
  const gits = (objectsOf(s, 'GitRepository') ?? []).filter((g) => pushedTo.has(refKey(g.metadata.namespace, g.metadata.name)))
  const gitKeys = new Set(gits.map((g) => refKey(g.metadata.namespace, g.metadata.name)))
  const kustomizations = (objectsOf(s, 'Kustomization') ?? []).filter((k) => {
    const src = k.spec?.sourceRef as { kind?: string; name?: string; namespace?: string } | undefined
    return src?.kind === 'GitRepository' && src.name !== undefined && gitKeys.has(refKey(src.namespace ?? k.metadata.namespace, src.name))
  })
  return { gits, kustomizations }
}

// kustomize-controller's dry-run of an image object at an API version the cluster does not serve.
const NO_MATCH = /no matches for kind "(ImageRepository|ImagePolicy|ImageUpdateAutomation)" in version "(image\.toolkit\.fluxcd\.io\/[^"]+)"/

// The Ready conditions of the GitRepositories the automations push to and of the
// Kustomizations built from them: the last leg fails there, and says why.
export const sourcesReady: Check = {
  id: 'sources-ready',
  stage: 'delivery',
  title: "The automations' GitRepositories and their Kustomizations are Ready",
  needs: ['ImageUpdateAutomation', 'GitRepository', 'Kustomization'],
  over: (s) => ({ count: sources(s).gits.length, what: 'GitRepository an automation pushes to' }),
  run(s) {
    const out: Finding[] = []
    const { gits, kustomizations } = sources(s)
    for (const g of gits) {
      const failing = condition(g, 'Ready')
      if (failing?.status !== 'False' || g.spec?.suspend) continue
      const subject = subjectOf('GitRepository', g)
      const message = failing.message ?? ''
      out.push(finding('FIA453', `GitRepository ${ref(g)}: ${conditionText(failing)}`, { subject }))
      const family = classifyGit(message)
      if (family) out.push(finding(family.code, `GitRepository ${ref(g)}: ${family.cause}: ${message}`, { subject }))
      else out.push(finding('FIA409', `GitRepository ${ref(g)}: Flux says "${message}", which matches no known Git failure.`, { subject, evidence: [GIT_RULED_OUT] }))
    }
    for (const k of kustomizations) {
      const failing = condition(k, 'Ready')
      if (failing?.status !== 'False' || k.spec?.suspend) continue
      const subject = subjectOf('Kustomization', k)
      const message = failing.message ?? ''
      out.push(finding('FIA454', `Kustomization ${ref(k)}: ${conditionText(failing)}`, { subject }))
      const m = NO_MATCH.exec(message)
      if (m) out.push(apiVersionFinding(s, m[1] as ImageKind, m[2] as string, subject))
    }
    return out
  },
}

function apiVersionFinding(s: Snapshot, kind: ImageKind, apiVersion: string, subject: ReturnType<typeof subjectOf>): Finding {
  const v = s.fluxVersion
  const serving = minorsServing(kind, apiVersion)
  const current = v?.known ? v.minors : undefined
  const newest = current ? Math.max(...current) : undefined
  const upgrade = serving.length > 0 && newest !== undefined && Math.min(...serving) > newest
  const write = current ? preferredApi(kind, current) : 'image.toolkit.fluxcd.io/v1'
  return finding('FIA504', `A manifest applied by this Kustomization uses ${kind} ${apiVersion}, which the cluster does not serve.`, {
    subject,
    evidence: [...(v ? [assumedText(v)] : []), serving.length > 0 ? `${apiVersion} is served by ${minorsText(serving)}` : `${apiVersion} is served by no Flux 2.x`],
    fix: upgrade ? `Upgrade to ${minorsText([Math.min(...serving)])} or later, or write apiVersion: ${write} in the manifest.` : `Write apiVersion: ${write} in the manifest (v1beta2 and v1 have the same fields).`,
  })
}
