// doctor over a fleet: several contexts of one kubeconfig, each a fake API server (one of
// them unreachable), read side by side; one report per cluster, a summary, the worst exit code.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { scenario } from '../support/scenario.js'

const NOW = '2026-11-24T10:00:00Z'
const servers: FakeApiServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop()
})

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const port = (srv.address() as { port: number }).port
  await new Promise((resolve) => srv.close(resolve))
  return port
}

/** prod-a: healthy; prod-b: a policy that selects nothing (FIA420); prod-down: no server. */
async function fleetKubeconfig(): Promise<string> {
  const urls: string[] = []
  for (const name of ['healthy', 'c1-range-matches-nothing']) {
    const s = FakeApiServer.fromObjects(scenario(name))
    servers.push(s)
    urls.push(await s.start())
  }
  urls.push(`http://127.0.0.1:${await closedPort()}`)
  const names = ['a', 'b', 'down']
  const path = join(mkdtempSync(join(tmpdir(), 'fia-fleet-')), 'config')
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n${names.map((n, i) => `- name: ${n}\n  cluster: {server: "${urls[i]}", insecure-skip-tls-verify: true}\n`).join('')}contexts:\n${names.map((n) => `- {name: prod-${n}, context: {cluster: ${n}, user: u}}\n`).join('')}current-context: prod-a\nusers:\n- {name: u, user: {token: t}}\n`,
  )
  return path
}

interface Fleet {
  kind: string
  status: string
  findings: { cluster: string; code: string }[]
  errors: { cluster: string; code: string; message: string }[]
  result: { clusters: { context: string; status: string; exitCode: number; report: { kind: string; status: string; result: { counts: { failed: number } } | null } }[]; summary: Record<string, number> }
}

const doctor = (kubeconfig: string, ...args: string[]) => runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, '--no-flux', '--request-timeout', '5', ...args])

describe('doctor over several contexts', () => {
  it('reports each cluster and the fleet, an unreachable one as its own error, and exits with the worst code', async () => {
    const kubeconfig = await fleetKubeconfig()
    const r = await doctor(kubeconfig, '--context', 'prod-a', '--context', 'prod-b', '--context', 'prod-down', '--json')
    const fleet = JSON.parse(r.stdout) as Fleet
    expect(fleet.kind).toBe('DoctorFleetReport')
    expect(fleet.status).toBe('incomplete')
    expect(fleet.result.clusters.map((c) => [c.context, c.status, c.exitCode, c.report.kind])).toEqual([
      ['prod-a', 'ok', 0, 'DoctorReport'],
      ['prod-b', 'problems', 1, 'DoctorReport'],
      ['prod-down', 'incomplete', 3, 'DoctorReport'],
    ])
    expect(fleet.result.summary).toEqual({ clusters: 3, ok: 1, problems: 1, incomplete: 1, notRead: 0, exitCode: 3 })
    expect(fleet.findings.filter((f) => f.code === 'FIA420').map((f) => f.cluster)).toEqual(['prod-b'])
    // Every kind of prod-down failed to be read: errors of that cluster only.
    expect(new Set(fleet.errors.map((e) => `${e.cluster} ${e.code}`))).toEqual(new Set(['prod-down ERR_CLUSTER_UNREACHABLE']))
    expect(r.code).toBe(3)
  })

  it('--all-contexts reads every context; without the unreachable one the worst is a finding (exit 1)', async () => {
    const kubeconfig = await fleetKubeconfig()
    const all = JSON.parse((await doctor(kubeconfig, '--all-contexts', '--json')).stdout) as Fleet
    expect(all.result.clusters.map((c) => c.context)).toEqual(['prod-a', 'prod-b', 'prod-down'])
    const two = await doctor(kubeconfig, '--context', 'prod-a', '--context', 'prod-b', '--json')
    expect(two.code).toBe(1)
    expect((JSON.parse(two.stdout) as Fleet).status).toBe('problems')
  })

  it('prints each report and a summary table, and JUnit with one suite per cluster', async () => {
    const kubeconfig = await fleetKubeconfig()
    const table = await doctor(kubeconfig, '--context', 'prod-a', '--context', 'prod-b')
    expect(table.stdout).toContain('=== context prod-a ===\nflux-imgauto doctor: namespace flux-system (context prod-a)')
    expect(table.stdout).toMatch(/FLEET\nCONTEXT +STATUS +EXIT +FAILED CHECKS +FINDINGS +ERRORS\nprod-a +ok +0 +0 +0 +0\nprod-b +problems +1 +1 +\d+ +0\n/)
    expect(table.stdout).toContain('2 clusters: 1 ok, 1 with problems, 0 incomplete (0 not read); exit code 1, the worst.')
    const junit = await doctor(kubeconfig, '--context', 'prod-a', '--context', 'prod-b', '--output', 'junit')
    expect([...junit.stdout.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1])).toEqual(['prod-a', 'prod-b'])
    expect(junit.stdout).toMatch(/<testcase classname="doctor\.prod-b\.policies"/)
    expect(junit.code).toBe(1)
  })

  it('reports a context whose kubeconfig entry is unusable as not read, and reads the others', async () => {
    const kubeconfig = await fleetKubeconfig()
    writeFileSync(kubeconfig, readFileSync(kubeconfig, 'utf8').replace('- {name: prod-down, context: {cluster: down, user: u}}', '- {name: prod-down, context: {cluster: nowhere, user: u}}'))
    const r = await doctor(kubeconfig, '--all-contexts', '--json')
    const fleet = JSON.parse(r.stdout) as Fleet
    expect(fleet.result.clusters.map((c) => [c.context, c.status, c.report.result === null])).toEqual([
      ['prod-a', 'ok', false],
      ['prod-b', 'problems', false],
      ['prod-down', 'incomplete', true],
    ])
    expect(fleet.errors.map((e) => [e.cluster, e.code])).toEqual([['prod-down', 'ERR_KUBECONFIG']])
    expect(fleet.result.summary.notRead).toBe(1)
    const table = await doctor(kubeconfig, '--all-contexts')
    expect(table.stdout).toMatch(/=== context prod-down ===\nnot read: error ERR_KUBECONFIG: /)
    expect(table.stdout).toMatch(/\nprod-down +not-read +3 +- +0 +1\n/)
    expect(table.code).toBe(3)
  })

  it('refuses a context given twice, and --all-contexts beside --snapshot', async () => {
    const kubeconfig = await fleetKubeconfig()
    const twice = await doctor(kubeconfig, '--context', 'prod-a', '--context', 'prod-a')
    expect([twice.code, twice.stderr.split('\n')[0]]).toEqual([2, 'error ERR_USAGE: a --context is given twice'])
    const snap = await doctor(kubeconfig, '--all-contexts', '--snapshot', 'x.yaml')
    expect(snap.code).toBe(2)
    expect(snap.stderr).toMatch(/^error ERR_USAGE: /)
  })
})
