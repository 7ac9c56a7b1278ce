// The Flux version model: for each Flux minor 2.0 → 2.9, the controllers it ships and what
// changed between them that a diagnosis depends on. Every version-dependent check and rule asks
// this table rather than assuming the newest release.
//
// Read off fluxcd/flux2 manifests/bases/*/kustomization.yaml at each v2.N.0 tag (the controller
// versions), the CRDs under config/crd/bases at the controllers' tags (served and storage
// versions, status fields), and their CHANGELOGs:
// - image-reflector-controller up to v0.34.0 clears status.latestImage at the start of each
//   reconcile, so a failing policy has no pick (the automation skips it); v0.35.0 adds
//   status.latestRef/observedPreviousRef beside latestImage, writes both and keeps them while
//   the policy fails; v1.0.0 promotes v1, removes v1beta1 and latestImage, adds
//   ImagePolicy spec.suspend; v1.0.3 retries "no tags in database" (retrying in 30s …);
//   v1.2.0 removes v1beta2. It is built with Go 1.20 up to v0.31 (no (?<name>…) groups) and
//   Go ≥ 1.22 from v0.32.
// - image-automation-controller v0.38.0 adds v1beta2 (v1beta1 deprecated), policySelector, the
//   constant "repository up-to-date" Ready message and deprecates .Updated; v0.41.0 reads the
//   policies' latestRef (before: latestImage); v1.0.0 promotes v1, removes v1beta1 and makes
//   .Updated a Stalled error (RemovedTemplateField); v1.2.0 removes v1beta2.
// - flux2 v2.7.0 prints ImagePolicies as IMAGE and TAG (before: LATEST IMAGE).
//
// Condition reasons (Ready and Stalled), read off each controller's reconcilers and api
// condition_types.go at its tags (meta.* and aclapi.* from fluxcd/pkg; "Failure" is
// metav1.StatusFailure): image-automation-controller ≤ v0.37 (Flux ≤ 2.2) had its own set
// (ReconciliationSucceeded, ReconciliationFailed, GitRepositoryNotAvailable,
// MissingUpdateStrategy); v0.38 replaced it; v1.0 adds RemovedTemplateField and
// FeatureGateDisabled. image-reflector-controller ≤ v0.34 sets Failed on an ImagePolicy whose
// previous image does not parse; v0.35 adds FeatureGateDisabled (both kinds), and ImageURLInvalid
// and IntervalNotConfigured on ImagePolicy (digest reflection).
//
// Feature gates and their defaults (internal/features/features.go at each tag, and fluxcd/pkg
// auth's ObjectLevelWorkloadIdentity where the controller registers it): image-automation-
// controller GitForcePushBranch, GitShallowClone, GitAllBranchReferences on and
// CacheSecretsAndConfigMaps off throughout; GitSparseCheckout (off) and ObjectLevelWorkloadIdentity
// (off) from v1.0. image-reflector-controller CacheSecretsAndConfigMaps (off) throughout,
// ObjectLevelWorkloadIdentity (off) from v0.35, FluxStorage (off) from v1.2. source-controller
// CacheSecretsAndConfigMaps (off) throughout; ObjectLevelWorkloadIdentity from v1.6 (OCIRepository),
// checked for a GitRepository from v1.7.

export type ImageKind = 'ImageRepository' | 'ImagePolicy' | 'ImageUpdateAutomation'
export const IMAGE_KINDS: readonly ImageKind[] = ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation']
export const IMAGE_GROUP = 'image.toolkit.fluxcd.io'

export interface FluxMinor {
  /** N of Flux 2.N. */
  minor: number
  /** The controllers' minor versions the release ships (its .0 patch). */
  sourceController: string
  imageReflector: string
  imageAutomation: string
  /** API versions each image kind's CRD serves (storage first), and those served but deprecated. */
  served: Record<ImageKind, readonly string[]>
  deprecated: Record<ImageKind, readonly string[]>
  /** Where ImagePolicy status holds the pick, as image-automation-controller reads it. */
  selection: 'latestImage' | 'latestRef'
  /** The .Updated template data (and .Changed.ImageResult): usable, deprecated, or a Stalled error. */
  updatedTemplate: 'current' | 'deprecated' | 'removed'
  /** image-automation-controller's Ready message on success. */
  automationReady: string
  /** Whether (?<name>…) named groups compile in filterTags.pattern (Go ≥ 1.22). */
  angleNamedGroups: boolean
  /** flux get image policy columns. */
  policyColumns: 'LATEST IMAGE' | 'IMAGE, TAG'
  /** The reasons the controllers set on each image kind's Ready and Stalled conditions. */
  reasons: Record<ImageKind, readonly string[]>
  /** The feature gates each image controller accepts in --feature-gates, with their defaults. */
  featureGates: Record<'image-reflector-controller' | 'image-automation-controller', Readonly<Record<string, boolean>>>
}

/**
 * Ready messages only some releases write (read off the reconcilers at their tags): the
 * automation's constant "repository up-to-date" from image-automation-controller v0.38 (before:
 * "committed and pushed …" or "no updates made"); image-reflector-controller's policy message
 * quoting the image up to v0.34, "has not been scanned yet" up to v0.35, "retrying in 30s" from
 * v1.0.3, and the scan checksum from v1.0.
 */
export const MESSAGE_MARKS: readonly { kind: ImageKind; pattern: RegExp; minors: (minor: number) => boolean; what: string }[] = [
  { kind: 'ImageUpdateAutomation', pattern: /^repository up-to-date$/, minors: (m) => m >= 3, what: 'the constant "repository up-to-date" (image-automation-controller ≥ v0.38)' },
  { kind: 'ImageUpdateAutomation', pattern: /^(committed and pushed commit '|no updates made)/, minors: (m) => m <= 2, what: 'a per-run result message (image-automation-controller ≤ v0.37)' },
  { kind: 'ImagePolicy', pattern: /^Latest image tag for '[^']*' (resolved to|updated from) /, minors: (m) => m <= 5, what: "the image name in quotes (image-reflector-controller ≤ v0.34)" },
  { kind: 'ImagePolicy', pattern: /^Latest image tag for [^'\s]\S* resolved to /, minors: (m) => m >= 6, what: 'the image name without quotes (image-reflector-controller ≥ v0.35)' },
  { kind: 'ImagePolicy', pattern: /referenced ImageRepository has not been scanned yet/, minors: (m) => m <= 6, what: '"has not been scanned yet" (image-reflector-controller ≤ v0.35)' },
  { kind: 'ImagePolicy', pattern: /^retrying in \d+s error: /, minors: (m) => m >= 7, what: 'the dependency retry (image-reflector-controller ≥ v1.0.3)' },
  { kind: 'ImageRepository', pattern: /^successful scan: found \d+ tags with checksum /, minors: (m) => m >= 7, what: 'a scan checksum (image-reflector-controller ≥ v1.0)' },
  { kind: 'ImageRepository', pattern: /^successful scan: found \d+ tags$/, minors: (m) => m <= 6, what: 'a scan message without checksum (image-reflector-controller < v1.0)' },
]

const PROGRESS = ['Progressing', 'ProgressingWithRetry']

function reasonsOf(minor: number): FluxMinor['reasons'] {
  return {
    ImageRepository: ['Succeeded', ...PROGRESS, 'Failure', 'ReadOperationFailed', 'AuthenticationFailed', 'ImageURLInvalid', ...(minor >= 6 ? ['FeatureGateDisabled'] : [])],
    ImagePolicy: ['Succeeded', ...PROGRESS, 'Failure', 'InvalidPolicy', 'AccessDenied', 'DependencyNotReady', ...(minor <= 5 ? ['Failed'] : ['ImageURLInvalid', 'IntervalNotConfigured', 'FeatureGateDisabled'])],
    ImageUpdateAutomation:
      minor <= 2
        ? ['ReconciliationSucceeded', 'ReconciliationFailed', 'GitRepositoryNotAvailable', 'MissingUpdateStrategy']
        : ['Succeeded', ...PROGRESS, 'AccessDenied', 'GitOperationFailed', 'InvalidPolicySelector', 'InvalidSourceConfiguration', 'InvalidUpdateStrategy', 'SourceManagerFailed', 'UpdateFailed', ...(minor >= 7 ? ['RemovedTemplateField', 'FeatureGateDisabled'] : [])],
  }
}

function featureGatesOf(minor: number): FluxMinor['featureGates'] {
  return {
    'image-reflector-controller': { CacheSecretsAndConfigMaps: false, ...(minor >= 6 ? { ObjectLevelWorkloadIdentity: false } : {}), ...(minor >= 9 ? { FluxStorage: false } : {}) },
    'image-automation-controller': { GitForcePushBranch: true, GitShallowClone: true, GitAllBranchReferences: true, CacheSecretsAndConfigMaps: false, ...(minor >= 7 ? { GitSparseCheckout: false, ObjectLevelWorkloadIdentity: false } : {}) },
  }
}

const OLD_IUA = { ImageRepository: ['v1beta2', 'v1beta1'], ImagePolicy: ['v1beta2', 'v1beta1'], ImageUpdateAutomation: ['v1beta1'] } as const
const BETA2 = { ImageRepository: ['v1beta2', 'v1beta1'], ImagePolicy: ['v1beta2', 'v1beta1'], ImageUpdateAutomation: ['v1beta2', 'v1beta1'] } as const
const GA = { ImageRepository: ['v1', 'v1beta2'], ImagePolicy: ['v1', 'v1beta2'], ImageUpdateAutomation: ['v1', 'v1beta2'] } as const
const V1 = { ImageRepository: ['v1'], ImagePolicy: ['v1'], ImageUpdateAutomation: ['v1'] } as const
const NONE = { ImageRepository: [], ImagePolicy: [], ImageUpdateAutomation: [] } as const

function release(minor: number, irc: string, iac: string, served: FluxMinor['served'], deprecated: FluxMinor['deprecated']): FluxMinor {
  return {
    minor,
    sourceController: `v1.${minor}`,
    imageReflector: irc,
    imageAutomation: iac,
    served,
    deprecated,
    selection: minor <= 5 ? 'latestImage' : 'latestRef',
    updatedTemplate: minor <= 2 ? 'current' : minor <= 6 ? 'deprecated' : 'removed',
    automationReady: minor <= 2 ? 'committed and pushed …, or no updates made' : 'repository up-to-date',
    angleNamedGroups: minor >= 3,
    policyColumns: minor <= 6 ? 'LATEST IMAGE' : 'IMAGE, TAG',
    reasons: reasonsOf(minor),
    featureGates: featureGatesOf(minor),
  }
}

const IUA_BETA1 = { ...NONE, ImageUpdateAutomation: ['v1beta1'] }

/** Flux 2.0 → 2.9, by minor. */
export const FLUX_MINORS: readonly FluxMinor[] = [
  release(0, 'v0.29', 'v0.35', OLD_IUA, NONE),
  release(1, 'v0.30', 'v0.36', OLD_IUA, NONE),
  release(2, 'v0.31', 'v0.37', OLD_IUA, NONE),
  release(3, 'v0.32', 'v0.38', BETA2, IUA_BETA1),
  release(4, 'v0.33', 'v0.39', BETA2, IUA_BETA1),
  release(5, 'v0.34', 'v0.40', BETA2, IUA_BETA1),
  release(6, 'v0.35', 'v0.41', BETA2, IUA_BETA1),
  release(7, 'v1.0', 'v1.0', GA, { ImageRepository: ['v1beta2'], ImagePolicy: ['v1beta2'], ImageUpdateAutomation: ['v1beta2'] }),
  release(8, 'v1.1', 'v1.1', GA, { ImageRepository: ['v1beta2'], ImagePolicy: ['v1beta2'], ImageUpdateAutomation: ['v1beta2'] }),
  release(9, 'v1.2', 'v1.2', V1, NONE),
]

export const NEWEST_MINOR = 9

export function fluxMinor(minor: number): FluxMinor {
  return FLUX_MINORS[Math.max(0, Math.min(NEWEST_MINOR, minor))] as FluxMinor
}

/** "Flux 2.7", or "Flux 2.3–2.5" for a range. */
export function minorsText(minors: readonly number[]): string {
  const lo = Math.min(...minors)
  const hi = Math.max(...minors)
  return lo === hi ? `Flux 2.${lo}` : `Flux 2.${lo}–2.${hi}`
}

/** The Flux minor that ships a controller at this version (v1.2.3 → 9), or undefined. */
export function minorOfController(controller: 'source-controller' | 'image-reflector-controller' | 'image-automation-controller', version: string): number | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version)
  if (!m) return undefined
  const key = `v${m[1]}.${m[2]}`
  const field = controller === 'source-controller' ? 'sourceController' : controller === 'image-reflector-controller' ? 'imageReflector' : 'imageAutomation'
  const found = FLUX_MINORS.find((f) => f[field] === key)
  if (found) return found.minor
  // Newer than the table knows: treat as the newest release it describes.
  const newest = FLUX_MINORS[NEWEST_MINOR] as FluxMinor
  return compare(key, newest[field]) > 0 ? NEWEST_MINOR : undefined
}

function compare(a: string, b: string): number {
  const pa = a.slice(1).split('.').map(Number)
  const pb = b.slice(1).split('.').map(Number)
  return (pa[0] ?? 0) - (pb[0] ?? 0) || (pa[1] ?? 0) - (pb[1] ?? 0)
}

/** How a Flux minor serves an image API version: served, served but deprecated, or not at all. */
export function apiSupport(minor: number, kind: ImageKind, apiVersion: string): 'served' | 'deprecated' | 'not-served' {
  const version = apiVersion.startsWith(IMAGE_GROUP + '/') ? apiVersion.slice(IMAGE_GROUP.length + 1) : apiVersion
  const f = fluxMinor(minor)
  if (!f.served[kind].includes(version)) return 'not-served'
  return f.deprecated[kind].includes(version) ? 'deprecated' : 'served'
}

/** The Flux minors that serve an image API version for a kind. */
export function minorsServing(kind: ImageKind, apiVersion: string): number[] {
  return FLUX_MINORS.filter((f) => apiSupport(f.minor, kind, apiVersion) !== 'not-served').map((f) => f.minor)
}

/** The API version to write for a kind on these Flux minors: the newest all of them serve. */
export function preferredApi(kind: ImageKind, minors: readonly number[]): string {
  for (const v of ['v1', 'v1beta2', 'v1beta1']) if (minors.every((m) => apiSupport(m, kind, v) === 'served')) return `${IMAGE_GROUP}/${v}`
  for (const v of ['v1', 'v1beta2', 'v1beta1']) if (minors.every((m) => apiSupport(m, kind, v) !== 'not-served')) return `${IMAGE_GROUP}/${v}`
  return 'image.toolkit.fluxcd.io/v1'
}
