// The three-way view's matching: which workload containers a policy tracks, through the
// policy's ImageRepository (in the policy's namespace unless the reference names another),
// else the image of its pick; tags or, with digests on both sides, digests decide.

import { describe, expect, it } from 'vitest'
import type { KObject, Snapshot } from '../../src/core/doctor/snapshot.js'
import { workloadImages } from '../../src/serve/workloads.js'

const obj = (kind: string, namespace: string, name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): KObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace }, spec, status }) as KObject

function snapshot(objects: KObject[]): Snapshot {
  const byKind = new Map<string, KObject[]>()
  for (const o of objects) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o])
  return { fluxNamespace: 'flux-system', now: 0, objects: byKind as Snapshot['objects'], unavailable: new Map() }
}

describe('workloadImages', () => {
  it('follows each policy to its repository, in another namespace when the reference says so', () => {
    const s = snapshot([
      obj('ImageRepository', 'images', 'app', { image: 'ghcr.io/org/app' }),
      obj('ImageRepository', 'apps', 'app', { image: 'ghcr.io/org/other' }),
      obj('ImagePolicy', 'apps', 'app', { imageRepositoryRef: { name: 'app', namespace: 'images' } }),
      obj('ImagePolicy', 'apps', 'other', { imageRepositoryRef: { name: 'app' } }),
      // No repository: the pick's image is what it tracks.
      obj('ImagePolicy', 'apps', 'nginx', { imageRepositoryRef: { name: 'missing' } }, { latestRef: { digest: 'sha256:aa' } }),
    ])
    const picks = [
      { namespace: 'apps', name: 'app', image: 'ghcr.io/org/app', tag: '1.2.0' },
      { namespace: 'apps', name: 'other', image: 'ghcr.io/org/other', tag: '2.0.0' },
      { namespace: 'apps', name: 'nginx', image: 'nginx', tag: '1.27.0' },
    ]
    const deployment = obj('Deployment', 'apps', 'web', {
      template: { spec: { initContainers: [{ name: 'init', image: 'ghcr.io/org/other:2.0.0' }], containers: [{ name: 'app', image: 'ghcr.io/org/app:1.1.0' }, { name: 'proxy', image: 'docker.io/library/nginx:1.26.0@sha256:aa' }] } },
    })
    const rows = workloadImages(s, picks, new Map([['Deployment', [deployment]]])).map((w) => [w.container, w.image, `${w.policyNamespace}/${w.policy}`, w.runningTag, w.pickedTag, w.pending])
    expect(rows).toEqual([
      ['init', 'ghcr.io/org/other', 'apps/other', '2.0.0', '2.0.0', false],
      ['app', 'ghcr.io/org/app', 'apps/app', '1.1.0', '1.2.0', true],
      // Both sides have a digest, and they agree: nothing pending, whatever the tags say.
      ['proxy', 'index.docker.io/library/nginx', 'apps/nginx', '1.26.0', '1.27.0', false],
    ])
  })
})
