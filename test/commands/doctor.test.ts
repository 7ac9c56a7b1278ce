import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { runCli } from '../support/cli.js'
import { type Obj, scenario } from '../support/scenario.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { tempDir, writeTree } from '../support/tree.js'

const NOW = '2026-11-24T10:00:00Z'
let server: FakeApiServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

async function serve(objects: Obj[]): Promise<string> {
  server = FakeApiServer.fromObjects(objects)
  return server.kubeconfig(await server.start())
}

async function doctor(objects: Obj[], ...args: string[]) {
  const kubeconfig = await serve(objects)
  const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, ...args])
  return r
}

const CASES: [string, string[], number][] = [
  ['healthy', [], 0],
  ['a1-no-image-controllers', ['FIA401', 'FIA402', 'FIA402'], 1],
  ['a-controller-not-ready', ['FIA403'], 1],
  ['b1-ecr-401', ['FIA410', 'FIA208', 'FIA201'], 1],
  ['b11-image-with-tag', ['FIA410', 'FIA210'], 1],
  ['c1-range-matches-nothing', ['FIA420', 'FIA105', 'FIA111'], 1],
  ['c3-no-tags-in-database', ['FIA423'], 1],
  ['c5-cross-namespace-blocked', ['FIA422'], 1],
  ['d1-order-desc', ['FIA123'], 0],
  ['f1-automation-suspended', ['FIA430'], 0],
  ['f2-read-only-deploy-key', ['FIA434'], 1],
  ['f3-token-without-write', ['FIA434'], 1],
  ['f4-protected-branch', ['FIA435'], 1],
  ['f6-non-fast-forward', ['FIA436'], 1],
  ['f7-checkout-branch-missing', ['FIA437'], 1],
  ['f8-selector-excludes-all', ['FIA432'], 0],
  ['f9-git-repository-missing', ['FIA433'], 1],
  ['f10-removed-template-field', ['FIA431', 'FIA503'], 1],
  ['g-committed-not-deployed', ['FIA454', 'FIA451'], 1],
  ['a-crd-without-v1', ['FIA404'], 0],
  ['b-repository-suspended', ['FIA413'], 0],
  ['b-scan-stale', ['FIA412'], 0],
  ['b-never-scanned', ['FIA414'], 0],
  ['c-policy-suspended', ['FIA424'], 0],
  ['f-push-branch-not-inferred', ['FIA438'], 1],
  ['f-update-failed', ['FIA455'], 1],
  ['f-automation-stale', ['FIA440'], 0],
  ['g-push-not-fetched', ['FIA453', 'FIA442', 'FIA450'], 1],
  ['g-commit-after-bot', [], 0],
  ['b-secret-missing', ['FIA410', 'FIA460'], 1],
  ['b-secret-wrong-keys', ['FIA461'], 1],
  ['f-git-secret-no-known-hosts', ['FIA461'], 1],
  ['g-helmrelease-not-released', ['FIA452'], 0],
  ['b2-irsa-not-wired', ['FIA410', 'FIA209'], 1],
  ['b3-ecr-static-token-expired', ['FIA410', 'FIA208', 'FIA207'], 1],
  ['b4-workload-identity-gate', ['FIA410', 'FIA215'], 1],
  ['b5-gar-403', ['FIA410', 'FIA208', 'FIA202'], 1],
  ['b6-acr-no-identity', ['FIA410', 'FIA209'], 1],
  ['b7-auth-keyed-to-other-host', ['FIA410', 'FIA211'], 1],
  ['b9-rate-limited', ['FIA410', 'FIA204'], 1],
  ['b10-private-ca', ['FIA410', 'FIA205'], 1],
  ['c2-filter-matches-nothing', ['FIA420', 'FIA106', 'FIA111'], 1],
  ['c4-numerical-not-numeric', ['FIA420', 'FIA107', 'FIA111'], 1],
  ['c6-digest-reflection-fails', ['FIA425'], 1],
  ['d3-alphabetical-latest-leaks', ['FIA122'], 0],
  ['d6-loose-range', ['FIA120', 'FIA121'], 0],
]

describe('doctor scenarios', () => {
  it.each(CASES)('%s → %j, exit %i', async (name, codes, exit) => {
    const r = await doctor(scenario(name), '--json')
    expect(r.stderr).toBe('')
    const env = JSON.parse(r.stdout)
    expect(env.findings.map((f: { code: string }) => f.code)).toEqual(codes)
    expect(env.errors).toEqual([])
    expect(r.code).toBe(exit)
    expect(server?.log.every((e) => e.method === 'GET')).toBe(true)
  })

  // A real API server does not serve v1 from a CRD that serves only v1beta2 (the fake one
  // answers 404 too): the doctor lists the kind at a version its CRD serves.
  it('a-crd-without-v1 → FIA404, and the ImagePolicies are read at v1beta2 (exit 0)', async () => {
    const r = await doctor(scenario('a-crd-without-v1'), '--json')
    const env = JSON.parse(r.stdout)
    expect(env.findings.map((f: { code: string }) => f.code)).toEqual(['FIA404'])
    expect(env.errors).toEqual([])
    expect(server?.log.map((e) => e.path)).toContain('/apis/image.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/imagepolicies')
    expect(r.code).toBe(0)
  })

  it('reads with one list per kind, whatever the object count', async () => {
    const many = scenario('healthy')
    for (let i = 0; i < 50; i++) many.push({ kind: 'ImagePolicy', apiVersion: 'image.toolkit.fluxcd.io/v1', metadata: { name: `p${i}`, namespace: 'flux-system' }, spec: { imageRepositoryRef: { name: 'podinfo' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } } } } as Obj)
    await doctor(many, '--json')
    // Eight kinds, then Secrets (the GitRepository names one); no Events: nothing to explain.
    expect(server?.log.length).toBe(9)
    expect(server?.log.at(-1)?.path).toBe('/api/v1/namespaces/flux-system/secrets')
    // The Secrets are listed once the kinds are read, over a connection kept alive (client-node
    // on its own opens one per request).
    expect(server?.connections).toBeLessThan(9)
  })

  it('lists Secrets only when an object references one, and Events only for findings', async () => {
    await doctor(scenario('healthy').filter((o) => o.kind !== 'GitRepository'), '--json')
    expect(server?.log.map((e) => e.path).filter((p) => p.startsWith('/api/'))).toEqual([])
    await server?.stop()
    await doctor(scenario('b1-ecr-401'), '--json', '-A')
    expect(server?.log.map((e) => e.path).filter((p) => p.startsWith('/api/'))).toEqual(['/api/v1/secrets', '/api/v1/events'])
  })

  it('a cluster without helm-controller: the HelmRelease check is skipped, not an error', async () => {
    const r = await doctor(scenario('healthy').filter((o) => o.metadata.name !== 'helmreleases.helm.toolkit.fluxcd.io'), '--json')
    const env = JSON.parse(r.stdout)
    expect([env.errors, r.code]).toEqual([[], 0])
    expect(env.result.checks.find((c: { id: string }) => c.id === 'helmreleases-upgraded').status).toBe('skipped')
  })

  it('fails at --fail-on warning for warnings', async () => {
    expect((await doctor(scenario('d1-order-desc'), '--json', '--fail-on', 'warning')).code).toBe(1)
  })
})

// A checkout whose main has the bot's commit followed by a colleague's, and a side branch
// without the bot's commit: the ancestry FIA450 asks --repo about.
function history(): { repo: string; bot: string; after: string; elsewhere: string } {
  const repo = writeTree({ 'README.md': 'fleet\n' })
  const git = (...args: string[]): string => execFileSync('git', ['-C', repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { encoding: 'utf8' }).trim()
  git('init', '-q', '-b', 'main')
  git('add', '.')
  git('commit', '-q', '-m', 'base')
  git('checkout', '-q', '-b', 'side')
  git('commit', '-q', '--allow-empty', '-m', 'elsewhere')
  const elsewhere = git('rev-parse', 'HEAD')
  git('checkout', '-q', 'main')
  git('commit', '-q', '--allow-empty', '-m', 'bot')
  const bot = git('rev-parse', 'HEAD')
  git('commit', '-q', '--allow-empty', '-m', 'colleague')
  return { repo, bot, after: git('rev-parse', 'HEAD'), elsewhere }
}

describe('FIA450: only when the artifact lacks the pushed commit', () => {
  // The artifact was fetched before the push by the times (a skewed clock), so only the history can tell.
  function cluster(pushed: string, artifact: string): Obj[] {
    return scenario('healthy').map((o) => {
      const x = structuredClone(o) as Obj & { status?: Record<string, unknown> }
      if (x.kind === 'ImageUpdateAutomation') x.status = { ...x.status, lastPushCommit: pushed }
      if (x.kind === 'GitRepository') x.status = { ...x.status, artifact: { revision: `main@sha1:${artifact}`, lastUpdateTime: '2026-11-24T09:00:00Z' } }
      if (x.kind === 'Kustomization') x.status = { ...x.status, lastAppliedRevision: `main@sha1:${artifact}` }
      return x
    })
  }

  it('a later commit that holds the pushed one is no alarm, with --repo history', async () => {
    const h = history()
    const r = await doctor(cluster(h.bot, h.after), '--json', '--repo', h.repo)
    expect(JSON.parse(r.stdout).findings.filter((f: { code: string }) => f.code.startsWith('FIA45'))).toEqual([])
  })

  it('an artifact without the pushed commit is, and says it is certain', async () => {
    const h = history()
    const r = await doctor(cluster(h.bot, h.elsewhere), '--json', '--repo', h.repo)
    const f = JSON.parse(r.stdout).findings.find((x: { code: string }) => x.code === 'FIA450')
    expect(f.evidence.at(-1)).toBe(`certain: the --repo checkout's history does not have ${h.bot.slice(0, 7)} in ${h.elsewhere.slice(0, 7)}`)
  })

  it('without --repo, an artifact fetched before the push is reported by time, and says it is not certain', async () => {
    const r = await doctor(cluster('8f3c2e1d0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e', '3333333333333333333333333333333333333333'), '--json')
    const f = JSON.parse(r.stdout).findings.find((x: { code: string }) => x.code === 'FIA450')
    expect(f.evidence.at(-1)).toBe('by time, not certain: fetched at 2026-11-24T09:00:00Z, before the push at 2026-11-24T09:30:00Z; pass --repo for the commit history')
  })
})

describe('doctor on Secrets and Events', () => {
  it('names the keys a Secret holds and the ones Flux reads, never a value', async () => {
    const r = await doctor(scenario('b-secret-wrong-keys'), '--json')
    const [f] = JSON.parse(r.stdout).findings
    expect(f.subject).toEqual({ kind: 'ImageRepository', name: 'podinfo', namespace: 'flux-system' })
    expect(f.evidence).toEqual(['keys: password, username; type Opaque', 'Flux reads: .dockerconfigjson, or .dockercfg'])
    const table = await doctor(scenario('b-secret-wrong-keys'))
    for (const out of [r.stdout, r.stderr, table.stdout, table.stderr]) {
      expect(out).not.toContain('aHVudGVyMi1zM2NyM3Q=')
      expect(out).not.toContain('hunter2-s3cr3t')
    }
  })

  it('checks the GitRepository secret for the keys its URL scheme needs', async () => {
    const r = await doctor(scenario('f-git-secret-no-known-hosts'), '--json')
    const [f] = JSON.parse(r.stdout).findings
    expect([f.subject.kind, f.evidence]).toEqual(['GitRepository', ['keys: identity; type Opaque', 'Flux reads: identity + known_hosts']])
  })

  it("adds a finding's subject's latest Warning events to it", async () => {
    const r = await doctor(scenario('b1-ecr-401'), '--json')
    const findings = JSON.parse(r.stdout).findings as { code: string; evidence?: string[] }[]
    expect(findings[0]?.evidence).toEqual([
      'event ReadOperationFailed ×14 at 2026-11-24T09:55:00Z: scan failed: GET https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/podinfo/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized',
    ])
    // Once per object: the classified findings beside it do not repeat the events.
    expect(findings.slice(1).every((f) => !(f.evidence ?? []).some((e) => e.startsWith('event ')))).toBe(true)
  })

  it('403 on Events: the findings stand, without their events, and the report is incomplete', async () => {
    const kubeconfig = await serve(scenario('b1-ecr-401'))
    server?.faults.push({ path: /events/, status: 403 })
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, '--json'])
    const env = JSON.parse(r.stdout)
    expect(env.findings.map((f: { code: string }) => f.code)).toEqual(['FIA410', 'FIA208', 'FIA201'])
    expect(env.errors.map((e: { code: string; message: string }) => [e.code, e.message.startsWith('Event: ')])).toEqual([['ERR_FORBIDDEN', true]])
    expect(r.code).toBe(3)
  })
})

describe('doctor when parts of the cluster cannot be read', () => {
  it.each([
    ['403 on ImagePolicies', { path: /imagepolicies/, status: 403 }, 'ERR_FORBIDDEN', ['policies-select', 'automations-see-policies', 'spec-rules']],
    ['500 on ImageRepositories', { path: /imagerepositories/, status: 500 }, 'ERR_API', ['repositories-scan', 'policies-select', 'spec-rules']],
    ['no answer for Kustomizations', { path: /kustomizations/, hang: true }, 'ERR_CLUSTER_UNREACHABLE', ['sources-ready', 'pushed-is-deployed', 'helmreleases-upgraded']],
  ])('%s: says what it could not check, goes on, exits 3', async (_name, fault, code, skipped) => {
    const kubeconfig = await serve(scenario('c3-no-tags-in-database'))
    server?.faults.push(fault)
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, '--json', '--request-timeout', '1'])
    expect(r.code).toBe(3)
    const env = JSON.parse(r.stdout)
    expect(env.status).toBe('incomplete')
    expect(env.errors.map((e: { code: string }) => e.code)).toEqual([code])
    // repository-secrets: the ImageRepository names no Secret, so there is nothing to judge.
    expect(env.result.checks.filter((c: { status: string }) => c.status === 'skipped').map((c: { id: string }) => c.id).sort()).toEqual([...new Set([...skipped, 'markers', 'repository-secrets'])].sort())
    expect(env.result.checks.filter((c: { status: string }) => c.status !== 'skipped').length).toBeGreaterThan(0)
  })

  it('403 on Secrets (a role that rightly may not read them): the Secret checks are skipped with the reason, the run is complete', async () => {
    const kubeconfig = await serve(scenario('healthy'))
    server?.faults.push({ path: /secrets/, status: 403 })
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, '--json'])
    const env = JSON.parse(r.stdout)
    expect([r.code, env.status, env.errors, env.findings]).toEqual([0, 'ok', [], []])
    const check = env.result.checks.find((c: { id: string }) => c.id === 'automation-secrets')
    expect(check.status).toBe('skipped')
    expect(check.reason).toMatch(/^Secret: not readable with this role \(reading Secret list in flux-system: HTTP 403.*\); grant list on secrets to check them$/)
  })

  it('connection refused: every check skipped, exit 3', async () => {
    const s = new FakeApiServer()
    const kubeconfig = s.kubeconfig(await s.start())
    await s.stop()
    const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--json'])
    expect(r.code).toBe(3)
    expect(JSON.parse(r.stdout).result.counts).toEqual({ passed: 0, failed: 0, skipped: 14 })
  })
})

describe('doctor inputs and outputs', () => {
  it('diagnoses a saved snapshot with no cluster', async () => {
    const file = join(tempDir(), 'cluster.yaml')
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items: scenario('c1-range-matches-nothing') }))
    const r = await runCli(['doctor', '--snapshot', file, '--now', NOW, '--json'])
    expect(JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code)).toEqual(['FIA420', 'FIA105', 'FIA111'])
  })

  it('a snapshot without Secrets skips the Secret checks rather than calling them missing', async () => {
    const file = join(tempDir(), 'cluster.yaml')
    writeFileSync(file, stringify({ apiVersion: 'v1', kind: 'List', items: scenario('f-git-secret-no-known-hosts').filter((o) => o.kind !== 'Secret') }))
    const report = JSON.parse((await runCli(['doctor', '--snapshot', file, '--now', NOW, '--json'])).stdout)
    expect(report.findings).toEqual([])
    expect(report.result.checks.find((c: { id: string }) => c.id === 'automation-secrets')).toMatchObject({ status: 'skipped', reason: 'Secret: not in the snapshot' })
  })

  it('traces markers with --repo', async () => {
    const repo = writeTree({ 'clusters/prod/app.yaml': 'image: ghcr.io/stefanprodan/podinfo:6.7.0 # {"$imagepolicy": "apps:podinfo"}\n' })
    const r = await doctor(scenario('healthy'), '--json', '--repo', repo)
    const markers = JSON.parse(r.stdout).result.checks.find((c: { id: string }) => c.id === 'markers')
    expect(markers.status).toBe('failed')
    expect(markers.findings.map((f: { code: string; location: unknown }) => [f.code, f.location])).toEqual([['FIA302', { file: 'app.yaml', line: 1, column: 8 }]])
  })

  it('--repo reports what Flux does with an update strategy other than Setters', async () => {
    const repo = writeTree({ 'clusters/prod/app.yaml': 'image: ghcr.io/stefanprodan/podinfo:6.7.1 # {"$imagepolicy": "flux-system:podinfo"}\n' })
    const objects = scenario('healthy').map((o) => (o.kind === 'ImageUpdateAutomation' ? { ...o, spec: { ...(o as { spec: object }).spec, update: { path: './clusters/prod', strategy: 'Regex' } } } : o))
    const r = await doctor(objects, '--json', '--repo', repo)
    const markers = JSON.parse(r.stdout).result.checks.find((c: { id: string }) => c.id === 'markers')
    expect(markers.findings.map((f: { code: string; message: string }) => [f.code, f.message])).toEqual([['FIA343', 'unsupported update strategy: Regex']])
  })

  // Golden files: UPDATE=1 rewrites them.
  it.each([
    ['table', [], 'doctor-c1.txt'],
    ['json', ['--json'], 'doctor-c1.json'],
    ['junit', ['--output', 'junit'], 'doctor-c1.xml'],
  ])('renders %s as its golden file', async (_format, args, golden) => {
    const r = await doctor(scenario('c1-range-matches-nothing'), ...args)
    const path = `test/golden/${golden}`
    if (process.env.UPDATE === '1') writeFileSync(path, r.stdout)
    expect(r.stdout).toBe(readFileSync(path, 'utf8'))
  })
})
