import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { crossCheck, fluxGetOutcome, mergeFluxGet, parseFluxGet, snapshotFromFluxGet } from '../../src/core/doctor/flux-get.js'
import { runChecks } from '../../src/core/doctor/index.js'
import type { KObject, Snapshot } from '../../src/core/doctor/snapshot.js'

const fixture = (name: string): string => readFileSync(`fixtures/flux/${name}`, 'utf8')
const summary = (objects: KObject[] | undefined) =>
  (objects ?? []).map((o) => ({ ns: o.metadata.namespace, name: o.metadata.name, spec: o.spec, status: o.status }))

describe('parseFluxGet', () => {
  it('reads flux get image all -A (Flux ≥ 2.7 columns) into objects', () => {
    const parsed = parseFluxGet(fixture('get-image-all-A.txt'), '', 'flux-system')
    expect(parsed.errors).toEqual([])
    const repos = parsed.objects.get('ImageRepository')
    expect(repos?.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['flux-system/podinfo', 'apps/api', 'apps/worker'])
    expect(summary(repos)[1]).toEqual({
      ns: 'apps',
      name: 'api',
      spec: {},
      status: {
        lastScanResult: { scanTime: '2026-11-24T08:10:40Z' },
        conditions: [{ type: 'Ready', status: 'False', message: 'scan failed: GET https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/api/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized' }],
      },
    })
    expect(repos?.[2]?.spec).toEqual({ suspend: true })
    const policies = parsed.objects.get('ImagePolicy')
    // A failing policy keeps its stale latestRef; flux shows it beside READY False.
    expect(policies?.[1]?.status).toEqual({ latestRef: { name: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api', tag: '1.4.2' }, conditions: [{ type: 'Ready', status: 'False', message: 'unable to determine latest version from provided list' }] })
    // "False / waiting to be reconciled" is how flux prints an object with no Ready condition.
    expect(policies?.[2]?.status).toEqual({})
    expect(parsed.objects.get('ImageUpdateAutomation')?.map((o) => o.status?.lastAutomationRunTime)).toEqual(['2026-11-24T09:56:00Z', '2026-11-24T09:50:00Z'])
  })

  it('reads the Flux ≤ 2.6 LATEST IMAGE column, and rows without NAMESPACE belong to -n', () => {
    const parsed = parseFluxGet(fixture('get-image-all-flux-2.6.txt'), '', 'apps')
    const policies = parsed.objects.get('ImagePolicy')
    expect(policies?.map((o) => [o.metadata.namespace, o.metadata.name, o.status?.latestRef])).toEqual([
      ['apps', 'api', { name: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api', tag: '1.4.2' }],
      ['apps', 'new', undefined],
    ])
  })

  it('splits LATEST IMAGE at the tag colon, not a registry port', () => {
    const text = 'NAME       \tLATEST IMAGE                  \tREADY\tMESSAGE \nimagepolicy/a\tregistry.local:5000/team/app\tTrue \tok\t\nimagepolicy/b\tregistry.local:5000/team/app:2.0.1\tTrue \tok\t\n\n'
    expect(parseFluxGet(text, '', 'ns').objects.get('ImagePolicy')?.map((o) => o.status?.latestRef)).toEqual([undefined, { name: 'registry.local:5000/team/app', tag: '2.0.1' }])
  })

  it('maps columns by header name: the pre-2022 order put MESSAGE before LAST SCAN', () => {
    const text = 'NAME   \tREADY\tMESSAGE                  \tLAST SCAN           \tSUSPENDED \npodinfo\tTrue \tsuccessful scan, found 3 tags\t2022-01-10T09:00:00Z\tFalse    \t\n'
    const [repo] = parseFluxGet(text, '', 'flux-system').objects.get('ImageRepository') ?? []
    expect(repo?.metadata).toEqual({ name: 'podinfo', namespace: 'flux-system' })
    expect(repo?.status).toEqual({ conditions: [{ type: 'Ready', status: 'True', message: 'successful scan, found 3 tags' }], lastScanResult: { scanTime: '2022-01-10T09:00:00Z' } })
  })

  it('keeps a TAB inside a message in the message', () => {
    const text = 'NAME\tLAST RUN\tSUSPENDED\tREADY\tMESSAGE \nimageupdateautomation/a\t2026-11-24T09:00:00Z\tFalse\tFalse\tfirst\tsecond\t\n'
    expect(parseFluxGet(text, '', 'x').objects.get('ImageUpdateAutomation')?.[0]?.status?.conditions).toEqual([{ type: 'Ready', status: 'False', message: 'first\tsecond' }])
  })

  it('takes the kind of a "✗" line from the resource it names', () => {
    const stderr = '✗ imagepolicies.image.toolkit.fluxcd.io is forbidden: User "oncall" cannot list resource "imagepolicies" in API group "image.toolkit.fluxcd.io" at the cluster scope\n'
    const parsed = parseFluxGet('', stderr, 'flux-system')
    expect(parsed.errors.map((e) => e.kind)).toEqual(['ImagePolicy'])
  })

  it('an error naming no kind stands for every kind that printed no table', () => {
    const text = 'NAME\tLAST SCAN\tSUSPENDED\tREADY\tMESSAGE \nimagerepository/a\t2026-11-24T09:00:00Z\tFalse\tTrue\tok\t\n\n'
    const parsed = parseFluxGet(text, '✗ Unauthorized\n✗ Unauthorized\n', 'flux-system')
    expect(parsed.errors).toEqual([
      { kind: 'ImagePolicy', message: 'Unauthorized' },
      { kind: 'ImageUpdateAutomation', message: 'Unauthorized' },
    ])
  })

  it.each([
    ['--no-header output', 'imagepolicy/a\tghcr.io/x\t1.0.0\tTrue\tok\t\n'],
    ['another command', 'NAME\tREVISION\tSUSPENDED\tREADY\tMESSAGE \nflux-system\tmain@sha1:abc\tFalse\tTrue\tok\t\n'],
  ])('refuses %s with ERR_FLUX_OUTPUT', (_name, text) => {
    expect(() => parseFluxGet(text, '', 'flux-system')).toThrow(expect.objectContaining({ id: 'ERR_FLUX_OUTPUT' }))
  })
})

describe('the doctor over flux get output', () => {
  const NOW = Date.parse('2026-11-24T10:00:00Z')
  const doctor = (text: string) => {
    const s = snapshotFromFluxGet(parseFluxGet(text, '', 'flux-system'), undefined, 'flux-system', 'flux get image all output')
    s.now = NOW
    return runChecks(s)
  }

  it('judges statuses and skips what the output does not hold', () => {
    const checks = doctor(fixture('get-image-all-A.txt'))
    expect(Object.fromEntries(checks.map((c) => [c.id, c.status]))).toEqual({
      'crds-installed': 'skipped',
      'controllers-ready': 'skipped',
      'repositories-scan': 'failed',
      'repository-secrets': 'skipped',
      'policies-select': 'failed',
      'automations-run': 'failed',
      'automations-see-policies': 'passed',
      'automation-secrets': 'skipped',
      'spec-rules': 'skipped',
      'sources-ready': 'skipped',
      'pushed-is-deployed': 'skipped',
      'helmreleases-upgraded': 'skipped',
      // flux get output shows no Flux version to judge reasons against.
      'reasons-fit-version': 'skipped',
    })
    expect(checks.find((c) => c.id === 'controllers-ready')?.reason).toBe('Deployment: not in flux get image all output')
    // No FIA208 (ECR without provider: aws): flux get does not show spec.provider.
    expect(checks.flatMap((c) => c.findings.map((f) => [f.code, f.subject?.namespace, f.subject?.name]))).toEqual([
      ['FIA410', 'apps', 'api'],
      ['FIA201', 'apps', 'api'],
      ['FIA413', 'apps', 'worker'],
      ['FIA420', 'apps', 'api'],
      // From Flux's own message, though flux get shows no spec to replay; the TAG column is stale.
      ['FIA105', 'apps', 'api'],
      ['FIA111', 'apps', 'api'],
      ['FIA434', 'apps', 'apps'],
    ])
  })

  it('no output at all is reported: flux prints nothing when the image CRDs are missing', () => {
    expect(fluxGetOutcome(parseFluxGet('', '', 'flux-system')).findings.map((f) => f.code)).toEqual(['FIA405'])
    expect(fluxGetOutcome(parseFluxGet(fixture('get-image-all-A.txt'), '', 'flux-system')).findings).toEqual([])
  })

  it('an error no kind can own is reported as such', () => {
    const outcome = fluxGetOutcome(parseFluxGet(fixture('get-image-all-A.txt'), '✗ context deadline exceeded\n', 'flux-system'))
    expect(outcome.findings.map((f) => [f.code, f.message])).toEqual([['FIA406', 'flux get image all: context deadline exceeded']])
    expect(outcome.status).toBe('failed')
  })
})

describe('crossCheck', () => {
  const api = (ready: string): Snapshot => ({
    fluxNamespace: 'flux-system',
    now: 0,
    objects: new Map([['ImagePolicy', [{ kind: 'ImagePolicy', metadata: { name: 'podinfo', namespace: 'flux-system' }, status: { conditions: [{ type: 'Ready', status: ready }] } }]]]),
    unavailable: new Map(),
  })
  const cli = 'NAME               \tIMAGE    \tTAG  \tREADY\tMESSAGE \nimagepolicy/podinfo\tghcr.io/x\t1.0.0\tTrue \tok\t\n\n'

  it('agrees when readiness matches, and reports each difference', () => {
    expect(crossCheck(api('True'), parseFluxGet(cli, '', 'flux-system'))).toEqual([])
    const [f] = crossCheck(api('False'), parseFluxGet(cli, '', 'flux-system'))
    expect(f?.code).toBe('FIA407')
    expect(f?.evidence).toEqual(['flux-system/podinfo: Ready False in the API, True in flux get'])
    expect(crossCheck(api('True'), parseFluxGet(cli.replace(/podinfo/g, 'other'), '', 'flux-system'))[0]?.evidence).toEqual(['flux-system/podinfo: listed by the API, not by flux', 'flux-system/other: listed by flux, not by the API'])
  })
})

describe('mergeFluxGet', () => {
  const refused = (): Snapshot => ({
    fluxNamespace: 'flux-system',
    now: 0,
    objects: new Map([['CustomResourceDefinition', [{ metadata: { name: 'imagepolicies.image.toolkit.fluxcd.io' } }]]]),
    unavailable: new Map([['ImagePolicy', { code: 'ERR_FORBIDDEN', message: 'HTTP 403' }], ['ImageUpdateAutomation', { code: 'ERR_API', message: 'not served' }]]),
  })

  it('takes a refused kind from flux, but not one whose CRD is missing', () => {
    const s = refused()
    const { outcome, filled } = mergeFluxGet(s, fixture('get-image-all-A.txt'), '', 'flux-system')
    expect(filled).toEqual(['ImagePolicy'])
    expect(s.objects.get('ImagePolicy')?.length).toBe(3)
    expect([...s.unavailable.keys()]).toEqual(['ImageUpdateAutomation'])
    expect(outcome.status).toBe('passed')
  })

  it('output it cannot read skips the cross-check and changes nothing', () => {
    const s = refused()
    const { outcome, filled } = mergeFluxGet(s, 'imagepolicy/a\tghcr.io/x\t1.0.0\tTrue\tok\t\n', '', 'flux-system')
    expect([outcome.status, filled, [...s.unavailable.keys()]]).toEqual(['skipped', [], ['ImagePolicy', 'ImageUpdateAutomation']])
  })
})
