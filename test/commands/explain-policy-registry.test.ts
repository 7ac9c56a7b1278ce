import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runCli, type RunResult } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { FakeRegistry, type FakeRegistryOptions } from '../support/fake-registry.js'
import { type RegistryInstance, type RegistrySet, SENTINEL, startRegistrySet } from '../support/registry.js'
import { tempDir } from '../support/tree.js'

const TAGS = ['1.0.0', '1.4.2', '1.5.0-rc.1', '2.0.0', 'latest', 'sha256-abc.sig']

function files(host: string, repoSpec = ''): { policy: string } {
  const dir = tempDir()
  const policy = join(dir, 'policy.yaml')
  writeFileSync(
    policy,
    `apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  image: ${host}/team/app\n  interval: 5m\n${repoSpec}---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  imageRepositoryRef:\n    name: app\n  digestReflectionPolicy: IfNotPresent\n  policy:\n    semver:\n      range: ">=1.0.0 <2.0.0"\n`,
  )
  return { policy }
}

function dockerConfig(auths: Record<string, { user: string; password: string }>): string {
  const path = join(tempDir(), 'config.json')
  const out: Record<string, { auth: string }> = {}
  for (const [k, v] of Object.entries(auths)) out[k] = { auth: Buffer.from(`${v.user}:${v.password}`).toString('base64') }
  writeFileSync(path, JSON.stringify({ auths: out }))
  return path
}

function noSecret(r: RunResult): void {
  expect(r.stdout + r.stderr).not.toContain(SENTINEL)
  expect(r.stdout + r.stderr).not.toContain(Buffer.from(`ci:${SENTINEL}`).toString('base64'))
}

describe('explain policy lists tags from the registry', () => {
  let set: RegistrySet
  let open: RegistryInstance
  let locked: RegistryInstance
  let tls: RegistryInstance

  beforeAll(async () => {
    set = await startRegistrySet(TAGS)
    ;({ anonymous: open, basic: locked, tls } = set)
  }, 60_000)
  afterAll(async () => {
    await set?.stop()
  })

  it('a --ca-file that does not exist is ERR_FILE_READ, exit 2, not a crash', async () => {
    const { policy } = files(tls.host)
    const r = await runCli(['explain', 'policy', '--file', policy, '--docker-config', '/nonexistent', '--ca-file', '/nonexistent/ca.crt'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error ERR_FILE_READ: cannot read \/nonexistent\/ca.crt: no such file/)
  })

  it('replays over the live list, applies the exclusionList, and shows the digest', async () => {
    const { policy } = files(open.host)
    const r = await runCli(['explain', 'policy', '--file', policy, '--json', '--docker-config', '/nonexistent'])
    expect(r.code, r.stderr).toBe(0)
    const env = JSON.parse(r.stdout)
    expect(env.result.tagSource).toMatchObject({ kind: 'registry', count: 6, complete: true })
    expect(env.result.tagSource.description).toBe(`registry ${open.host}/team/app (1 page(s), http)`)
    expect(env.result.replay.latest).toBe('1.4.2')
    expect(env.result.replay.tags.find((t: { tag: string }) => t.tag === 'sha256-abc.sig').verdict).toBe('excluded')
    expect(env.result.digest).toBe(set.digest)
  })

  it('classifies a 401 and says which credentials were tried, without showing any', async () => {
    const { policy } = files(locked.host)
    const config = dockerConfig({ 'ghcr.io': { user: 'ci', password: SENTINEL } })
    const r = await runCli(['explain', 'policy', '--file', policy, '--json', '--docker-config', config])
    noSecret(r)
    expect(r.code).toBe(3) // a source the command needed could not be read, and there is no status to fall back to
    const env = JSON.parse(r.stdout)
    expect(env.errors[0]).toMatchObject({ code: 'ERR_REGISTRY' })
    expect(env.errors[0].message).toMatch(/^FIA201 The registry refused the credentials \(401\)/)
  })

  it('uses credentials from a docker config keyed by the host', async () => {
    const { policy } = files(locked.host)
    const config = dockerConfig({ [`https://${locked.host}`]: { user: 'ci', password: SENTINEL } })
    const r = await runCli(['explain', 'policy', '--file', policy, '--json', '--docker-config', config])
    noSecret(r)
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).result.replay.latest).toBe('1.4.2')
  })

  it('trusts a TLS registry with --ca-file, and explains x509 without it', async () => {
    const { policy } = files(tls.host)
    const ok = await runCli(['explain', 'policy', '--file', policy, '--json', '--docker-config', '/nonexistent', '--ca-file', tls.caFile as string])
    expect(ok.code, ok.stderr).toBe(0)
    expect(JSON.parse(ok.stdout).result.tagSource.description).toContain('https')
    const untrusted = await runCli(['explain', 'policy', '--file', policy, '--json', '--docker-config', '/nonexistent'])
    expect(untrusted.code).toBe(3)
    expect(JSON.parse(untrusted.stdout).errors[0].message).toMatch(/^FIA205 The registry's TLS certificate is not trusted/)
  })

  it('falls back to the status, with the registry finding, when the registry fails', async () => {
    const { policy } = files(locked.host, '')
    const withStatus = policy.replace('.yaml', '-status.yaml')
    writeFileSync(withStatus, readFileSync(policy, 'utf8').replace('  interval: 5m\n', '  interval: 5m\nstatus:\n  lastScanResult:\n    tagCount: 2\n    latestTags: ["1.4.2", "1.0.0"]\n'))
    const r = await runCli(['explain', 'policy', '--file', withStatus, '--json', '--docker-config', '/nonexistent'])
    expect(r.code).toBe(3)
    const env = JSON.parse(r.stdout)
    expect(env.findings[0].code).toBe('FIA201')
    expect(env.result.tagSource.kind).toBe('status')
    expect(env.result.replay.latest).toBe('1.4.2')
  })

  it('rejects a tag in spec.image as Flux does', async () => {
    const { policy } = files(`${open.host}`)
    const tagged = policy.replace('.yaml', '-tagged.yaml')
    writeFileSync(tagged, readFileSync(policy, 'utf8').replace(`image: ${open.host}/team/app`, `image: ${open.host}/team/app:1.0`))
    const r = await runCli(['explain', 'policy', '--file', tagged, '--json'])
    expect(JSON.parse(r.stdout).errors[0].message).toBe(`FIA210 spec.image has a tag or a URL scheme; Flux stalls the ImageRepository: image '${open.host}/team/app:1.0' should not include a tag; remove ':1.0'`)
  })

  it('says what to run for provider: aws when the AWS CLI is not there, without calling the registry', async () => {
    const dir = tempDir()
    const policy = join(dir, 'ecr.yaml')
    writeFileSync(policy, 'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: api\nspec:\n  image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api\n  provider: aws\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: api\nspec:\n  imageRepositoryRef:\n    name: api\n  policy:\n    semver:\n      range: ">=1.0.0 <2.0.0"\n')
    const r = await runCli(['explain', 'policy', '--file', policy, '--json'], { env: { PATH: '/nonexistent' } })
    expect(r.code).toBe(3)
    expect(JSON.parse(r.stdout).errors[0].message).toMatch(/^FIA209 The cloud provider could not get credentials: provider: aws needs a cloud identity; locally flux-imgauto asks the CLI: aws ecr get-login-password/)
  })

  describe('from the cluster: secretRef and certSecretRef', () => {
    let api: FakeApiServer
    let kubeconfig: string
    beforeAll(async () => {
      const dockerconfigjson = Buffer.from(JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from(`ci:${SENTINEL}`).toString('base64') } } })).toString('base64')
      const ns = { namespace: 'flux-system' }
      api = FakeApiServer.fromScenario('fixtures/cluster/explain-policy.yaml', [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred', ...ns }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': dockerconfigjson } },
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry-ca', ...ns }, type: 'Opaque', data: { 'ca.crt': Buffer.from(tls.ca as string).toString('base64') } },
        { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageRepository', metadata: { name: 'locked', ...ns }, spec: { image: `${locked.host}/team/app`, secretRef: { name: 'regcred' } } },
        { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageRepository', metadata: { name: 'private-ca', ...ns }, spec: { image: `${tls.host}/team/app`, certSecretRef: { name: 'registry-ca' } } },
        { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', metadata: { name: 'locked', ...ns }, spec: { imageRepositoryRef: { name: 'locked' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } } } },
        { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', metadata: { name: 'private-ca', ...ns }, spec: { imageRepositoryRef: { name: 'private-ca' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } } } },
      ])
      kubeconfig = api.kubeconfig(await api.start())
    })
    afterAll(() => api.stop())

    it.each(['locked', 'private-ca'])('%s', async (name) => {
      api.log.length = 0
      const r = await runCli(['explain', 'policy', name, '--kubeconfig', kubeconfig, '--json'])
      noSecret(r)
      expect(r.code, r.stderr + r.stdout.slice(0, 500)).toBe(0)
      expect(JSON.parse(r.stdout).result.replay.latest).toBe('1.4.2')
      expect(api.log.every((e) => e.method === 'GET')).toBe(true)
    })
  })
})

// A hostile registry, with a second loopback host that records every request it gets.
describe('explain policy against a hostile registry', () => {
  const BASIC = `Basic ${Buffer.from(`ci:${SENTINEL}`).toString('base64')}`
  const TOKEN = 'issued-token-0f-the-realm'
  const running: FakeRegistry[] = []
  const start = async (opts: FakeRegistryOptions): Promise<FakeRegistry> => {
    const r = new FakeRegistry(opts)
    running.push(r)
    await r.start()
    return r
  }
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()))
  })

  async function both(host: string): Promise<{ json: RunResult; table: RunResult }> {
    const { policy } = files(host)
    const config = dockerConfig({ [host]: { user: 'ci', password: SENTINEL } })
    const args = ['explain', 'policy', '--file', policy, '--docker-config', config]
    const [json, table] = await Promise.all([runCli([...args, '--json']), runCli(args)])
    for (const r of [json, table]) {
      noSecret(r)
      expect(r.stdout + r.stderr).not.toContain(TOKEN)
      expect(r.code).toBe(3)
    }
    return { json, table }
  }

  it.each([
    ['a next-page Link', (other: FakeRegistry): Partial<FakeRegistryOptions> => ({ pageSize: 2, nextHost: other.url, basic: BASIC })],
    ['the token realm', (other: FakeRegistry): Partial<FakeRegistryOptions> => ({ bearer: { token: TOKEN }, realm: `http://${other.url}/token` })],
  ])('refuses %s on another host, which gets no credentials (FIA217)', async (_what, hostile) => {
    const other = await start({ tags: ['6.6.6'], basic: 'Basic none-will-do', bearer: { token: 'hostile' } })
    const registry = await start({ tags: TAGS, ...hostile(other) })
    const { json, table } = await both(registry.url)
    expect(other.seen).toEqual([])
    expect(JSON.parse(json.stdout).errors[0].message).toMatch(/^FIA217 The registry pointed at another host, which was refused: /)
    expect(table.stderr).toMatch(/^error ERR_REGISTRY: FIA217 /)
  })

  it('sends a registry that answers 401 Basic no credentials configured for another port or another repository path', async () => {
    const other = await start({ tags: ['6.6.6'] })
    const registry = await start({ tags: TAGS, basic: BASIC })
    const { policy } = files(registry.url)
    const config = dockerConfig({ [other.url]: { user: 'ci', password: SENTINEL }, '127.0.0.1': { user: 'ci', password: SENTINEL }, [`${registry.url}/other-team`]: { user: 'ci', password: SENTINEL } })
    const r = await runCli(['explain', 'policy', '--file', policy, '--docker-config', config, '--json'])
    noSecret(r)
    expect(registry.seen.filter((s) => s.authorization !== undefined)).toEqual([])
    expect(other.seen).toEqual([])
    expect(r.code).toBe(3)
    expect(JSON.parse(r.stdout).errors[0].message).toMatch(/^FIA201 /)
  })

  it.each([
    ['Basic credentials', { basic: BASIC, echo: 403 }],
    ['a token from the realm', { bearer: { token: TOKEN }, tokenAuthorization: BASIC, echo: 403 }],
  ] as [string, Partial<FakeRegistryOptions>][])('prints an error body that echoes the Authorization header without its secrets: %s', async (_what, behaviour) => {
    const registry = await start({ tags: TAGS, ...behaviour })
    const { json, table } = await both(registry.url)
    const message = JSON.parse(json.stdout).errors[0].message as string
    expect(message).toMatch(/^FIA202 The registry denied access \(403\)/)
    expect(message).toMatch(/request headers: Authorization: (Basic|Bearer) \[REDACTED\]"/)
    expect(table.stderr).toMatch(/request headers: Authorization: (Basic|Bearer) \[REDACTED\]"/)
  })
})
