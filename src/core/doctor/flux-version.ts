// The Flux version a snapshot is judged by (the override, else the controllers' Deployments,
// else the image CRDs, else the shape of flux get output), and the snapshot as that version's
// image-automation-controller sees it: up to Flux 2.5 an ImagePolicy's pick is
// status.latestImage ("host/repo:tag"), which the automation reads as the checks read latestRef.

import { fromCrds, fromDeployments, fromFluxGetShape, type FluxVersion, readsLatestImage, unknownFluxVersion } from '../flux/detect.js'
import { refFromLatestImage } from '../flux/pick.js'
import { condition, type KObject, objectsOf, type Snapshot } from './snapshot.js'

export function detectFluxVersion(s: Snapshot, override?: FluxVersion, policyColumns?: 'LATEST IMAGE' | 'IMAGE, TAG'): FluxVersion {
  if (override) return override
  const deployments = objectsOf(s, 'Deployment')
  const crds = objectsOf(s, 'CustomResourceDefinition')
  const messages = (['ImageRepository', 'ImagePolicy'] as const).flatMap((k) => (objectsOf(s, k) ?? []).map((o) => condition(o, 'Ready')?.message ?? ''))
  return (deployments && fromDeployments(deployments)) ?? (crds && fromCrds(crds)) ?? fromFluxGetShape(policyColumns, messages) ?? unknownFluxVersion()
}

/**
 * Sets the version and, where that version's automation reads status.latestImage, gives each
 * policy that has only latestImage the latestRef the checks read. Returns how many it gave one.
 */
export function applyFluxVersion(s: Snapshot, v: FluxVersion): number {
  s.fluxVersion = v
  if (readsLatestImage(v) === 'none') return 0
  let n = 0
  for (const p of objectsOf(s, 'ImagePolicy') ?? []) {
    const status = p.status as (KObject['status'] & { latestRef?: unknown; latestImage?: unknown }) | undefined
    if (!status || status.latestRef) continue
    const ref = refFromLatestImage(status.latestImage)
    if (!ref) continue
    status.latestRef = ref
    n++
  }
  return n
}
