// explain policy, trace and preview on image-reflector-controller ≤ v0.34 (Flux ≤ 2.5), where a
// policy's pick is status.latestImage ("host/repo:tag") and there is no latestRef: each command
// must take the pick from there, as image-automation-controller ≤ v0.40 does — against the
// fake API server (which serves the image kinds at v1beta2 only, as those releases do) and
// against a snapshot file. Flux 2.9 (latestRef only) is the control.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { scenario } from '../support/scenario.js'
import { tempDir, writeTree } from '../support/tree.js'

let server: FakeApiServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

async function cluster(version: string): Promise<string> {
  server = FakeApiServer.fromObjects(scenario(`versions/flux-${version}`, `versions/flux-${version}`))
  return server.kubeconfig(await server.start())
}

const repo = (): string => writeTree({ 'clusters/prod/web.yaml': 'image: ghcr.io/stefanprodan/podinfo:6.7.0 # {"$imagepolicy": "flux-system:podinfo"}\n' })

describe.each(['2.3', '2.5', '2.9'])('Flux %s', (version) => {
  const field = version === '2.9' ? 'latestRef' : 'latestImage'

  it(`explain policy compares the replay with status.${field}`, async () => {
    const kubeconfig = await cluster(version)
    const r = await runCli(['explain', 'policy', 'podinfo', '--kubeconfig', kubeconfig, '--no-registry', '--json'])
    const env = JSON.parse(r.stdout)
    expect(env.result.cluster).toMatchObject({ comparison: 'same', latestRef: { name: 'ghcr.io/stefanprodan/podinfo', tag: '6.7.1' } })
    expect(env.result.cluster.pickField).toBe(version === '2.9' ? undefined : 'latestImage')
    expect([r.code, env.findings.filter((f: { severity: string }) => f.severity !== 'info')]).toEqual([0, []])
    const text = await runCli(['explain', 'policy', 'podinfo', '--kubeconfig', kubeconfig, '--no-registry'])
    expect(text.stdout).toContain(`Cluster      ${field} ghcr.io/stefanprodan/podinfo:6.7.1  same as the replay`)
  })

  it(`explain policy --tags-file: a newer tag differs from status.${field} (FIA110)`, async () => {
    const kubeconfig = await cluster(version)
    const r = await runCli(['explain', 'policy', 'podinfo', '--kubeconfig', kubeconfig, '--tags-file', '-', '--json'], { stdin: '6.7.1\n6.9.0\n' })
    const env = JSON.parse(r.stdout)
    expect(env.findings.map((f: { code: string; message: string }) => [f.code, f.message])).toEqual([['FIA110', `The replay picks 6.9.0 but status.${field} is ghcr.io/stefanprodan/podinfo:6.7.1.`]])
  })

  it('trace --automation writes the pick into the marker', async () => {
    const kubeconfig = await cluster(version)
    const r = await runCli(['trace', repo(), '--automation', 'flux-system', '-n', 'flux-system', '--kubeconfig', kubeconfig, '--json'])
    const env = JSON.parse(r.stdout)
    expect(env.result.markers.map((m: { file: string; status: string; reason?: { code: string } }) => [m.file, m.status, m.reason?.code])).toEqual([['web.yaml', 'update', undefined]])
    expect(server?.log.map((e) => e.path)).toContain(`/apis/image.toolkit.fluxcd.io/${version === '2.9' ? 'v1' : 'v1beta2'}/namespaces/flux-system/imagepolicies`)
  })

  it('preview --automation shows the change to the pick', async () => {
    const kubeconfig = await cluster(version)
    const r = await runCli(['preview', repo(), '--automation', 'flux-system', '-n', 'flux-system', '--kubeconfig', kubeconfig])
    expect(r.stdout).toContain('+image: ghcr.io/stefanprodan/podinfo:6.7.1 # {"$imagepolicy": "flux-system:podinfo"}')
  })

  it('preview --policies-file reads a kubectl snapshot of that version', async () => {
    const policies = scenario(`versions/flux-${version}`, `versions/flux-${version}`).filter((o) => o.kind === 'ImagePolicy')
    const file = join(tempDir(), 'policies.yaml')
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items: policies }))
    const r = await runCli(['preview', repo(), '--policies-file', file, '-n', 'flux-system', '--path', './clusters/prod', '--json'])
    const env = JSON.parse(r.stdout)
    expect(JSON.stringify(env.result)).toContain('ghcr.io/stefanprodan/podinfo:6.7.1')
    expect(r.code).toBe(0)
  })
})
