// Where an ImagePolicy holds its pick. image-reflector-controller up to v0.34 (Flux ≤ 2.5)
// writes status.latestImage ("host[:port]/repo:tag", no digest: digest reflection came with
// latestRef in v0.35), which image-automation-controller ≤ v0.40 reads; v0.35 writes both and
// v1.0 drops latestImage from the API. So latestRef when there is one, else latestImage, is
// what the automation at the policy's own version reads — explain, trace, preview and the
// doctor all take the pick from here.

export interface PickedRef {
  name: string
  tag: string
  digest?: string
}

export interface PolicyPick {
  ref: PickedRef
  /** The status field it was read from. */
  field: 'latestRef' | 'latestImage'
}

/** "host/repo:tag" → {name, tag}; the tag's colon comes after the last slash (a registry may have a port). */
export function refFromLatestImage(latestImage: unknown): PickedRef | undefined {
  if (typeof latestImage !== 'string') return undefined
  const image = latestImage.split('@')[0] as string
  const colon = image.lastIndexOf(':')
  if (colon < 0 || colon < image.lastIndexOf('/')) return undefined
  return { name: image.slice(0, colon), tag: image.slice(colon + 1) }
}

/** The pick a policy's status shows: latestRef, else latestImage; undefined when it has none. */
export function policyPick(status: unknown): PolicyPick | undefined {
  if (typeof status !== 'object' || status === null) return undefined
  const { latestRef, latestImage } = status as { latestRef?: unknown; latestImage?: unknown }
  if (typeof latestRef === 'object' && latestRef !== null && typeof (latestRef as { tag?: unknown }).tag === 'string') {
    return { ref: latestRef as PickedRef, field: 'latestRef' }
  }
  const ref = refFromLatestImage(latestImage)
  return ref ? { ref, field: 'latestImage' } : undefined
}
