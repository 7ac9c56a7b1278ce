// The doctor beside the flux CLI: a fixture `flux` on PATH (test/support/bin) prints
// `flux get image all` as the real one lays it out, from the same objects the fake API server
// serves, or from others when a test wants the two to disagree.

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { type Obj, scenario } from '../support/scenario.js'
import { tempDir } from '../support/tree.js'

const NOW = '2026-11-24T10:00:00Z'
const PATH = `${join(ROOT, 'test/support/bin')}:${process.env.PATH ?? ''}`
const FORBIDDEN = 'imagepolicies.image.toolkit.fluxcd.io is forbidden: User "oncall" cannot list resource "imagepolicies" in API group "image.toolkit.fluxcd.io" in the namespace "flux-system"'

let server: FakeApiServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

interface Setup {
  api: Obj[]
  flux?: Obj[]
  fluxEnv?: Record<string, string>
  fault?: { path: RegExp; status: number }
}

async function doctorWithFlux(setup: Setup, ...args: string[]) {
  server = FakeApiServer.fromObjects(setup.api)
  if (setup.fault) server.faults.push(setup.fault)
  const kubeconfig = server.kubeconfig(await server.start())
  const dir = tempDir()
  writeFileSync(join(dir, 'objects.json'), JSON.stringify(setup.flux ?? setup.api))
  const log = join(dir, 'flux.log')
  writeFileSync(log, '')
  const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, '--json', ...args], {
    env: { PATH, FLUX_FIXTURE_OBJECTS: join(dir, 'objects.json'), FLUX_FIXTURE_LOG: log, ...setup.fluxEnv },
  })
  const fluxArgv = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[])
  return { r, report: JSON.parse(r.stdout), fluxArgv, kubeconfig }
}

const codes = (report: { findings: { code: string }[] }): string[] => report.findings.map((f) => f.code)
const check = (report: { result: { checks: { id: string; status: string }[] } }, id: string) => report.result.checks.find((c) => c.id === id)

describe('doctor with flux on PATH', () => {
  it('cross-checks flux get image all, run with the same scope flags', async () => {
    const { r, report, fluxArgv, kubeconfig } = await doctorWithFlux({ api: scenario('healthy') }, '--context', 'fake')
    expect(r.code).toBe(0)
    expect(codes(report)).toEqual([])
    expect(check(report, 'flux-cross-check')?.status).toBe('passed')
    expect(fluxArgv).toEqual([['get', 'image', 'all', '-n', 'flux-system', '--context', 'fake', '--kubeconfig', kubeconfig]])
    expect(server?.log.every((e) => e.method === 'GET')).toBe(true)
  })

  it('--no-flux does not run it', async () => {
    const { report, fluxArgv } = await doctorWithFlux({ api: scenario('healthy') }, '--no-flux')
    expect(fluxArgv).toEqual([])
    expect(check(report, 'flux-cross-check')).toBeUndefined()
  })

  it('passes -A through', async () => {
    const { fluxArgv } = await doctorWithFlux({ api: scenario('healthy') }, '-A')
    expect(fluxArgv[0]?.slice(0, 4)).toEqual(['get', 'image', 'all', '-A'])
  })

  it('reports where flux and the API disagree', async () => {
    const { r, report } = await doctorWithFlux({ api: scenario('healthy'), flux: scenario('c1-range-matches-nothing') })
    expect(codes(report)).toEqual(['FIA407'])
    expect(report.findings[0].evidence).toEqual(['flux-system/podinfo: Ready True in the API, False in flux get'])
    expect(r.code).toBe(0)
  })

  it('takes a kind the API refuses from flux get image all', async () => {
    const { r, report } = await doctorWithFlux({ api: scenario('c1-range-matches-nothing'), fault: { path: /imagepolicies/, status: 403 } })
    expect(report.errors).toEqual([])
    expect(report.result.scope.source).toBe('context fake; ImagePolicy from flux get image all')
    expect(check(report, 'policies-select')?.status).toBe('failed')
    // The status alone: no spec to replay, but Flux's message names the cause, and the stale
    // latestRef flux get shows is still written by automations.
    expect(codes(report)).toEqual(['FIA420', 'FIA105', 'FIA111'])
    expect(r.code).toBe(1)
  })

  it('keeps the API error when flux cannot read the kind either', async () => {
    const { r, report } = await doctorWithFlux({ api: scenario('healthy'), fault: { path: /imagepolicies/, status: 403 }, fluxEnv: { FLUX_FIXTURE_FAIL: JSON.stringify({ ImagePolicy: FORBIDDEN }) } })
    expect(report.errors.map((e: { code: string; message: string }) => [e.code, e.message.startsWith('ImagePolicy: ') && !e.message.includes('flux get')])).toEqual([['ERR_FORBIDDEN', true]])
    expect(check(report, 'policies-select')?.status).toBe('skipped')
    expect(r.code).toBe(3)
  })
})

describe('doctor --flux-output', () => {
  it('diagnoses saved output with no cluster at all', async () => {
    const r = await runCli(['doctor', '--flux-output', 'fixtures/flux/get-image-all-A.txt', '-A', '--now', NOW, '--json', '--kubeconfig', '/nonexistent/kubeconfig'])
    const report = JSON.parse(r.stdout)
    expect(report.errors).toEqual([])
    expect(report.result.scope.source).toBe('flux get image all output (fixtures/flux/get-image-all-A.txt)')
    expect(codes(report)).toEqual(['FIA410', 'FIA201', 'FIA413', 'FIA420', 'FIA105', 'FIA111', 'FIA434'])
    expect(check(report, 'controllers-ready')?.status).toBe('skipped')
    expect(r.code).toBe(1)
  })

  it('reads stdin, and a "✗" line makes its kind unreadable', async () => {
    const r = await runCli(['doctor', '--flux-output', '-', '-A', '--now', NOW, '--json'], { stdin: readFileSync('fixtures/flux/get-image-all-forbidden.txt', 'utf8') })
    const report = JSON.parse(r.stdout)
    expect(report.errors.map((e: { code: string; message: string }) => [e.code, e.message.startsWith('ImagePolicy: flux get image all: imagepolicies.image.toolkit.fluxcd.io is forbidden')])).toEqual([['ERR_FORBIDDEN', true]])
    expect(check(report, 'policies-select')?.status).toBe('skipped')
    expect(check(report, 'repositories-scan')?.status).toBe('failed')
    expect(r.code).toBe(3)
  })

  it('empty output is a warning: flux prints nothing when the image CRDs are missing', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'empty.txt'), '')
    const r = await runCli(['doctor', '--flux-output', join(dir, 'empty.txt'), '--json'])
    expect(codes(JSON.parse(r.stdout))).toEqual(['FIA405'])
    expect(r.code).toBe(0)
    expect((await runCli(['doctor', '--flux-output', join(dir, 'empty.txt'), '--json', '--fail-on', 'warning'])).code).toBe(1)
  })

  it('refuses output without headers: one coded line, exit 2', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'no-header.txt'), 'imagepolicy/podinfo\tghcr.io/x\t1.0.0\tTrue \tok\t\n')
    const r = await runCli(['doctor', '--flux-output', join(dir, 'no-header.txt')])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^error ERR_FLUX_OUTPUT: the flux output has a table without a NAME and READY header/)
    expect(r.stderr).not.toMatch(/\s+at /)
  })

  it('--flux-output and --snapshot together are a usage error', async () => {
    const r = await runCli(['doctor', '--flux-output', 'a.txt', '--snapshot', 'b.yaml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/ERR_USAGE/)
  })
})
