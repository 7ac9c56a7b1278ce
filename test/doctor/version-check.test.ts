import { describe, expect, it } from 'vitest'
import { runChecks } from '../../src/core/doctor/index.js'
import type { KObject, Snapshot, SnapshotKind } from '../../src/core/doctor/snapshot.js'

// A policy whose Ready reason only some releases set: the check judges it against a version.
function snapshot(withVersion: boolean): Snapshot {
  const policy: KObject = {
    kind: 'ImagePolicy',
    metadata: { name: 'app', namespace: 'flux-system' },
    spec: { imageRepositoryRef: { name: 'app' }, policy: { semver: { range: '>=1.0.0' } } },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: "Latest image tag for 'ghcr.io/org/app' resolved to 1.2.3" }] },
  }
  const objects = new Map<SnapshotKind, KObject[]>([['ImagePolicy', [policy]]])
  for (const k of ['CustomResourceDefinition', 'Deployment', 'ImageRepository', 'ImageUpdateAutomation', 'GitRepository', 'Kustomization', 'HelmRelease', 'Secret'] as SnapshotKind[]) objects.set(k, [])
  return { fluxNamespace: 'flux-system', now: Date.parse('2026-11-24T10:00:00Z'), objects, unavailable: new Map(), uncovered: new Map(), ...(withVersion ? { fluxVersion: { minors: [5], basis: 'test', known: true } } : {}) }
}

describe('reasons-fit-version', () => {
  it('is skipped, not passed, when no Flux version is known to judge against', () => {
    const check = runChecks(snapshot(false)).find((c) => c.id === 'reasons-fit-version')
    expect(check?.status).toBe('skipped')
    expect(check?.reason).toMatch(/judged against a known Flux version/)
  })

  it('judges the same objects once a version is known', () => {
    expect(runChecks(snapshot(true)).find((c) => c.id === 'reasons-fit-version')?.status).toBe('passed')
  })
})
