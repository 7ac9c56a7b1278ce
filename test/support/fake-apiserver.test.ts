// The fake API server is only worth its name if real clients take it for a cluster: the real
// kubectl (discovery, typed lists, selectors, tables) and @kubernetes/client-node (lists,
// paging, watch) are run against it here, and must get what a kube-apiserver would give.

import { execFile, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'
import { ROOT } from './cli.js'
import { FakeApiServer } from './fake-apiserver.js'
import { tempDir } from './tree.js'

const KUBECTL = '/usr/bin/kubectl'
const SCENARIO = 'fixtures/cluster/automation.yaml'
const scenarioObjects = parseAllDocuments(readFileSync(`${ROOT}/${SCENARIO}`, 'utf8')).map((d) => d.toJS())

const api = FakeApiServer.fromScenario(`${ROOT}/${SCENARIO}`, [
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ghcr', namespace: 'flux-system' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'e30=' } },
  {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'web.17a0', namespace: 'flux-system' },
    involvedObject: { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', name: 'web', namespace: 'flux-system' },
    type: 'Normal',
    reason: 'Succeeded',
    message: 'Latest image tag for ghcr.io/shop/web resolved to 2.4.1',
    lastTimestamp: '2026-01-01T00:00:00Z',
  },
])
let kubeconfig: string
let url: string
beforeAll(async () => {
  url = await api.start()
  kubeconfig = api.kubeconfig(url)
})
afterAll(() => api.stop())

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // A cache directory of its own, so discovery is asked for every time and ~/.kube stays untouched.
    const { stdout, stderr } = await promisify(execFile)(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', tempDir('fia-kubectl-'), ...args], { env: { PATH: process.env.PATH ?? '' } })
    return { code: 0, stdout, stderr }
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string }
    return { code: err.code, stdout: err.stdout, stderr: err.stderr }
  }
}

const HAS_KUBECTL = existsSync(KUBECTL)
describe.skipIf(!HAS_KUBECTL)(`kubectl against the fake API server${HAS_KUBECTL ? '' : ` (skipped: the real kubectl is expected at ${KUBECTL} and is not there)`}`, () => {
  it('get imagepolicies -A -o yaml: every policy, typed, with the metadata the server owns', async () => {
    const r = await kubectl('get', 'imagepolicies', '-A', '-o', 'yaml')
    expect(r.stderr).toBe('')
    const list = parse(r.stdout)
    expect(list.kind).toBe('List')
    const policies = scenarioObjects.filter((o) => o.kind === 'ImagePolicy')
    expect(list.items.map((o: { metadata: { namespace: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(
      policies.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort(),
    )
    for (const item of list.items) {
      const original = policies.find((p) => p.metadata.namespace === item.metadata.namespace && p.metadata.name === item.metadata.name)
      expect(item).toMatchObject({ apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', spec: original.spec })
      expect(item.metadata.resourceVersion).toMatch(/^[0-9]+$/)
      expect(item.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
      expect(item.metadata.creationTimestamp).toMatch(/Z$/)
    }
  })

  it('api-resources lists the built-in and Flux resources from discovery', async () => {
    const r = await kubectl('api-resources', '--no-headers')
    const rows = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/))
    const row = (name: string) => rows.find((x) => x[0] === name)
    expect(row('imagepolicies')).toEqual(['imagepolicies', 'image.toolkit.fluxcd.io/v1', 'true', 'ImagePolicy'])
    expect(row('kustomizations')).toEqual(['kustomizations', 'ks', 'kustomize.toolkit.fluxcd.io/v1', 'true', 'Kustomization'])
    expect(row('customresourcedefinitions')).toEqual(['customresourcedefinitions', 'crd,crds', 'apiextensions.k8s.io/v1', 'false', 'CustomResourceDefinition'])
    expect(row('secrets')).toEqual(['secrets', 'v1', 'true', 'Secret'])
    const groups = await kubectl('api-resources', '--api-group', 'image.toolkit.fluxcd.io', '-o', 'name')
    expect(groups.stdout.trim().split('\n')).toEqual(['imagepolicies.image.toolkit.fluxcd.io', 'imagerepositories.image.toolkit.fluxcd.io', 'imageupdateautomations.image.toolkit.fluxcd.io'])
  })

  it.each([
    ['env=prod', ['flux-system/web']],
    ['env!=prod', ['apps/web', 'flux-system/web-staging']],
    ['env in (prod,staging)', ['flux-system/web', 'flux-system/web-staging']],
    ['env notin (prod)', ['apps/web', 'flux-system/web-staging']],
    ['env', ['flux-system/web', 'flux-system/web-staging']],
    ['!env', ['apps/web']],
  ])('get -l %s selects as kube-apiserver does', async (selector, expected) => {
    const r = await kubectl('get', 'imagepolicies', '-A', '-l', selector, '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\n"}{end}')
    expect(r.stderr).toBe('')
    expect(r.stdout.trim().split('\n').filter(Boolean)).toEqual(expected)
  })

  it('field selectors: metadata.namespace and a kind\'s own fields; an unsupported field is refused', async () => {
    expect((await kubectl('get', 'imagepolicies', '-A', '--field-selector', 'metadata.namespace=apps', '-o', 'name')).stdout).toBe('imagepolicy.image.toolkit.fluxcd.io/web\n')
    expect((await kubectl('get', 'secrets', '-A', '--field-selector', 'type=kubernetes.io/dockerconfigjson', '-o', 'name')).stdout).toBe('secret/ghcr\n')
    const bad = await kubectl('get', 'imagepolicies', '-A', '--field-selector', 'spec.policy=x')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('field label not supported: spec.policy')
  })

  it('prints the Table view with the CRD columns and NAMESPACE', async () => {
    const r = await kubectl('get', 'imagepolicies', '-A')
    expect(r.stdout.split('\n')[0]?.split(/\s+/)).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'AGE'])
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(4)
  })

  it('prints the built-in kinds with kube-apiserver\'s own columns', async () => {
    const header = async (...args: string[]) => ((await kubectl('get', ...args)).stdout.split('\n')[0] ?? '').split(/\s{2,}/)
    expect(await header('secrets', '-A')).toEqual(['NAMESPACE', 'NAME', 'TYPE', 'DATA', 'AGE'])
    expect((await kubectl('get', 'secrets', '-n', 'flux-system', '--no-headers')).stdout.split(/\s+/).slice(0, 3)).toEqual(['ghcr', 'kubernetes.io/dockerconfigjson', '1'])
    expect(await header('crd')).toEqual(['NAME', 'CREATED AT'])
    expect(await header('events', '-n', 'flux-system')).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'])
    expect(await header('namespaces')).toEqual(['NAME', 'STATUS', 'AGE'])
  })

  it('describe finds an object\'s events by its uid', async () => {
    const r = await kubectl('describe', 'imagepolicy', 'web', '-n', 'flux-system')
    expect(r.stdout).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n[\s\S]*Normal\s+Succeeded\s+.*Latest image tag for ghcr.io\/shop\/web resolved to 2.4.1/)
    const selector = new URLSearchParams(api.log.at(-1)?.query).get('fieldSelector')?.split(',')
    expect(selector).toEqual(expect.arrayContaining([expect.stringMatching(/^involvedObject\.uid=[0-9a-f-]{36}$/), 'involvedObject.name=web']))
  })

  it('get -w prints a row for each change, in the Table view and with -o', async () => {
    const web = scenarioObjects.find((o) => o.kind === 'ImagePolicy' && o.metadata.name === 'web' && o.metadata.namespace === 'flux-system')
    const watch = (...output: string[]) => {
      const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', tempDir('fia-kubectl-'), 'get', 'imagepolicy', 'web', '-n', 'flux-system', '-w', '--no-headers', ...output], { env: { PATH: process.env.PATH ?? '' } })
      // Whole lines only: kubectl may write one in several pieces.
      const lines: string[] = []
      let partial = ''
      child.stdout.on('data', (d: Buffer) => {
        const parts = (partial + d.toString()).split('\n')
        partial = parts.pop() ?? ''
        lines.push(...parts.filter(Boolean))
      })
      return { child, lines }
    }
    const table = watch()
    const tags = watch('-o', 'custom-columns=NAME:.metadata.name,TAG:.status.latestRef.tag')
    try {
      await expect.poll(() => [table.lines.length, tags.lines], { timeout: 20000 }).toEqual([1, ['web   2.4.1']])
      // Both have printed what they listed; change the object once both watches are open too.
      await expect.poll(() => api.openWatches, { timeout: 20000 }).toBe(2)
      api.apply({ ...web, status: { latestRef: { name: 'ghcr.io/shop/web', tag: '2.4.2' }, conditions: [{ type: 'Ready', status: 'True', message: 'resolved to 2.4.2' }] } })
      await expect.poll(() => tags.lines, { timeout: 20000 }).toEqual(['web   2.4.1', 'web   2.4.2'])
      await expect.poll(() => table.lines.length, { timeout: 20000 }).toBe(2)
      expect(table.lines[1]).toMatch(/^web\s+True\s+resolved to 2\.4\.2\s+\S+$/)
    } finally {
      table.child.kill()
      tags.child.kill()
    }
  })

  it('a missing object is NotFound, and the server refuses writes', async () => {
    const missing = await kubectl('get', 'imagepolicy', 'nope', '-n', 'flux-system')
    expect(missing.stderr).toBe('Error from server (NotFound): imagepolicies.image.toolkit.fluxcd.io "nope" not found\n')
    const write = await kubectl('delete', 'imagepolicy', 'web', '-n', 'flux-system')
    expect(write.code).toBe(1)
    expect(write.stderr).toContain('MethodNotAllowed')
    expect(api.log.filter((e) => e.method !== 'GET').map((e) => e.method)).toEqual(['DELETE'])
  })
})

describe('the fake API server as kube-apiserver answers', () => {
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const r = await fetch(url + path, { headers })
    return { status: r.status, body: await r.json() }
  }

  it('serves discovery from the CRDs it holds', async () => {
    expect((await get('/version')).body).toMatchObject({ major: '1', minor: '32' })
    expect((await get('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] })
    const groups = (await get('/apis')).body
    expect(groups.groups.find((g: { name: string }) => g.name === 'image.toolkit.fluxcd.io')).toEqual({
      name: 'image.toolkit.fluxcd.io',
      versions: [
        { groupVersion: 'image.toolkit.fluxcd.io/v1', version: 'v1' },
        { groupVersion: 'image.toolkit.fluxcd.io/v1beta2', version: 'v1beta2' },
      ],
      preferredVersion: { groupVersion: 'image.toolkit.fluxcd.io/v1', version: 'v1' },
    })
    const list = (await get('/apis/image.toolkit.fluxcd.io/v1')).body
    expect(list).toMatchObject({ kind: 'APIResourceList', groupVersion: 'image.toolkit.fluxcd.io/v1' })
    expect(list.resources.map((r: { name: string }) => r.name)).toEqual(['imagerepositories', 'imagepolicies', 'imageupdateautomations'])
  })

  it('a typed list carries the list resourceVersion; an older served version relabels the objects', async () => {
    const { body } = await get('/apis/image.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/imagepolicies')
    expect(body.kind).toBe('ImagePolicyList')
    expect(body.apiVersion).toBe('image.toolkit.fluxcd.io/v1beta2')
    expect(body.metadata.resourceVersion).toMatch(/^[0-9]+$/)
    expect(body.items.map((o: { apiVersion: string }) => o.apiVersion)).toEqual(['image.toolkit.fluxcd.io/v1beta2', 'image.toolkit.fluxcd.io/v1beta2'])
  })

  it('pages a list with limit and continue', async () => {
    const first = (await get('/apis/image.toolkit.fluxcd.io/v1/imagepolicies?limit=2')).body
    expect(first.items).toHaveLength(2)
    expect(first.metadata.remainingItemCount).toBe(1)
    const second = (await get(`/apis/image.toolkit.fluxcd.io/v1/imagepolicies?limit=2&continue=${first.metadata.continue}`)).body
    expect(second.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['web-staging'])
    expect(second.metadata.continue).toBeUndefined()
  })

  it('answers 404 for a version a CRD does not serve and for a kind with no CRD', async () => {
    const old = new FakeApiServer([
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'imagepolicies.image.toolkit.fluxcd.io' }, spec: { versions: [{ name: 'v1beta2', served: true, storage: true }, { name: 'v1', served: false }] } },
      { apiVersion: 'image.toolkit.fluxcd.io/v1beta2', kind: 'ImagePolicy', metadata: { name: 'p', namespace: 'flux-system' }, spec: {} },
    ])
    const base = await old.start()
    try {
      const v1 = await fetch(`${base}/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imagepolicies`)
      expect(v1.status).toBe(404)
      expect(await v1.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' })
      expect((await fetch(`${base}/apis/image.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/imagerepositories`)).status).toBe(404)
      const served = await (await fetch(`${base}/apis/image.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/imagepolicies/p`)).json()
      expect(served.metadata.name).toBe('p')
    } finally {
      await old.stop()
    }
  })

  it('refuses a label selector that does not parse', async () => {
    const r = await get('/apis/image.toolkit.fluxcd.io/v1/imagepolicies?labelSelector=' + encodeURIComponent('env in prod'))
    expect(r.status).toBe(400)
    expect(r.body.reason).toBe('BadRequest')
  })

  it('logs each request with its query', async () => {
    await get('/apis/image.toolkit.fluxcd.io/v1/imagepolicies?labelSelector=env%3Dprod')
    expect(api.log.at(-1)).toEqual({ method: 'GET', path: '/apis/image.toolkit.fluxcd.io/v1/imagepolicies', query: 'labelSelector=env%3Dprod' })
  })
})

describe('watch through @kubernetes/client-node', () => {
  it('streams ADDED for what exists, then MODIFIED and DELETED as the scenario changes, and resumes from a resourceVersion', async () => {
    const k8s = await import('@kubernetes/client-node')
    const kc = new k8s.KubeConfig()
    kc.loadFromFile(kubeconfig)
    const events: string[] = []
    const watch = new k8s.Watch(kc)
    const seen = (n: number) => expect.poll(() => events.length, { timeout: 5000 }).toBe(n)
    const path = '/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imagepolicies'
    const req = await watch.watch(path, { labelSelector: 'env' }, (type, o) => events.push(`${type} ${o.metadata.name} ${o.metadata.labels?.env ?? '-'}`), () => {})
    await seen(2)
    expect(events.sort()).toEqual(['ADDED web prod', 'ADDED web-staging staging'])
    expect(api.openWatches).toBe(1)
    const web = scenarioObjects.find((o) => o.kind === 'ImagePolicy' && o.metadata.name === 'web' && o.metadata.namespace === 'flux-system')
    const rvBefore = (await (await fetch(url + path)).json()).metadata.resourceVersion
    api.apply({ ...web, status: { latestRef: { name: 'ghcr.io/shop/web', tag: '2.1.0' } } })
    await seen(3)
    expect(events[2]).toBe('MODIFIED web prod')
    // Leaving the selector is a DELETED for this watch, as the cacher reports it.
    api.apply({ ...web, metadata: { ...web.metadata, labels: {} } })
    await seen(4)
    expect(events[3]).toBe('DELETED web -')
    api.delete('image.toolkit.fluxcd.io/v1', 'ImagePolicy', 'flux-system', 'web-staging')
    await seen(5)
    expect(events[4]).toBe('DELETED web-staging staging')
    req.abort()
    // The client went away: the server holds no watch for it any more.
    await expect.poll(() => api.openWatches, { timeout: 5000 }).toBe(0)

    // Resuming from the list's resourceVersion replays what happened since, in order.
    const replay: string[] = []
    const again = await watch.watch(path, { resourceVersion: rvBefore }, (type, o) => replay.push(`${type} ${o.metadata.name}`), () => {})
    await expect.poll(() => replay, { timeout: 5000 }).toEqual(['MODIFIED web', 'MODIFIED web', 'DELETED web-staging'])
    again.abort()

    const tooOld = await fetch(`${url}${path}?watch=1&resourceVersion=1`)
    expect(JSON.parse((await tooOld.text()).trim())).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } })
  })
})

describe('the launcher', () => {
  it('starts the server on a scenario and prints a kubeconfig that kubectl (or the CLI) can use', async () => {
    const child = spawn(process.execPath, ['test/support/fake-apiserver-cli.mjs', SCENARIO], { cwd: ROOT })
    try {
      const path = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          if (out.includes('\n')) resolve(out.split('\n')[0] as string)
        })
        child.on('exit', (code) => reject(new Error(`launcher exited ${code}`)))
      })
      const config = parse(readFileSync(path, 'utf8'))
      const server = config.clusters[0].cluster.server as string
      const list = await (await fetch(`${server}/apis/image.toolkit.fluxcd.io/v1/imageupdateautomations`)).json()
      expect(list.items.map((o: { metadata: { name: string } }) => o.metadata.name)).toEqual(['prod'])
    } finally {
      child.kill('SIGTERM')
    }
  })
})
