import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { writeTree } from '../support/tree.js'

describe('trace with --automation, against a cluster', () => {
  const api = FakeApiServer.fromScenario('fixtures/cluster/automation.yaml')
  let kubeconfig: string
  const repo = writeTree({
    'clusters/prod/web.yaml': 'image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "flux-system:web"}\n',
    'clusters/prod/staging.yaml': 'image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "flux-system:web-staging"}\n',
    'clusters/prod/apps.yaml': 'image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "apps:web"}\n',
    'clusters/dev/web.yaml': 'image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "flux-system:web"}\n',
  })

  beforeAll(async () => {
    kubeconfig = api.kubeconfig(await api.start())
  })
  afterAll(() => api.stop())

  it('reads the automation and lists the policies once, and traces every marker', async () => {
    api.log.length = 0
    const r = await runCli(['trace', repo, '--automation', 'prod', '-n', 'flux-system', '--kubeconfig', kubeconfig, '--json'])
    expect(r.stderr).toBe('')
    const env = JSON.parse(r.stdout)
    expect(env.result.automation).toMatchObject({ namespace: 'flux-system', name: 'prod', updatePath: './clusters/prod' })
    expect(env.result.markers.map((m: { file: string; status: string; reason?: { code: string } }) => [m.file, m.status, m.reason?.code])).toEqual([
      ['../dev/web.yaml', 'ignored', 'FIA320'],
      ['apps.yaml', 'ignored', 'FIA302'],
      ['staging.yaml', 'ignored', 'FIA305'],
      ['web.yaml', 'update', undefined],
    ])
    expect(api.log).toEqual([
      { method: 'GET', path: '/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imageupdateautomations/prod' },
      { method: 'GET', path: '/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imagepolicies' },
    ])
  })

  it('reports an automation that does not exist', async () => {
    const r = await runCli(['trace', repo, '--automation', 'nope', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error ERR_NOT_FOUND: ImageUpdateAutomation flux-system\/nope not found/)
  })
})
