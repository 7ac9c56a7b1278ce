// Loads the doctor's snapshot: from the cluster (one list per kind, CRDs cluster-wide, the
// controllers' Deployments in the Flux namespace, then Secrets, reduced to their key names,
// when an object references one), or from a saved List such as
// `kubectl get crd,deploy,imagerepositories,imagepolicies,imageupdateautomations,gitrepositories,kustomizations,helmreleases -A -o yaml`.

import { CRD, DEPLOYMENT, GIT_REPOSITORY, HELM_RELEASE, IMAGE_POLICY, IMAGE_REPOSITORY, IMAGE_UPDATE_AUTOMATION, KUSTOMIZATION, type KubeReader, type ResourceRef } from './kube.js'
import { readManifests } from './manifests.js'
import type { KObject, Snapshot, SnapshotKind } from '../core/doctor/snapshot.js'
import type { ToolError } from '../core/findings/types.js'
import { CodedError } from '../core/tool-error.js'
import { secretUses } from '../core/doctor/checks/secrets.js'

// The kinds read with one list each, side by side; Secrets are listed afterwards, and only
// when an object references one.
export const REFS: Record<Exclude<SnapshotKind, 'Secret'>, ResourceRef> = {
  CustomResourceDefinition: CRD,
  Deployment: DEPLOYMENT,
  ImageRepository: IMAGE_REPOSITORY,
  ImagePolicy: IMAGE_POLICY,
  ImageUpdateAutomation: IMAGE_UPDATE_AUTOMATION,
  GitRepository: GIT_REPOSITORY,
  Kustomization: KUSTOMIZATION,
  HelmRelease: HELM_RELEASE,
}

/** The kinds listed side by side, in the order the report walks them. */
export const LISTED_KINDS = Object.keys(REFS) as (keyof typeof REFS)[]

export async function snapshotFromCluster(kube: KubeReader, namespace: string | undefined, fluxNamespace: string, onKind?: (kind: SnapshotKind) => void): Promise<Snapshot> {
  const snapshot: Snapshot = { ...(namespace !== undefined ? { namespace } : {}), fluxNamespace, now: Date.now(), objects: new Map(), unavailable: new Map(), uncovered: new Map(), rejected: [] }
  const read = async (kind: keyof typeof REFS, ref: ResourceRef): Promise<void> => {
    const scope = kind === 'CustomResourceDefinition' ? undefined : kind === 'Deployment' ? fluxNamespace : namespace
    try {
      // An object of the wrong shape is left out and reported; its kind is still judged.
      let items = (await kube.listAny(ref, scope, (e) => snapshot.rejected?.push(e.toToolError()))) as KObject[]
      if (kind === 'CustomResourceDefinition') items = items.filter((c) => c.metadata.name.endsWith('.toolkit.fluxcd.io'))
      snapshot.objects.set(kind, items)
    } catch (e) {
      if (!(e instanceof CodedError)) throw e
      snapshot.unavailable.set(kind, e.toToolError())
    }
    onKind?.(kind)
  }
  // The CRDs first: they say which API version each Flux kind is served at (Flux ≤ 2.6 serves
  // the image kinds at v1beta2, not v1), so every other kind is still read with one list.
  await Promise.all([read('CustomResourceDefinition', CRD), read('Deployment', DEPLOYMENT)])
  const crds = snapshot.unavailable.has('CustomResourceDefinition') ? undefined : snapshot.objects.get('CustomResourceDefinition')
  await Promise.all(LISTED_KINDS.filter((k) => k !== 'CustomResourceDefinition' && k !== 'Deployment').map((kind) => read(kind, servedRef(REFS[kind], crds))))
  if (secretUses(snapshot).length === 0) snapshot.objects.set('Secret', [])
  else {
    try {
      snapshot.objects.set('Secret', await kube.listSecretKeys(namespace))
    } catch (e) {
      if (!(e instanceof CodedError)) throw e
      // A diagnostic role commonly may not read Secrets, and rightly so: the Secret checks are
      // skipped with the reason, and the run is not incomplete for it.
      if (e.id === 'ERR_FORBIDDEN') snapshot.uncovered?.set('Secret', `not readable with this role (${e.message}); grant list on secrets to check them`)
      else snapshot.unavailable.set('Secret', e.toToolError())
    }
    onKind?.('Secret')
  }
  return snapshot
}

/**
 * The version to read a kind at: the one this tool is written for (REFS) when its CRD serves
 * it, else the CRD's storage version. Without the CRDs, the adapter's own fallback applies.
 */
export function servedRef(ref: ResourceRef, crds: readonly KObject[] | undefined): ResourceRef {
  const crd = crds?.find((c) => c.metadata.name === `${ref.plural}.${ref.group}`)
  const versions = (crd?.spec?.versions ?? []) as { name: string; served?: boolean; storage?: boolean }[]
  const served = versions.filter((v) => v.served !== false)
  if (served.length === 0 || served.some((v) => v.name === ref.version)) return ref
  return { ...ref, version: (served.find((v) => v.storage) ?? served[0])?.name ?? ref.version }
}

export async function snapshotFromFile(path: string, namespace: string | undefined, fluxNamespace: string): Promise<Snapshot> {
  const rejected: ToolError[] = []
  // An object of the wrong shape is left out and reported (ERR_MANIFEST, file:line); the rest are judged.
  const objects = (await readManifests(path, (e) => rejected.push(e.toToolError()))) as KObject[]
  const snapshot: Snapshot = { ...(namespace !== undefined ? { namespace } : {}), fluxNamespace, now: Date.now(), objects: new Map(), unavailable: new Map(), uncovered: new Map(), rejected }
  for (const kind of [...Object.keys(REFS), 'Secret'] as SnapshotKind[]) snapshot.objects.set(kind, [])
  for (const o of objects) {
    const kind = o.kind as SnapshotKind | undefined
    if (!kind || !(kind in REFS || kind === 'Secret') || !o.metadata?.name) continue
    if (namespace !== undefined && kind !== 'CustomResourceDefinition' && kind !== 'Deployment' && o.metadata.namespace !== namespace) continue
    snapshot.objects.get(kind)?.push(kind === 'Secret' ? secretSummary(o as KObject & { data?: Record<string, string>; stringData?: Record<string, string> }) : o)
  }
  // The documented kubectl command saves no Secrets: then they cannot be judged.
  if (snapshot.objects.get('Secret')?.length === 0) snapshot.uncovered?.set('Secret', 'not in the snapshot')
  return snapshot
}

function secretSummary(o: KObject & { data?: Record<string, string>; stringData?: Record<string, string> }): KObject {
  return { kind: 'Secret', metadata: o.metadata, ...(o.type ? { type: o.type } : {}), keys: Object.keys({ ...o.data, ...o.stringData }).sort() }
}
