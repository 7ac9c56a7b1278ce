// What the doctor judges: the cluster's image-automation objects and their neighbours, read
// once (one list per kind) into plain data. A kind that could not be read is recorded with
// the reason, so the checks that need it say they were skipped and the rest go on.

import type { ToolError } from '../findings/types.js'
import type { FluxVersion } from '../flux/detect.js'

export interface KObject {
  apiVersion?: string
  kind?: string
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string }
  spec?: Record<string, unknown>
  status?: Record<string, unknown>
  /** Secrets only: the type and the key names; the adapters drop the values. */
  type?: string
  keys?: string[]
}

export type SnapshotKind =
  | 'CustomResourceDefinition'
  | 'Deployment'
  | 'ImageRepository'
  | 'ImagePolicy'
  | 'ImageUpdateAutomation'
  | 'GitRepository'
  | 'Kustomization'
  | 'HelmRelease'
  | 'Secret'


export interface Snapshot {
  /** The namespace looked at, or undefined for all namespaces. */
  namespace?: string
  /** Where the Flux controllers run. */
  fluxNamespace: string
  /** Milliseconds since the epoch, for ages. */
  now: number
  objects: Map<SnapshotKind, KObject[]>
  /** Kinds that could not be read, and the error. */
  unavailable: Map<SnapshotKind, ToolError>
  /** Objects left out because a field has the wrong type (one error each, naming the object and field). */
  rejected?: ToolError[]
  /**
   * Kinds not judged, and why, that are no failure of the run: the source does not hold them
   * ("not in the snapshot"), or the role may not read them (Secrets).
   */
  uncovered?: Map<SnapshotKind, string>
  /** Kinds whose objects carry no spec (taken from flux get output, which prints statuses). */
  specless?: Set<SnapshotKind>
  /** The Flux version the checks judge by, and how it was found. */
  fluxVersion?: FluxVersion
  /**
   * Git ancestry from a local checkout (--repo): "A..B" → whether commit A is in B's history;
   * absent when the checkout does not hold both.
   */
  ancestry?: Map<string, boolean>
}

export function objectsOf(s: Snapshot, kind: SnapshotKind): KObject[] | undefined {
  return s.unavailable.has(kind) || s.uncovered?.has(kind) ? undefined : (s.objects.get(kind) ?? [])
}

const CRD_OF: Partial<Record<SnapshotKind, string>> = {
  ImageRepository: 'imagerepositories.image.toolkit.fluxcd.io',
  ImagePolicy: 'imagepolicies.image.toolkit.fluxcd.io',
  ImageUpdateAutomation: 'imageupdateautomations.image.toolkit.fluxcd.io',
  GitRepository: 'gitrepositories.source.toolkit.fluxcd.io',
  Kustomization: 'kustomizations.kustomize.toolkit.fluxcd.io',
  HelmRelease: 'helmreleases.helm.toolkit.fluxcd.io',
}

/** Whether the listed CRDs show that a kind is not installed (so it could not be listed). */
export function crdMissing(s: Snapshot, kind: SnapshotKind): boolean {
  const crds = objectsOf(s, 'CustomResourceDefinition')
  const crd = CRD_OF[kind]
  return crds !== undefined && crd !== undefined && !crds.some((c) => c.metadata.name === crd)
}

/**
 * The reads that failed, as tool errors. A kind whose CRD is not installed is not one: FIA401
 * reports the image CRDs, and the checks that need an optional kind (HelmRelease) are skipped.
 */
export function snapshotErrors(s: Snapshot): ToolError[] {
  return [...[...s.unavailable].filter(([kind]) => !crdMissing(s, kind)).map(([kind, e]) => ({ ...e, message: `${kind}: ${e.message}` })), ...(s.rejected ?? [])]
}

/** Why a kind cannot be judged, or undefined when it can. */
export function missingReason(s: Snapshot, kind: SnapshotKind): string | undefined {
  const e = s.unavailable.get(kind)
  if (e) return `${kind}: ${e.message}`
  const why = s.uncovered?.get(kind)
  return why === undefined ? undefined : `${kind}: ${why}`
}

export interface Condition {
  type: string
  status: string
  reason?: string
  message?: string
  lastTransitionTime?: string
}

export function condition(o: KObject, type: string): Condition | undefined {
  const conditions = (o.status?.conditions ?? []) as Condition[]
  return conditions.find((c) => c.type === type)
}

/** Why an object fails: its Stalled condition when True, else its Ready condition when False. */
export function failingCondition(o: KObject): Condition | undefined {
  const stalled = condition(o, 'Stalled')
  if (stalled?.status === 'True') return stalled
  const ready = condition(o, 'Ready')
  return ready?.status === 'False' ? ready : undefined
}

/** "Reason: message", or the message alone when the source gives no reason (flux get). */
export function conditionText(c: Condition): string {
  return c.reason ? `${c.reason}: ${c.message ?? ''}` : (c.message ?? '')
}

export function ageText(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 120) return `${s}s`
  if (s < 7200) return `${Math.round(s / 60)}m`
  if (s < 172800) return `${Math.round(s / 3600)}h`
  return `${Math.round(s / 86400)}d`
}

/**
 * The key of a reference by namespace and name (an absent namespace is not the empty one),
 * for lookups in a map: a search of every object per reference made the checks quadratic.
 */
export function refKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace === undefined ? '\0' : namespace}/${name ?? '\0'}`
}

/** Objects by refKey; the first of each key, as a search would find. */
export function byRef(objects: readonly KObject[]): Map<string, KObject> {
  const out = new Map<string, KObject>()
  for (const o of objects) {
    const key = refKey(o.metadata.namespace, o.metadata.name)
    if (!out.has(key)) out.set(key, o)
  }
  return out
}

export function ref(o: KObject): string {
  return `${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.metadata.name}`
}
