// doctor --snapshot at a size where a search per object made the checks quadratic and the
// snapshot's syntax tree took gigabytes: the findings must be those of one namespace, times the
// number of namespaces, from YAML and from JSON alike (the timing is in npm run bench).

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { runCli } from '../support/cli.js'
import { type Obj, scenario } from '../support/scenario.js'
import { tempDir } from '../support/tree.js'

const NOW = '2026-11-24T10:00:00Z'
const SCENARIOS = ['c1-range-matches-nothing', 'g-helmrelease-not-released', 'f-git-secret-no-known-hosts', 'f4-protected-branch']
const CLUSTER_WIDE = new Set(['CustomResourceDefinition', 'Deployment'])

// The scenario's pipeline objects moved into namespace `ns` (the controllers stay where they are).
function inNamespace(objects: Obj[], ns: string): Obj[] {
  return objects
    .filter((o) => !CLUSTER_WIDE.has(o.kind))
    .map((o) => {
      const copy = structuredClone(o) as Obj & { metadata: { labels?: Record<string, string> } }
      copy.metadata.namespace = ns
      if (copy.metadata.labels?.['kustomize.toolkit.fluxcd.io/namespace']) copy.metadata.labels['kustomize.toolkit.fluxcd.io/namespace'] = ns
      return copy
    })
}

function codes(report: { findings: { code: string }[] }): Map<string, number> {
  const out = new Map<string, number>()
  for (const f of report.findings) out.set(f.code, (out.get(f.code) ?? 0) + 1)
  return out
}

async function doctor(file: string): Promise<{ findings: { code: string; subject?: { namespace?: string } }[] }> {
  const r = await runCli(['doctor', '--snapshot', file, '-A', '--now', NOW, '--no-flux', '--json'])
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout)
}

describe('doctor --snapshot over 1,000 namespaces', () => {
  const dir = tempDir()
  const controllers = scenario('healthy').filter((o) => CLUSTER_WIDE.has(o.kind))
  const items = [...controllers]
  for (let i = 0; i < 1000; i++) items.push(...inNamespace(scenario(SCENARIOS[i % SCENARIOS.length] as string), `team-${i}`))
  const yamlFile = join(dir, 'cluster.yaml')
  const jsonFile = join(dir, 'cluster.json')
  writeFileSync(yamlFile, stringify({ apiVersion: 'v1', kind: 'List', items }))
  writeFileSync(jsonFile, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 4))

  let fromYaml: ReturnType<typeof doctor> | undefined
  const once = (): ReturnType<typeof doctor> => (fromYaml ??= doctor(yamlFile))

  it('finds in each namespace what it finds in one', async () => {
    const want = new Map<string, number>()
    for (const name of SCENARIOS) {
      const one = join(dir, `${name}.yaml`)
      writeFileSync(one, stringify({ apiVersion: 'v1', kind: 'List', items: [...controllers, ...inNamespace(scenario(name), 'team-0')] }))
      for (const [code, n] of codes(await doctor(one))) want.set(code, (want.get(code) ?? 0) + n * 250)
    }
    const report = await once()
    expect(codes(report)).toEqual(want)
    expect(new Set(report.findings.map((f) => f.subject?.namespace)).size).toBe(1000)
  }, 180_000)

  it('reports the same from the snapshot saved as JSON', async () => {
    const [json, yaml] = await Promise.all([doctor(jsonFile), once()])
    expect(json.findings).toEqual(yaml.findings)
    expect(json.findings.length).toBeGreaterThan(1000)
  }, 180_000)
})

describe('a snapshot List of 150,000 items', () => {
  it('is read whole (its items were spread into one call, which overflows the stack)', async () => {
    const file = join(tempDir(), 'cluster.json')
    const filler = Array.from({ length: 150_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'team-0' } }))
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...filler, ...scenario('c1-range-matches-nothing')] }))
    const report = await doctor(file)
    expect(report.findings.map((f) => f.code)).toEqual(['FIA420', 'FIA105', 'FIA111'])
  }, 120_000)
})
