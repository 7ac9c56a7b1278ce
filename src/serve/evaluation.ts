// One evaluation of one cluster: the doctor's checks (runChecks) over the snapshot the watchers
// hold, shaped as the doctor's report, plus what the metrics need beyond it (each policy's pick).

import { applyFluxVersion, detectFluxVersion } from '../core/doctor/flux-version.js'
import { runChecks } from '../core/doctor/index.js'
import { markersOutcome, type ScanLookup, skippedMarkers } from '../cli/markers-outcome.js'
import type { ToolError } from '../core/findings/types.js'
import { versionText } from '../core/flux/detect.js'
import { policyPick } from '../core/flux/pick.js'
import { type KObject, objectsOf, type Snapshot, snapshotErrors } from '../core/doctor/snapshot.js'
import { type WorkloadImage, type WorkloadKind, workloadImages } from './workloads.js'
import { type Envelope, statusOf } from '../core/findings/types.js'
import type { DoctorResult } from '../render/doctor.js'

export interface PolicyPick {
  namespace: string
  name: string
  image: string
  tag: string
}

export interface Evaluation {
  cluster: string
  /** Milliseconds since the epoch. */
  at: number
  durationMs: number
  envelope: Envelope<'DoctorReport', DoctorResult>
  picks: PolicyPick[]
  /** The three-way view: workload containers whose image a policy tracks. */
  workloads: WorkloadImage[]
}

/** The GitRepository artifacts read so far: a lookup for the markers stage, and the reads that failed. */
export interface ArtifactMarkers {
  lookup: ScanLookup
  errors: ToolError[]
}

export function evaluate(cluster: string, snapshot: Snapshot, artifacts?: ArtifactMarkers, workloads: ReadonlyMap<WorkloadKind, readonly KObject[]> = new Map()): Evaluation {
  const started = performance.now()
  // As doctor does: judge by the Flux version the cluster runs (Deployments, CRDs).
  applyFluxVersion(snapshot, detectFluxVersion(snapshot))
  const errors = [...snapshotErrors(snapshot), ...(artifacts?.errors ?? [])]
  const markers = artifacts === undefined ? skippedMarkers('serve --no-artifacts reads no artifact (run doctor --repo PATH to trace markers)') : markersOutcome(snapshot, artifacts.lookup)
  const checks = runChecks(snapshot, [markers])
  const findings = checks.flatMap((c) => c.findings)
  const result: DoctorResult = {
    scope: { namespace: snapshot.namespace ?? null, fluxNamespace: snapshot.fluxNamespace, source: `context ${cluster} (serve: list and watch)`, fluxVersion: versionText(snapshot.fluxVersion as NonNullable<Snapshot['fluxVersion']>) },
    checks,
    counts: { passed: checks.filter((c) => c.status === 'passed').length, failed: checks.filter((c) => c.status === 'failed').length, skipped: checks.filter((c) => c.status === 'skipped').length },
  }
  const envelope: Envelope<'DoctorReport', DoctorResult> = { apiVersion: 'flux-imgauto/v1', kind: 'DoctorReport', status: statusOf(findings, errors), findings, errors, result }
  const picks = policyPicks(snapshot)
  return { cluster, at: snapshot.now, durationMs: performance.now() - started, envelope, picks, workloads: workloadImages(snapshot, picks, workloads) }
}

/** Each ImagePolicy's pick: status.latestRef, or status.latestImage on Flux ≤ 2.5 (core/flux/pick.ts). */
function policyPicks(s: Snapshot): PolicyPick[] {
  const picks: PolicyPick[] = []
  for (const p of objectsOf(s, 'ImagePolicy') ?? []) {
    const pick = policyPick(p.status)
    if (pick && pick.ref.tag) picks.push({ namespace: p.metadata.namespace ?? '', name: p.metadata.name, image: pick.ref.name ?? '', tag: pick.ref.tag })
  }
  return picks
}
