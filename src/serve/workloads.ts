// The three-way view: for each workload container whose image an ImagePolicy tracks, the tag
// Flux picked, the tag the workload runs (its pod template's image), and whether an update is
// pending. A container's image and a policy's ImageRepository spec.image are compared as
// go-containerregistry names them (Docker Hub as index.docker.io, library/ for official images).

import { append } from '../core/append.js'
import type { ResourceRef } from '../adapters/kube.js'
import { type KObject, objectsOf, type Snapshot, type SnapshotKind } from '../core/doctor/snapshot.js'
import { parseImage } from '../core/registry/image.js'
import type { PolicyPick } from './evaluation.js'

export const WORKLOAD_REFS = {
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment' },
  StatefulSet: { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet' },
  DaemonSet: { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet' },
  CronJob: { group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob' },
} as const satisfies Record<string, ResourceRef>

export type WorkloadKind = keyof typeof WORKLOAD_REFS

export interface WorkloadImage {
  namespace: string
  kind: WorkloadKind
  name: string
  container: string
  /** The canonical repository, registry/repository. */
  image: string
  runningTag: string
  policyNamespace: string
  policy: string
  pickedTag: string
  pending: boolean
}

/** A container image reference split as go-containerregistry's name.ParseReference does: canonical repository, tag, digest. */
export function imageReference(ref: string): { canonical: string; tag: string; digest: string } | undefined {
  const [name, digest = ''] = ref.split('@') as [string, string?]
  const slash = name.lastIndexOf('/')
  const colon = name.lastIndexOf(':')
  const tag = colon > slash ? name.slice(colon + 1) : ''
  const parsed = parseImage(colon > slash ? name.slice(0, colon) : name)
  if (!parsed.ok) return undefined
  // A reference with neither tag nor digest runs :latest.
  return { canonical: parsed.name.canonical, tag: tag === '' && digest === '' ? 'latest' : tag, digest }
}

type Container = { name?: string; image?: string }
type PodSpec = { containers?: Container[]; initContainers?: Container[] }
type PodTemplate = { template?: { spec?: PodSpec } }

function podSpec(kind: WorkloadKind, w: KObject): PodSpec | undefined {
  const spec = w.spec as (PodTemplate & { jobTemplate?: { spec?: PodTemplate } }) | undefined
  return kind === 'CronJob' ? spec?.jobTemplate?.spec?.template?.spec : spec?.template?.spec
}

export function workloadImages(s: Snapshot, picks: readonly PolicyPick[], workloads: ReadonlyMap<WorkloadKind, readonly KObject[]>): WorkloadImage[] {
  // What each policy tracks: its ImageRepository's spec.image, else the image of its pick.
  const byName = (kind: SnapshotKind): Map<string, KObject> => {
    const m = new Map<string, KObject>()
    // The first of a name, as a search from the start would find.
    for (const o of objectsOf(s, kind) ?? []) {
      const key = `${o.metadata.namespace ?? ''}/${o.metadata.name}`
      if (!m.has(key)) m.set(key, o)
    }
    return m
  }
  const repos = byName('ImageRepository')
  const policies = byName('ImagePolicy')
  const tracked = new Map<string, { pick: PolicyPick; digest: string }[]>()
  for (const pick of picks) {
    const p = policies.get(`${pick.namespace}/${pick.name}`)
    const repoRef = p?.spec?.imageRepositoryRef as { name?: string; namespace?: string } | undefined
    const repo = repoRef?.name === undefined ? undefined : repos.get(`${repoRef.namespace ?? pick.namespace}/${repoRef.name}`)
    const image = typeof repo?.spec?.image === 'string' ? repo.spec.image : pick.image
    const parsed = imageReference(image)
    if (parsed === undefined) continue
    const digest = ((p?.status?.latestRef ?? {}) as { digest?: string }).digest ?? ''
    append(tracked, parsed.canonical, { pick, digest })
  }
  const out: WorkloadImage[] = []
  for (const [kind, items] of workloads) {
    for (const w of items) {
      const spec = podSpec(kind, w)
      for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
        const running = typeof c.image === 'string' ? imageReference(c.image) : undefined
        if (running === undefined) continue
        for (const { pick, digest } of tracked.get(running.canonical) ?? []) {
          // With digests on both sides (a policy with digest reflection, a pinned container) the digests decide.
          const pending = digest !== '' && running.digest !== '' ? digest !== running.digest : running.tag !== pick.tag
          out.push({ namespace: w.metadata.namespace ?? '', kind, name: w.metadata.name, container: c.name ?? '', image: running.canonical, runningTag: running.tag, policyNamespace: pick.namespace, policy: pick.name, pickedTag: pick.tag, pending })
        }
      }
    }
  }
  return out
}
