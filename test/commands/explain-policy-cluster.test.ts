import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'

const SCENARIO = 'fixtures/cluster/explain-policy.yaml'

describe('explain policy against a cluster', () => {
  const api = FakeApiServer.fromScenario(SCENARIO)
  let kubeconfig: string

  beforeAll(async () => {
    kubeconfig = api.kubeconfig(await api.start())
  })
  afterAll(() => api.stop())
  beforeEach(() => {
    api.faults = []
    api.log.length = 0
  })

  // --no-registry: these scenarios replay over the status; no test may reach a real registry.
  const explain = (...args: string[]) => runCli(['explain', 'policy', ...args, '--kubeconfig', kubeconfig, '--no-registry', '--json'])

  it('replays a healthy policy over the tags the repository status holds', async () => {
    const r = await explain('podinfo', '-n', 'flux-system')
    expect(r.code).toBe(0)
    const env = JSON.parse(r.stdout)
    expect(env.status).toBe('ok')
    expect(env.result.replay.latest).toBe('6.7.1')
    expect(env.result.cluster).toMatchObject({ comparison: 'same', latestRef: { tag: '6.7.1' } })
    expect(env.result.tagSource).toMatchObject({ kind: 'status', complete: true, count: 4 })
    expect(api.log).toEqual([
      { method: 'GET', path: '/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imagepolicies/podinfo' },
      { method: 'GET', path: '/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imagerepositories/podinfo' },
    ])
  })

  it('follows a cross-namespace imageRepositoryRef and explains a failing policy', async () => {
    const r = await explain('apps/api')
    expect(r.code).toBe(1)
    const env = JSON.parse(r.stdout)
    expect(env.findings.map((f: { code: string }) => f.code).sort()).toEqual(['FIA107', 'FIA111', 'FIA112', 'FIA124'])
    expect(env.findings.find((f: { code: string }) => f.code === 'FIA107').message).toBe("failed to parse invalid numeric value '20261120T101500'")
    expect(env.result.cluster.comparison).toBe('stale')
    expect(api.log.map((e) => e.path)).toContain('/apis/image.toolkit.fluxcd.io/v1/namespaces/images/imagerepositories/api')
    expect(api.log.every((e) => e.method === 'GET')).toBe(true)
  })

  it('replays over --tags-file instead of the status', async () => {
    const r = await runCli(['explain', 'policy', 'podinfo', '--kubeconfig', kubeconfig, '--tags-file', '-', '--json'], { stdin: '6.7.1\n6.9.0\n7.0.0\n' })
    const env = JSON.parse(r.stdout)
    expect(env.result.replay.latest).toBe('6.9.0')
    expect(env.findings.map((f: { code: string }) => f.code)).toEqual(['FIA110'])
    expect(r.code).toBe(0)
  })

  it('prints a table with the cluster line for people', async () => {
    const r = await runCli(['explain', 'policy', 'apps/api', '--kubeconfig', kubeconfig, '--no-registry'])
    expect(r.stdout).toContain('Cluster      latestRef registry.example.com/team/api:main-ab12cd-20261119T090000  stale: kept while the policy fails')
    expect(r.stdout).toContain('Result       no tag: failed to parse invalid numeric value')
  })

  it.each([
    ['a policy that does not exist', [] as const, ['nope'], 'ERR_NOT_FOUND', 2, /^ImagePolicy flux-system\/nope not found$/],
    ['403 on ImagePolicies', [{ path: /imagepolicies/, status: 403 }], ['podinfo'], 'ERR_FORBIDDEN', 3, /HTTP 403: injected fault 403/],
    ['500 on ImagePolicies', [{ path: /imagepolicies/, status: 500 }], ['podinfo'], 'ERR_API', 3, /HTTP 500/],
    ['an API server that never answers', [{ path: /imagepolicies/, hang: true }], ['podinfo', '--request-timeout', '1'], 'ERR_CLUSTER_UNREACHABLE', 3, /no answer within 1s/],
    ['403 on the ImageRepository', [{ path: /imagerepositories/, status: 403 }], ['podinfo'], 'ERR_FORBIDDEN', 3, /ImageRepository flux-system\/podinfo: HTTP 403/],
  ])('%s', async (_name, faults, args, code, exit, message) => {
    api.faults = [...faults]
    const r = await explain(...args)
    expect(r.code).toBe(exit)
    const env = JSON.parse(r.stdout)
    expect(env).toMatchObject({ status: 'incomplete', errors: [{ code }] })
    expect(env.errors[0].message).toMatch(message)
    expect(r.stderr).toBe('')
  })

  it('keeps going with --tags-file when the repository cannot be read (partial result, exit 3)', async () => {
    api.faults = [{ path: /imagerepositories/, status: 404 }]
    const r = await runCli(['explain', 'policy', 'podinfo', '--kubeconfig', kubeconfig, '--tags-file', '-', '--json'], { stdin: '6.7.1\n' })
    expect(r.code).toBe(3)
    const env = JSON.parse(r.stdout)
    expect(env.status).toBe('incomplete')
    expect(env.errors[0].code).toBe('ERR_NOT_FOUND')
    expect(env.result.replay.latest).toBe('6.7.1')
  })

  it('refuses a context that is not in the kubeconfig', async () => {
    const r = await explain('podinfo', '--context', 'elsewhere')
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout).errors[0]).toMatchObject({ code: 'ERR_KUBECONFIG', message: 'context "elsewhere" is not in the kubeconfig' })
  })

  it('explains a missing kubeconfig', async () => {
    const r = await runCli(['explain', 'policy', 'podinfo', '--kubeconfig', '/nonexistent/config'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('error ERR_KUBECONFIG: kubeconfig /nonexistent/config does not exist\n  hint: Pass --kubeconfig and --context, or set KUBECONFIG.\n')
  })
})

describe('explain policy with no API server', () => {
  it('reports connection refused as unreachable (exit 3)', async () => {
    const api = new FakeApiServer()
    const url = await api.start()
    const kubeconfig = api.kubeconfig(url)
    await api.stop()
    const r = await runCli(['explain', 'policy', 'podinfo', '--kubeconfig', kubeconfig, '--no-registry'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^error ERR_CLUSTER_UNREACHABLE: reading ImagePolicy flux-system\/podinfo: ECONNREFUSED \(context fake\)\n/)
  })
})
