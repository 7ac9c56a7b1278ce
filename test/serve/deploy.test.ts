// deploy/: the kustomize base grants exactly what serve reads (compared with the kinds the code
// lists, so neither can drift), runs it locked down, and the alerts pass promtool.

import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse, parseAllDocuments, stringify } from 'yaml'
import { REFS } from '../../src/adapters/snapshot.js'
import { WORKLOAD_REFS } from '../../src/serve/workloads.js'
import { ROOT } from '../support/cli.js'

interface Rule {
  apiGroups: string[]
  resources: string[]
  verbs: string[]
}
interface Doc {
  kind: string
  metadata: { name: string; namespace?: string }
  rules?: Rule[]
  spec?: Record<string, unknown>
}

// kubectl renders the kustomizations (kubectl kustomize), promtool checks the alerts (Debian's
// prometheus package, which test/support/install-deps.sh installs); without them, say so.
function needs(tool: string, ctx: { skip(note: string): void }): void {
  if (spawnSync(tool, ['--help'], { encoding: 'utf8' }).error) ctx.skip(`${tool} is not installed`)
}

function kustomize(dir: string): Doc[] {
  const r = spawnSync('kubectl', ['kustomize', dir], { cwd: ROOT, encoding: 'utf8' })
  expect(r.stderr).toBe('')
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Doc)
}

function grants(docs: Doc[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const d of docs.filter((x) => x.kind === 'ClusterRole' || x.kind === 'Role'))
    for (const r of d.rules ?? []) for (const g of r.apiGroups) for (const res of r.resources) out.set(`${g}/${res}`, [...r.verbs].sort())
  return out
}

describe('deploy/base', () => {
  it('grants get, list and watch on exactly the kinds serve lists, the controllers\' Deployments in flux-system too', (ctx) => {
    needs('kubectl', ctx)
    const docs = kustomize('deploy/base')
    const want = [...new Set([...Object.values(REFS), ...Object.values(WORKLOAD_REFS)].map((r) => `${r.group}/${r.plural}`))].sort()
    const granted = grants(docs)
    expect([...granted.keys()].sort()).toEqual(want)
    for (const verbs of granted.values()) expect(verbs).toEqual(['get', 'list', 'watch'])
    const role = docs.find((d) => d.kind === 'Role')
    expect(role?.metadata.namespace).toBe('flux-system')
    expect(role?.rules?.flatMap((r) => r.resources)).toEqual(['deployments'])
  })

  it('runs serve non-root on a read-only root, with probes on its endpoints, limits, and a Service to scrape', (ctx) => {
    needs('kubectl', ctx)
    const docs = kustomize('deploy/base')
    const deployment = docs.find((d) => d.kind === 'Deployment') as Doc
    const pod = (deployment.spec?.template as { spec: Record<string, unknown> }).spec as { securityContext: Record<string, unknown>; containers: Record<string, unknown>[]; serviceAccountName: string }
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true })
    expect(pod.serviceAccountName).toBe('flux-imgauto')
    const [c] = pod.containers as [Record<string, never>]
    expect(c.args).toEqual(['serve', '--all-namespaces', '--listen', ':9797'])
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } })
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http-metrics' } })
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http-metrics' } })
    expect(c.resources).toMatchObject({ limits: { cpu: expect.any(String), memory: expect.any(String) } })
    expect(c.ports).toEqual([{ name: 'http-metrics', containerPort: 9797, protocol: 'TCP' }])
    const service = docs.find((d) => d.kind === 'Service') as Doc
    expect(service.spec?.ports).toEqual([{ name: 'http-metrics', port: 9797, targetPort: 'http-metrics', protocol: 'TCP' }])
    const subjects = docs.filter((d) => d.kind.endsWith('Binding')).flatMap((d) => (d as unknown as { subjects: object[] }).subjects)
    for (const s of subjects) expect(s).toEqual({ kind: 'ServiceAccount', name: 'flux-imgauto', namespace: 'flux-imgauto' })
  })

  it('grants list on Secrets only with the secrets component', (ctx) => {
    needs('kubectl', ctx)
    const dir = mkdtempSync(join(ROOT, 'deploy/.test-'))
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\ncomponents: [../components/secrets]\n')
      const granted = grants(kustomize(dir))
      expect(granted.get('/secrets')).toEqual(['list'])
      expect(grants(kustomize('deploy/base')).has('/secrets')).toBe(false)
    } finally {
      spawnSync('rm', ['-r', dir])
    }
  })
})

describe('deploy/monitoring', () => {
  // promtool reads plain rule files: the PrometheusRule's spec.groups, written out as one.
  it('passes promtool check rules and promtool test rules', (ctx) => {
    needs('promtool', ctx)
    const dir = mkdtempSync(join(tmpdir(), 'fia-rules-'))
    const rule = parse(readFileSync(join(ROOT, 'deploy/monitoring/prometheusrule.yaml'), 'utf8')) as { spec: { groups: unknown[] } }
    writeFileSync(join(dir, 'rules.yaml'), stringify({ groups: rule.spec.groups }))
    copyFileSync(join(ROOT, 'deploy/monitoring/alerts.test.yaml'), join(dir, 'alerts.test.yaml'))
    const check = spawnSync('promtool', ['check', 'rules', 'rules.yaml'], { cwd: dir, encoding: 'utf8' })
    expect(check.stdout).toContain('SUCCESS: 7 rules found')
    expect(check.status).toBe(0)
    const test = spawnSync('promtool', ['test', 'rules', 'alerts.test.yaml'], { cwd: dir, encoding: 'utf8' })
    expect(test.stdout + test.stderr).toContain('SUCCESS')
    expect(test.status).toBe(0)
  })
})
