// Which Flux a diagnosis is about, from what is at hand: --flux-version, the controllers'
// Deployments (flux install labels them app.kubernetes.io/version: v2.N.P; their images carry
// the controller versions), the image CRDs' served versions and status schema, the shape of
// flux get output, or a repository's gotk-components.yaml. Each answer says how it was found,
// so the findings that depend on it can say which version they assumed and why.

import { FLUX_MINORS, fluxMinor, IMAGE_KINDS, type ImageKind, minorOfController, minorsText, NEWEST_MINOR } from './versions.js'

export interface FluxVersion {
  /** The Flux minors (N of 2.N) the evidence allows, ascending; all of them when none. */
  minors: number[]
  /** How it was found, e.g. "Deployment flux-system/image-automation-controller runs image-automation-controller:v1.0.1". */
  basis: string
  /** False when nothing showed the version. */
  known: boolean
}

const ALL = FLUX_MINORS.map((f) => f.minor)

export function unknownFluxVersion(): FluxVersion {
  return { minors: [...ALL], basis: 'nothing showed the Flux version (pass --flux-version to state it)', known: false }
}

/** "Flux 2.7 (basis)" or "Flux version unknown (basis)". */
export function versionText(v: FluxVersion): string {
  return `${v.known ? minorsText(v.minors) : 'Flux version unknown'} (${v.basis})`
}

/** The evidence line findings carry: which version was assumed, and why. */
export function assumedText(v: FluxVersion): string {
  return `assumed ${v.known ? minorsText(v.minors) : `any Flux 2.0–2.${NEWEST_MINOR}`}: ${v.basis}`
}

/** --flux-version: 2.7, v2.7, 2.7.3 or v2.7.3. */
export function parseFluxVersion(text: string): FluxVersion | undefined {
  const m = /^v?2\.(\d+)(?:\.\d+)?$/.exec(text.trim())
  if (!m) return undefined
  const minor = Number(m[1])
  if (minor > NEWEST_MINOR) return { minors: [NEWEST_MINOR], basis: `--flux-version ${text} (newer than the 2.${NEWEST_MINOR} this tool describes; judged as 2.${NEWEST_MINOR})`, known: true }
  return { minors: [minor], basis: `--flux-version ${text}`, known: true }
}

interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> }
  spec?: Record<string, unknown>
  status?: Record<string, unknown>
}

const CONTROLLERS = ['image-automation-controller', 'image-reflector-controller', 'source-controller'] as const

/** From the controllers' Deployments: flux's version label, else the controllers' image tags. */
export function fromDeployments(deployments: readonly Obj[]): FluxVersion | undefined {
  for (const name of CONTROLLERS) {
    const d = deployments.find((x) => x.metadata.name === name)
    const label = d?.metadata.labels?.['app.kubernetes.io/version']
    const m = label ? /^v?2\.(\d+)\.\d+/.exec(label) : null
    if (d && m) return { minors: [Math.min(Number(m[1]), NEWEST_MINOR)], basis: `Deployment ${d.metadata.namespace ?? ''}/${name} is labelled app.kubernetes.io/version: ${label}`, known: true }
  }
  for (const name of CONTROLLERS) {
    const d = deployments.find((x) => x.metadata.name === name)
    const containers = ((d?.spec?.template as { spec?: { containers?: { image?: string }[] } } | undefined)?.spec?.containers ?? []).map((c) => c.image ?? '')
    for (const image of containers) {
      const m = new RegExp(`(?:^|/)${name}:(v?\\d+\\.\\d+\\.\\d+)`).exec(image)
      const minor = m ? minorOfController(name, m[1] as string) : undefined
      if (d && minor !== undefined) return { minors: [minor], basis: `Deployment ${d.metadata.namespace ?? ''}/${name} runs ${image.replace(/^.*\//, '')}`, known: true }
    }
  }
  return undefined
}

/** From the image CRDs: which API versions they serve, and whether ImagePolicy status has latestRef. */
export function fromCrds(crds: readonly Obj[]): FluxVersion | undefined {
  let minors = [...ALL]
  const seen: string[] = []
  for (const kind of IMAGE_KINDS) {
    const crd = crds.find((c) => c.metadata.name === `${plural(kind)}.image.toolkit.fluxcd.io`)
    if (!crd) continue
    const versions = (crd.spec?.versions ?? []) as { name: string; served?: boolean; schema?: { openAPIV3Schema?: { properties?: { status?: { properties?: Record<string, unknown> } } } } }[]
    const served = versions.filter((v) => v.served !== false).map((v) => v.name).sort()
    if (served.length === 0) continue
    seen.push(`${plural(kind)} serves ${served.join(', ')}`)
    minors = minors.filter((n) => sameSet(fluxMinor(n).served[kind], served))
    if (kind === 'ImagePolicy') {
      const status = versions.find((v) => v.name === 'v1beta2')?.schema?.openAPIV3Schema?.properties?.status?.properties
      if (status && !served.includes('v1')) {
        const hasRef = 'latestRef' in status
        seen.push(hasRef ? 'ImagePolicy v1beta2 status has latestRef' : 'ImagePolicy v1beta2 status has latestImage only')
        minors = minors.filter((n) => (hasRef ? n >= 6 : n <= 5))
      }
    }
  }
  if (seen.length === 0 || minors.length === 0 || minors.length === ALL.length) return undefined
  return { minors, basis: `the image CRDs: ${seen.join('; ')}`, known: true }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((x, i) => x === b[i])
}

export function plural(kind: ImageKind): string {
  return kind === 'ImageRepository' ? 'imagerepositories' : kind === 'ImagePolicy' ? 'imagepolicies' : 'imageupdateautomations'
}

/**
 * From flux get image all output: the policy table's columns (LATEST IMAGE up to 2.6, IMAGE and
 * TAG from 2.7) and the Ready messages' wording (image-reflector-controller ≤ v0.34 quotes the
 * image name; v1.0 adds "with checksum" to a scan).
 */
export function fromFluxGetShape(policyColumns: 'LATEST IMAGE' | 'IMAGE, TAG' | undefined, messages: readonly string[]): FluxVersion | undefined {
  let minors = [...ALL]
  const why: string[] = []
  if (policyColumns) {
    minors = minors.filter((n) => fluxMinor(n).policyColumns === policyColumns)
    why.push(`its ImagePolicy table has ${policyColumns}`)
  }
  if (messages.some((m) => /^Latest image tag for '[^']*' (resolved to|updated from)/.test(m))) {
    minors = minors.filter((n) => n <= 5)
    why.push("a policy message quotes the image name (image-reflector-controller ≤ v0.34)")
  } else if (messages.some((m) => /^Latest image tag for [^' ]+ resolved to/.test(m))) {
    minors = minors.filter((n) => n >= 6)
    why.push('a policy message does not quote the image name (image-reflector-controller ≥ v0.35)')
  }
  if (messages.some((m) => /^successful scan: found \d+ tags with checksum/.test(m))) {
    minors = minors.filter((n) => n >= 7)
    why.push('a scan message has a checksum (image-reflector-controller ≥ v1.0)')
  } else if (messages.some((m) => /^successful scan: found \d+ tags$/.test(m))) {
    minors = minors.filter((n) => n <= 6)
    why.push('a scan message has no checksum (image-reflector-controller < v1.0)')
  }
  if (why.length === 0 || minors.length === 0) return undefined
  return { minors, basis: `flux get output: ${why.join('; ')}`, known: true }
}

/** From a repository's gotk-components.yaml: its "# Flux Version: v2.N.P" header, else its images. */
export function fromGotkComponents(text: string, file: string): FluxVersion | undefined {
  const header = /^# Flux Version: v?2\.(\d+)\.\d+/m.exec(text)
  if (header) return { minors: [Math.min(Number(header[1]), NEWEST_MINOR)], basis: `${file} says ${header[0].slice(2)}`, known: true }
  for (const name of CONTROLLERS) {
    const m = new RegExp(`image: \\S*/${name}:(v?\\d+\\.\\d+\\.\\d+)`).exec(text)
    const minor = m ? minorOfController(name, m[1] as string) : undefined
    if (minor !== undefined) return { minors: [minor], basis: `${file} installs ${name}:${m?.[1]}`, known: true }
  }
  return undefined
}

/** Whether a kind's selection lives in latestImage for every, some or none of the candidate minors. */
export function readsLatestImage(v: FluxVersion): 'all' | 'some' | 'none' {
  const n = v.minors.filter((m) => fluxMinor(m).selection === 'latestImage').length
  return n === v.minors.length ? 'all' : n > 0 ? 'some' : 'none'
}

export type { ImageKind }
