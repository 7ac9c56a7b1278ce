// The doctor on each Flux release users run (2.3, 2.5, 2.6, 2.7, 2.9): the fake API server
// serves the image kinds only at the versions that release serves, statuses are as its
// controllers write them. A healthy cluster gives no warning or error at any version; a
// failing one gets the causes its own messages name, judged by its own version.

import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { scenario } from '../support/scenario.js'

const NOW = '2026-11-24T10:00:00Z'
let server: FakeApiServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

async function doctor(objects: object[], ...args: string[]): Promise<{ code: number; env: { status: string; findings: { code: string; severity: string; evidence?: string[]; fix: string }[]; errors: unknown[]; result: { scope: { fluxVersion: string } } } }> {
  server = FakeApiServer.fromObjects(objects)
  const kubeconfig = server.kubeconfig(await server.start())
  const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, '--json', ...args])
  return { code: r.code, env: JSON.parse(r.stdout) }
}

const HEALTHY: [string, string, string[]][] = [
  ['2.3', 'Flux 2.3 (Deployment flux-system/image-automation-controller runs image-automation-controller:v0.38.0)', ['FIA404']],
  ['2.5', 'Flux 2.5 (Deployment flux-system/image-automation-controller is labelled app.kubernetes.io/version: v2.5.0)', ['FIA404']],
  ['2.6', 'Flux 2.6 (Deployment flux-system/image-automation-controller runs image-automation-controller:v0.41.2)', ['FIA404']],
  ['2.7', 'Flux 2.7 (Deployment flux-system/image-automation-controller is labelled app.kubernetes.io/version: v2.7.0)', ['FIA408', 'FIA408', 'FIA408']],
  ['2.9', 'Flux 2.9 (Deployment flux-system/image-automation-controller runs image-automation-controller:v1.2.4)', []],
]

describe('a healthy cluster at every Flux version', () => {
  it.each(HEALTHY)('Flux %s: no warning or error, only notes', async (version, judged, notes) => {
    const { code, env } = await doctor(scenario(`versions/flux-${version}`, `versions/flux-${version}`))
    expect(env.result.scope.fluxVersion).toBe(judged)
    expect([code, env.status, env.errors]).toEqual([0, 'ok', []])
    expect(env.findings.map((f) => f.code)).toEqual(notes)
    expect(env.findings.every((f) => f.severity === 'info')).toBe(true)
  })

  it('reads the image kinds at v1beta2 where v1 is not served, and takes latestImage as the pick (Flux ≤ 2.5)', async () => {
    await doctor(scenario('versions/flux-2.3', 'versions/flux-2.3'))
    const paths = server?.log.map((e) => e.path) ?? []
    expect(paths.filter((p) => p.includes('image.toolkit'))).toEqual([
      '/apis/image.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/imagerepositories',
      '/apis/image.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/imagepolicies',
      '/apis/image.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/imageupdateautomations',
    ])
  })

  it('--flux-version overrides what the cluster shows, and the findings say so', async () => {
    const { env } = await doctor(scenario('versions/flux-2.7', 'versions/flux-2.7'), '--flux-version', '2.8')
    expect(env.result.scope.fluxVersion).toBe('Flux 2.8 (--flux-version 2.8)')
    expect(env.findings[0]?.evidence?.at(-1)).toBe('assumed Flux 2.8: --flux-version 2.8')
  })

  it('a bad --flux-version is a usage error', async () => {
    const r = await runCli(['doctor', '--flux-version', '3.1', '--snapshot', 'fixtures/doctor/healthy.yaml'])
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([2, 'error ERR_USAGE: --flux-version 3.1 is not a Flux 2 version such as 2.7 or v2.7.3'])
  })
})

const FAILING: [string, string[]][] = [
  // 2.3: no FIA111 — image-reflector-controller ≤ v0.34 clears latestImage when the policy fails,
  // so the automation has no policy left to use (FIA432) instead of writing a stale pick.
  ['2.3', ['FIA420', 'FIA106', 'FIA434', 'FIA432']],
  ['2.5', ['FIA423', 'FIA454', 'FIA504']],
  ['2.6', ['FIA425', 'FIA436']],
  ['2.7', ['FIA423', 'FIA431', 'FIA503']],
  ['2.9', ['FIA453', 'FIA442', 'FIA454', 'FIA504']],
]

describe("lint's spec rules over the cluster's objects", () => {
  it('runs them judged by the cluster\'s version, once per finding', async () => {
    const { env } = await doctor(scenario('versions/flux-2.5-spec-rules', 'versions/flux-2.5'))
    const rules = (env.result as unknown as { checks: { id: string; findings: { code: string; subject: { name: string }; evidence?: string[] }[] }[] }).checks.find((c) => c.id === 'spec-rules')
    expect(rules?.findings.map((f) => [f.code, f.subject.name])).toEqual([
      ['FIA216', 'podinfo'],
      ['FIA129', 'builds'],
      ['FIA508', 'flux-system'],
    ])
    expect(rules?.findings[2]?.evidence).toEqual(['assumed Flux 2.5: Deployment flux-system/image-automation-controller is labelled app.kubernetes.io/version: v2.5.0'])
  })
})

describe('a failing cluster at every Flux version', () => {
  it.each(FAILING)('Flux %s → %j', async (version, codes) => {
    const { code, env } = await doctor(scenario(`versions/flux-${version}-failing`, `versions/flux-${version}`))
    expect(env.findings.filter((f) => f.severity !== 'info').map((f) => f.code)).toEqual(codes)
    expect([code, env.errors]).toEqual([1, []])
  })

  it('FIA504 points the right way: write v1beta2 or upgrade on Flux 2.5, write v1 on Flux 2.9', async () => {
    const fixOf = async (version: string): Promise<string | undefined> => (await doctor(scenario(`versions/flux-${version}-failing`, `versions/flux-${version}`))).env.findings.find((f) => f.code === 'FIA504')?.fix
    expect(await fixOf('2.5')).toBe('Upgrade to Flux 2.7 or later, or write apiVersion: image.toolkit.fluxcd.io/v1beta2 in the manifest.')
    await server?.stop()
    expect(await fixOf('2.9')).toBe('Write apiVersion: image.toolkit.fluxcd.io/v1 in the manifest (v1beta2 and v1 have the same fields).')
  })
})

describe('the version model against what the controllers wrote and run with', () => {
  type O = { kind: string; metadata: { name: string }; spec?: Record<string, unknown>; status?: Record<string, unknown> }
  const at = (version: string, change: (o: O) => O): object[] => (scenario(`versions/flux-${version}`, `versions/flux-${version}`) as O[]).map(change)
  const stalled = (reason: string, message: string) => ({ conditions: [{ type: 'Ready', status: 'False', reason, message }, { type: 'Stalled', status: 'True', reason, message }] })

  it('a reason only a later release sets (RemovedTemplateField on Flux 2.5): FIA458, the version guess is wrong', async () => {
    const message = "template uses removed '.Updated' field. Please use '.Changed' instead."
    const { env } = await doctor(at('2.5', (o) => (o.kind === 'ImageUpdateAutomation' ? { ...o, status: stalled('RemovedTemplateField', message) } : o)))
    const f = env.findings.find((x) => x.code === 'FIA458') as { message?: string; evidence?: string[] } | undefined
    expect(f?.message).toBe('ImageUpdateAutomation flux-system/flux-system has Ready reason RemovedTemplateField, which image-automation-controller v0.40 (Flux 2.5) does not set; Flux 2.7–2.9 does.')
    expect(f?.evidence?.at(-1)).toBe('assumed Flux 2.5: Deployment flux-system/image-automation-controller is labelled app.kubernetes.io/version: v2.5.0')
  })

  it('FeatureGateDisabled on an ImageRepository before image-reflector-controller v0.35 (Flux 2.3): FIA458', async () => {
    const message = 'to use spec.serviceAccountName in the ImageRepository for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller'
    const { env } = await doctor(at('2.3', (o) => (o.kind === 'ImageRepository' ? { ...o, status: stalled('FeatureGateDisabled', message) } : o)))
    expect(env.findings.filter((x) => x.code === 'FIA458').map((x) => (x as { message?: string }).message)).toEqual([
      'ImageRepository flux-system/podinfo has Ready reason FeatureGateDisabled, which image-reflector-controller v0.32 (Flux 2.3) does not set; Flux 2.6–2.9 does.',
    ])
  })

  it('--flux-version 2.9 over a Flux 2.5 cluster: the messages only older releases write say the version is wrong (FIA458)', async () => {
    const { env } = await doctor(scenario('versions/flux-2.5', 'versions/flux-2.5'), '--flux-version', '2.9')
    expect(env.findings.filter((x) => x.code === 'FIA458').map((x) => (x as { message?: string }).message)).toEqual([
      'ImageRepository flux-system/podinfo has a Ready message with a scan message without checksum (image-reflector-controller < v1.0), which image-reflector-controller v1.2 (Flux 2.9) does not write; Flux 2.0–2.6 does.',
      "ImagePolicy flux-system/podinfo has a Ready message with the image name in quotes (image-reflector-controller ≤ v0.34), which image-reflector-controller v1.2 (Flux 2.9) does not write; Flux 2.0–2.5 does.",
    ])
  })

  it('the same reason on a release that sets it, or on a suspended object, is no finding', async () => {
    const message = "template uses removed '.Updated' field. Please use '.Changed' instead."
    const { env } = await doctor(at('2.9', (o) => (o.kind === 'ImageUpdateAutomation' ? { ...o, status: stalled('RemovedTemplateField', message) } : o)))
    expect(env.findings.map((x) => x.code)).not.toContain('FIA458')
    await server?.stop()
    const suspended = await doctor(at('2.5', (o) => (o.kind === 'ImageUpdateAutomation' ? { ...o, spec: { ...o.spec, suspend: true }, status: stalled('RemovedTemplateField', message) } : o)))
    expect(suspended.env.findings.map((x) => x.code)).not.toContain('FIA458')
  })

  const withGates = (version: string, gates: string) => at(version, (o) => {
    if (o.kind !== 'Deployment' || o.metadata.name !== 'image-automation-controller') return o
    const spec = o.spec as { template: { spec: { containers: { name: string; image: string; args?: string[] }[] } } }
    const containers = spec.template.spec.containers.map((c) => ({ ...c, args: ['--events-addr=http://notification-controller.flux-system.svc.cluster.local./', `--feature-gates=${gates}`] }))
    return { ...o, spec: { ...spec, template: { spec: { containers } } } }
  })

  it('a feature gate the release does not have (GitSparseCheckout on Flux 2.5): FIA459, the controller cannot start', async () => {
    const { env } = await doctor(withGates('2.5', 'GitForcePushBranch=true,GitSparseCheckout=true'))
    const f = env.findings.filter((x) => x.code === 'FIA459') as { message?: string; severity: string }[]
    expect(f.map((x) => [x.severity, x.message])).toEqual([
      ['error', `Deployment flux-system/image-automation-controller passes --feature-gates with GitSparseCheckout, which image-automation-controller v0.40 (Flux 2.5) does not have: it exits at start (its log: "unable to load feature gates", error "feature-gate 'GitSparseCheckout' not supported"). Flux 2.7–2.9 have it.`],
    ])
  })

  it('gates the release has, or that the model does not know, are no finding', async () => {
    const { env } = await doctor(withGates('2.9', 'GitSparseCheckout=true,ObjectLevelWorkloadIdentity=true,SomeGateFromFluxcdPkg=true'))
    expect(env.findings.map((x) => x.code)).not.toContain('FIA459')
  })
})
