// The doctor's markers stage: every ImageUpdateAutomation's markers traced over a tree — a
// local checkout (--repo) or its GitRepository's artifact (--artifact, and serve). One scan per
// tree and update.path: automations that share them share the files read.

import { artifactOf, fetchArtifact, scanArtifact } from '../adapters/artifact.js'
import type { KubeReader } from '../adapters/kube.js'
import { type RepoScan, scanRepository } from '../adapters/repo-files.js'
import { subjectOf } from '../core/doctor/check.js'
import type { CheckOutcome } from '../core/doctor/index.js'
import { type KObject, objectsOf, ref, type Snapshot } from '../core/doctor/snapshot.js'
import { finding } from '../core/findings/catalogue.js'
import type { Finding, ToolError } from '../core/findings/types.js'
import { markerFindings } from '../core/markers/findings.js'
import type { PolicyLike } from '../core/markers/setters.js'
import type { ParseOutcome } from '../core/markers/yaml-file.js'
import { CodedError } from '../core/tool-error.js'
import { automationFromObject } from './automation-inputs.js'
import { traceCheckout } from './markers-run.js'

const TITLE = 'Markers in Git are eligible'

/**
 * What an automation's markers are traced over: a scan (when there is one) and findings about
 * it, or findings saying why there is none; nothing when an error already says why.
 */
export type ScanLookup = (a: KObject, updatePath: string | undefined) => { scan?: RepoScan; findings: Finding[] } | undefined

export function markersOutcome(s: Snapshot, lookup: ScanLookup): CheckOutcome {
  const findings: Finding[] = []
  const policies = (objectsOf(s, 'ImagePolicy') ?? []) as PolicyLike[]
  // Each file parsed once for all the automations that read it.
  const parsed = new Map<string, ParseOutcome>()
  for (const a of objectsOf(s, 'ImageUpdateAutomation') ?? []) {
    const automation = automationFromObject(a, '')
    const found = lookup(a, automation.updatePath)
    if (found === undefined) continue
    for (const f of found.findings) findings.push(f)
    const scan = found.scan
    if (scan === undefined) continue
    const { trace, runError } = traceCheckout(scan, automation, policies, parsed)
    for (const f of markerFindings(trace.entries, trace.setters, runError, [], scan.unread)) {
      f.evidence = [...(f.evidence ?? []), `automation ${a.metadata.namespace}/${a.metadata.name}`]
      findings.push(f)
    }
  }
  return { id: 'markers', stage: 'markers', title: TITLE, status: findings.some((f) => f.severity !== 'info') ? 'failed' : 'passed', findings }
}

export function skippedMarkers(reason: string): CheckOutcome {
  return { id: 'markers', stage: 'markers', title: TITLE, status: 'skipped', reason, findings: [] }
}

/** --repo: every automation over the one checkout. */
export function checkoutLookup(repo: string): ScanLookup {
  const scans = new Map<string, RepoScan>()
  return (_a, updatePath) => {
    const key = updatePath ?? ''
    const scan = scans.get(key) ?? scanRepository(repo, updatePath)
    scans.set(key, scan)
    return { scan, findings: [] }
  }
}

/** The GitRepository an automation reads (IAC takes GitRepository sources only), or FIA470 saying why there is none. */
export function automationSource(s: Snapshot, a: KObject): { git: KObject; findings: Finding[] } | { findings: Finding[] } {
  const spec = (a.spec ?? {}) as { sourceRef?: { kind?: string; name?: string; namespace?: string }; git?: { checkout?: { ref?: unknown } } }
  const subject = subjectOf('ImageUpdateAutomation', a)
  const none = (why: string): { findings: Finding[] } => ({ findings: [finding('FIA470', `The markers of ImageUpdateAutomation ${ref(a)} were not traced: ${why}.`, { subject })] })
  const src = spec.sourceRef
  if (!src?.name || (src.kind !== undefined && src.kind !== 'GitRepository')) return none(`its sourceRef is not a GitRepository`)
  const namespace = src.namespace ?? a.metadata.namespace
  const gits = objectsOf(s, 'GitRepository')
  if (gits === undefined) return { findings: [] } // the failed read is reported as an error
  const git = gits.find((g) => g.metadata.name === src.name && g.metadata.namespace === namespace)
  if (git === undefined) return none(`GitRepository ${namespace}/${src.name} is not in the cluster`)
  const art = artifactOf(git)
  if ('missing' in art) return none(art.missing)
  const findings: Finding[] = []
  // IAC clones spec.git.checkout.ref when set, else the GitRepository's spec.ref.
  const checkout = spec.git?.checkout?.ref
  if (checkout !== undefined && JSON.stringify(sorted(checkout)) !== JSON.stringify(sorted(git.spec?.ref ?? {}))) {
    findings.push(finding('FIA471', `ImageUpdateAutomation ${ref(a)} checks out ${JSON.stringify(checkout)}, GitRepository ${ref(git)} fetches ${JSON.stringify(git.spec?.ref ?? {})}: the markers were traced at ${art.artifact.revision}.`, { subject }))
  }
  return { git, findings }
}

function sorted(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** One artifact's scans per update.path, or the error that stopped it being read. */
export type ArtifactScans = Map<string, RepoScan> | ToolError

/**
 * --artifact: each GitRepository the automations read, downloaded, verified and scanned once
 * (several at a time, at most `concurrency`).
 */
export async function readArtifacts(kube: KubeReader, s: Snapshot, concurrency = 4): Promise<{ lookup: ScanLookup; errors: ToolError[] }> {
  const results = new Map<string, ArtifactScans>()
  const queue = [...artifactsWanted(s)]
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [key, { git, paths }] = next
      results.set(key, await readOne(kube, s.fluxNamespace, git, [...paths]))
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker))
  return { lookup: artifactLookup(s, (git) => results.get(ref(git))), errors: [...results.values()].filter((r): r is ToolError => !(r instanceof Map)) }
}

/** The GitRepositories the automations read, by namespace/name, each with the update paths read in it. */
export function artifactsWanted(s: Snapshot): Map<string, { git: KObject; paths: Set<string | undefined> }> {
  const wanted = new Map<string, { git: KObject; paths: Set<string | undefined> }>()
  for (const a of objectsOf(s, 'ImageUpdateAutomation') ?? []) {
    const src = automationSource(s, a)
    if (!('git' in src)) continue
    const key = ref(src.git)
    const w = wanted.get(key) ?? { git: src.git, paths: new Set() }
    w.paths.add(automationFromObject(a, '').updatePath)
    wanted.set(key, w)
  }
  return wanted
}

export async function readOne(kube: KubeReader, fluxNamespace: string, git: KObject, paths: (string | undefined)[]): Promise<ArtifactScans> {
  const art = artifactOf(git)
  if ('missing' in art) return { code: 'ERR_ARTIFACT', message: art.missing }
  try {
    const gz = await fetchArtifact(kube, git, art.artifact, fluxNamespace)
    return scanArtifact(gz, `artifact of GitRepository ${ref(git)}`, paths)
  } catch (e) {
    if (!(e instanceof CodedError)) throw e
    return e.toToolError()
  }
}

/** The lookup over artifacts read: an automation whose artifact could not be read is left to the error. */
export function artifactLookup(s: Snapshot, scansOf: (git: KObject) => ArtifactScans | undefined): ScanLookup {
  return (a, updatePath) => {
    const src = automationSource(s, a)
    if (!('git' in src)) return { findings: src.findings }
    const scans = scansOf(src.git)
    const scan = scans instanceof Map ? scans.get(updatePath ?? '') : undefined
    return scan === undefined ? undefined : { scan, findings: src.findings }
  }
}
