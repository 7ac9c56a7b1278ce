// Objects of the wrong shape from a snapshot or the API server: each is left out with a coded
// error naming the object and the field (ERR_MANIFEST with file:line from a file, ERR_API from
// the API server), and the rest of the run goes on — never an internal failure.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { runCli } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { scenario } from '../support/scenario.js'
import { tempDir, writeTree } from '../support/tree.js'

const NOW = '2026-11-24T10:00:00Z'
let server: FakeApiServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

/** The healthy cluster, its API server answering the first item of a list (at `path`) changed by `change`. */
async function tampered(path: RegExp, change: (o: Record<string, any>) => void): Promise<string> {
  server = FakeApiServer.fromObjects(scenario('healthy'))
  server.faults.push({ path, rewrite: (body: { items: Record<string, any>[] }) => (change(body.items[0] as Record<string, any>), body) })
  return server.kubeconfig(await server.start())
}

interface Envelope {
  errors: { code: string; message: string }[]
  result: { checks: { id: string; status: string }[] } | null
}

describe('doctor over objects of the wrong shape from the API server', () => {
  it.each([
    [/\/imagepolicies$/, (o: Record<string, any>) => (o.spec.policy = 'semver'), 'ImagePolicy flux-system/podinfo: spec.policy must be a mapping, not a string ("semver")'],
    [/\/imagepolicies$/, (o: Record<string, any>) => (o.kind = 7), 'ImagePolicy flux-system/podinfo: kind must be a string, not a number (7)'],
    [/\/imagerepositories$/, (o: Record<string, any>) => (o.status.conditions = 'Ready'), 'ImageRepository flux-system/podinfo: status.conditions must be a list, not a string ("Ready")'],
    [/\/customresourcedefinitions$/, (o: Record<string, any>) => (o.spec.versions = 1), 'CustomResourceDefinition gitrepositories.source.toolkit.fluxcd.io: spec.versions must be a list, not a number (1)'],
    [/\/deployments$/, (o: Record<string, any>) => (o.spec.template.spec.containers = { image: 'x' }), 'Deployment flux-system/image-automation-controller: spec.template.spec.containers must be a list, not a mapping'],
    [/\/gitrepositories$/, (o: Record<string, any>) => (o.status.conditions = 5), 'GitRepository flux-system/flux-system: status.conditions must be a list, not a number (5)'],
  ])('%s: left out with ERR_API naming it, the walk goes on', async (path, change, message) => {
    const kubeconfig = await tampered(path, change)
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, '--no-flux', '--json'])
    expect(r.code).toBe(3)
    const env = JSON.parse(r.stdout) as Envelope
    expect(env.errors).toEqual([expect.objectContaining({ code: 'ERR_API', message: `the API server answered ${message}` })])
    // Every check still reported: the object is left out, its kind is still judged.
    expect(env.result?.checks.map((c) => c.id)).toContain('policies-select')
    expect(r.stderr).toBe('')
  })

  it('without --json: one coded line per object left out, the report still printed', async () => {
    const kubeconfig = await tampered(/\/imagepolicies$/, (o) => (o.spec.policy = 'semver'))
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, '--no-flux', '-o', 'table'])
    expect(r.code).toBe(3)
    expect(r.stdout).toContain('ImageRepositories')
    expect(r.stderr).toMatch(/^error ERR_API: the API server answered ImagePolicy flux-system\/podinfo: spec\.policy must be a mapping/m)
    expect(r.stderr).not.toMatch(/ERR_INTERNAL|\n\s+at /)
  })
})

describe('explain policy and trace over objects of the wrong shape from the API server', () => {
  it('explain policy: the policy itself of the wrong shape is ERR_API, one line', async () => {
    server = FakeApiServer.fromObjects(scenario('healthy'))
    server.faults.push({ path: /\/imagepolicies\/podinfo$/, rewrite: (o) => ((o.spec.filterTags = { pattern: ['^v'] }), o) })
    const kubeconfig = server.kubeconfig(await server.start())
    const r = await runCli(['explain', 'policy', 'podinfo', '-n', 'flux-system', '--kubeconfig', kubeconfig, '--no-registry'])
    expect(r.code).toBe(3)
    expect(r.stderr.split('\n')[0]).toBe('error ERR_API: the API server answered ImagePolicy flux-system/podinfo: spec.filterTags.pattern must be a string, not a list')
  })

  it('trace: a policy of the wrong shape is left out and reported, the markers still traced', async () => {
    server = FakeApiServer.fromScenario('fixtures/cluster/automation.yaml')
    const stored = server.apply({ apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', metadata: { name: 'bad', namespace: 'flux-system' }, spec: { imageRepositoryRef: { name: 'web' } }, status: { latestRef: 'ghcr.io/shop/web:9.9.9' } })
    expect(stored.metadata.name).toBe('bad')
    const kubeconfig = server.kubeconfig(await server.start())
    const repo = writeTree({ 'clusters/prod/web.yaml': 'image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "flux-system:web"}\n' })
    const r = await runCli(['trace', repo, '--automation', 'prod', '-n', 'flux-system', '--kubeconfig', kubeconfig, '--json'])
    expect(r.code).toBe(3)
    const env = JSON.parse(r.stdout) as Envelope & { result: { markers: { file: string; status: string }[] } }
    expect(env.errors).toEqual([expect.objectContaining({ code: 'ERR_API', message: 'the API server answered ImagePolicy flux-system/bad: status.latestRef must be a mapping, not a string ("ghcr.io/shop/web:9.9.9")' })])
    expect(env.result.markers.map((m) => [m.file, m.status])).toEqual([['web.yaml', 'update']])
  })
})

describe('doctor --snapshot over objects of the wrong shape', () => {
  it('each is left out with ERR_MANIFEST file:line, kind, namespace/name and field; the rest judged', async () => {
    const objects = scenario('healthy').map((o) => structuredClone(o) as Record<string, any>)
    const policy = objects.find((o) => o.kind === 'ImagePolicy') as Record<string, any>
    policy.spec.policy = 'semver'
    const crd = objects.find((o) => o.kind === 'CustomResourceDefinition') as Record<string, any>
    crd.spec.versions = 'v1'
    const file = join(tempDir(), 'snapshot.yaml')
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items: objects }))
    const r = await runCli(['doctor', '--snapshot', file, '--now', NOW, '--json'])
    expect(r.code).toBe(3)
    const env = JSON.parse(r.stdout) as Envelope
    expect(env.errors.map((e) => [e.code, e.message.replace(file, 'FILE')])).toEqual([
      ['ERR_MANIFEST', 'FILE:9: CustomResourceDefinition imagerepositories.image.toolkit.fluxcd.io: spec.versions must be a list, not a string ("v1")'],
      ['ERR_MANIFEST', expect.stringMatching(/^FILE:\d+: ImagePolicy flux-system\/podinfo: spec\.policy must be a mapping, not a string \("semver"\)$/)],
    ])
    expect(env.result?.checks.length).toBeGreaterThan(5)
  })
})
