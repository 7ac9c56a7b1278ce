// serve as it runs: the built CLI in a child process against the fake API server, scraped
// over HTTP. The fake server on this branch answers a watch with a plain list, which serve
// must take as a refused watch and fall back to listing every --poll-interval.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { type Obj, scenario } from '../support/scenario.js'
import { sha256, tarGz } from '../support/tarball.js'
import { until } from '../support/until.js'

const BIN = join(ROOT, 'bin/run.js')

interface Serving {
  url: string
  child: ChildProcess
  logs: () => Record<string, unknown>[]
  exited: Promise<number | null>
}

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

async function fake(objects: Obj[]): Promise<{ server: FakeApiServer; url: string }> {
  const server = FakeApiServer.fromObjects(objects)
  const url = await server.start()
  cleanup.push(() => server.stop())
  return { server, url }
}

/** Starts serve and resolves once it logs the address it listens on. */
function serve(args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', '--poll-interval', '1', '--debounce', '50', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } })
  let stderr = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  cleanup.push(async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
  })
  const logs = (): Record<string, unknown>[] =>
    stderr
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      const serving = logs().find((l) => l.msg === 'serving')
      if (serving) resolve({ url: serving.url as string, child, logs, exited })
    })
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)))
  })
}


async function ready(s: Serving): Promise<void> {
  await until('readyz', async () => ((await fetch(`${s.url}/readyz`)).status === 200 ? true : undefined))
}

async function scrape(s: Serving): Promise<string> {
  const r = await fetch(`${s.url}/metrics`)
  expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return r.text()
}

/** The value of the one series of `name` whose labels include all of `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)\{(.*)\} (\S+)$/.exec(line)
    if (!m || m[1] !== name) continue
    const have = Object.fromEntries([...(m[2] as string).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3])
  }
  return undefined
}

/** Changes an object as a controller would: the server stores it and tells its watchers. */
function replace(server: FakeApiServer, objects: Obj[], kind: string, name: string, change: (o: Record<string, unknown>) => void): void {
  const i = objects.findIndex((o) => o.kind === kind && o.metadata.name === name)
  const copy = structuredClone(objects[i]) as Record<string, unknown>
  change(copy)
  objects[i] = copy as Obj
  server.apply(copy)
}

describe('serve', () => {
  it('leaves out an object of the wrong shape that a watch brings, and reports it as ERR_API', async () => {
    const objects = scenario('healthy')
    const { server, url } = await fake(objects)
    const s = await serve(['--kubeconfig', server.kubeconfig(url, 'kind-dev')])
    await ready(s)
    replace(server, objects, 'ImagePolicy', 'podinfo', (o) => ((o.spec as Record<string, unknown>).policy = 'semver'))
    const envelope = await until('the report to name the object', async () => {
      const e = (await (await fetch(`${s.url}/report`)).json()) as { status: string; errors: { code: string; message: string }[] }
      return e.errors.length > 0 ? e : undefined
    })
    expect(envelope.status).toBe('incomplete')
    expect(envelope.errors).toEqual([expect.objectContaining({ code: 'ERR_API', message: 'the API server answered ImagePolicy flux-system/podinfo: spec.policy must be a mapping, not a string ("semver")' })])
  })

  it('serves metrics, health and the report, and follows changes by listing when the watch is refused', async () => {
    const objects = scenario('healthy')
    const started = Date.now()
    const { server, url } = await fake(objects)
    // A role without the watch verb: every watch is refused (403), lists are allowed.
    server.faults = [{ path: /./, query: /watch=(1|true)/, status: 403 }]
    const s = await serve(['--kubeconfig', server.kubeconfig(url, 'kind-dev')])
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200)
    await ready(s)

    let m = await scrape(s)
    expect(sample(m, 'flux_imgauto_policy_latest_tag_info', { cluster: 'kind-dev', exported_namespace: 'flux-system', name: 'podinfo', image: 'ghcr.io/stefanprodan/podinfo', tag: '6.7.1' })).toBe(1)
    expect(sample(m, 'flux_imgauto_check_status', { cluster: 'kind-dev', check: 'policies-select', status: 'passed' })).toBe(1)
    expect(sample(m, 'flux_imgauto_source_objects', { cluster: 'kind-dev', kind: 'ImagePolicy' })).toBe(1)
    expect(sample(m, 'flux_imgauto_findings', { cluster: 'kind-dev', code: 'FIA410' })).toBeUndefined()
    const since = sample(m, 'flux_imgauto_policy_latest_tag_since_timestamp_seconds', { cluster: 'kind-dev', name: 'podinfo' }) as number
    expect(since).toBeGreaterThan(Date.now() / 1000 - 60)
    // The watch is refused: every kind is polled instead.
    expect(sample(m, 'flux_imgauto_source_watching', { cluster: 'kind-dev', kind: 'ImagePolicy' })).toBe(0)
    expect(sample(m, 'flux_imgauto_source_errors_total', { cluster: 'kind-dev', kind: 'ImagePolicy', code: 'ERR_FORBIDDEN' })).toBe(1)
    expect(s.logs().some((l) => l.msg === 'watch refused, listing periodically' && l.kind === 'ImagePolicy' && l.level === 'warn')).toBe(true)
    const evaluations = sample(m, 'flux_imgauto_evaluations_total', { cluster: 'kind-dev' }) as number
    expect(evaluations).toBeGreaterThanOrEqual(1)

    // A new pick and a failing scan, as the controllers would write them.
    replace(server, objects, 'ImagePolicy', 'podinfo', (o) => ((o.status as { latestRef: { tag: string } }).latestRef.tag = '6.7.2'))
    replace(server, objects, 'ImageRepository', 'podinfo', (o) => ((o.status as { conditions: unknown[] }).conditions = [{ type: 'Ready', status: 'False', reason: 'ReconciliationFailed', message: 'GET https://ghcr.io/v2/stefanprodan/podinfo/tags/list: 401 Unauthorized' }]))
    m = await until('the change in /metrics', async () => {
      const text = await scrape(s)
      return sample(text, 'flux_imgauto_policy_latest_tag_info', { name: 'podinfo', tag: '6.7.2' }) === 1 && sample(text, 'flux_imgauto_findings', { code: 'FIA410' }) !== undefined ? text : undefined
    })
    expect(sample(m, 'flux_imgauto_policy_latest_tag_info', { name: 'podinfo', tag: '6.7.1' })).toBeUndefined()
    expect(sample(m, 'flux_imgauto_findings', { cluster: 'kind-dev', code: 'FIA410', severity: 'error', kind: 'ImageRepository', exported_namespace: 'flux-system', name: 'podinfo' })).toBe(1)
    expect(sample(m, 'flux_imgauto_check_status', { cluster: 'kind-dev', check: 'repositories-scan', status: 'failed' })).toBe(1)
    expect(sample(m, 'flux_imgauto_report_status', { cluster: 'kind-dev', status: 'problems' })).toBe(1)
    expect(sample(m, 'flux_imgauto_evaluations_total', { cluster: 'kind-dev' })).toBeGreaterThan(evaluations)
    expect(sample(m, 'flux_imgauto_policy_latest_tag_since_timestamp_seconds', { cluster: 'kind-dev', name: 'podinfo' })).toBeGreaterThanOrEqual(since)

    const report = await fetch(`${s.url}/report`)
    expect(report.headers.get('content-type')).toMatch(/^application\/json/)
    const envelope = (await report.json()) as { apiVersion: string; kind: string; status: string; findings: { code: string }[]; result: { checks: { id: string; status: string }[] } }
    expect(envelope).toMatchObject({ apiVersion: 'flux-imgauto/v1', kind: 'DoctorReport', status: 'problems' })
    expect(envelope.findings.map((f) => f.code)).toContain('FIA410')
    // The fixture's GitRepository artifact has no url: no markers to trace, and serve says why.
    expect(envelope.findings.map((f) => f.code)).toContain('FIA470')
    const junit = await (await fetch(`${s.url}/report?output=junit`)).text()
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="flux-imgauto doctor"/)
    expect(junit).toContain('FIA410')
    expect((await fetch(`${s.url}/report?output=yaml`)).status).toBe(400)
    expect((await fetch(`${s.url}/nothing`)).status).toBe(404)
    expect((await fetch(`${s.url}/metrics`, { method: 'POST' })).status).toBe(405)

    // Read-only: the API server saw GETs and nothing else; the fallback lists once a second
    // (--poll-interval 1), it does not spin on the refused watch.
    expect(new Set(server.log.map((r) => r.method))).toEqual(new Set(['GET']))
    const policyReads = server.log.filter((r) => r.path === '/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imagepolicies').length
    expect(policyReads).toBeLessThanOrEqual((Date.now() - started) / 1000 + 3)

    s.child.kill('SIGTERM')
    expect(await s.exited).toBe(0)
    expect(s.logs().at(-1)).toMatchObject({ level: 'info', msg: 'stopping', signal: 'SIGTERM' })
  })

  it('follows changes through a watch, with no list per change', async () => {
    const objects = scenario('healthy')
    const { server, url } = await fake(objects)
    const s = await serve(['--kubeconfig', server.kubeconfig(url, 'kind-dev')])
    await ready(s)
    let m = await scrape(s)
    expect(sample(m, 'flux_imgauto_source_watching', { cluster: 'kind-dev', kind: 'ImagePolicy' })).toBe(1)
    const lists = server.log.filter((r) => !/watch=/.test(r.query ?? '')).length
    const changed = Date.now()
    replace(server, objects, 'ImagePolicy', 'podinfo', (o) => ((o.status as { latestRef: { tag: string } }).latestRef.tag = '6.7.2'))
    m = await until('the change in /metrics', async () => {
      const text = await scrape(s)
      return sample(text, 'flux_imgauto_policy_latest_tag_info', { name: 'podinfo', tag: '6.7.2' }) === 1 ? text : undefined
    })
    expect(Date.now() - changed).toBeLessThan(5000)
    expect(server.log.filter((r) => !/watch=/.test(r.query ?? '')).length).toBe(lists)
  })

  it('reports a kind it may not read, skips the checks that need it, and recovers when it may', async () => {
    const { server, url } = await fake(scenario('healthy'))
    server.faults = [{ path: /\/gitrepositories$/, status: 403 }]
    const s = await serve(['--kubeconfig', server.kubeconfig(url, 'kind-dev')])
    await ready(s)
    let m = await scrape(s)
    expect(sample(m, 'flux_imgauto_source_up', { cluster: 'kind-dev', kind: 'GitRepository' })).toBe(0)
    expect(sample(m, 'flux_imgauto_source_up', { cluster: 'kind-dev', kind: 'ImagePolicy' })).toBe(1)
    expect(sample(m, 'flux_imgauto_source_errors_total', { cluster: 'kind-dev', kind: 'GitRepository', code: 'ERR_FORBIDDEN' })).toBeGreaterThanOrEqual(1)
    expect(sample(m, 'flux_imgauto_check_status', { cluster: 'kind-dev', check: 'pushed-is-deployed', status: 'skipped' })).toBe(1)
    expect(sample(m, 'flux_imgauto_report_status', { cluster: 'kind-dev', status: 'incomplete' })).toBe(1)
    const envelope = (await (await fetch(`${s.url}/report`)).json()) as { status: string; errors: { code: string; message: string }[] }
    expect(envelope.errors).toEqual([expect.objectContaining({ code: 'ERR_FORBIDDEN', message: expect.stringMatching(/^GitRepository: reading GitRepository list in flux-system: HTTP 403/) })])
    expect(s.logs().some((l) => l.msg === 'read failed' && l.kind === 'GitRepository' && l.code === 'ERR_FORBIDDEN' && l.level === 'error')).toBe(true)

    server.faults = []
    m = await until('GitRepository read again', async () => {
      const text = await scrape(s)
      return sample(text, 'flux_imgauto_source_up', { kind: 'GitRepository' }) === 1 && sample(text, 'flux_imgauto_report_status', { status: 'incomplete' }) === 0 ? text : undefined
    })
    expect(sample(m, 'flux_imgauto_check_status', { cluster: 'kind-dev', check: 'pushed-is-deployed', status: 'skipped' })).toBe(0)
  })

  it('labels every series with its context when several clusters are watched', async () => {
    const a = await fake(scenario('healthy'))
    const b = await fake(scenario('c1-range-matches-nothing'))
    const dir = mkdtempSync(join(tmpdir(), 'fia-serve-'))
    const kubeconfig = join(dir, 'config')
    const cluster = (name: string, url: string): string => `- name: ${name}\n  cluster: {server: "${url}", insecure-skip-tls-verify: true}\n`
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n${cluster('a', a.url)}${cluster('b', b.url)}contexts:\n- {name: prod-a, context: {cluster: a, user: u}}\n- {name: prod-b, context: {cluster: b, user: u}}\ncurrent-context: prod-a\nusers:\n- {name: u, user: {token: t}}\n`,
    )
    const s = await serve(['--kubeconfig', kubeconfig, '--context', 'prod-a', '--context', 'prod-b'])
    await ready(s)
    const m = await scrape(s)
    expect(sample(m, 'flux_imgauto_check_status', { cluster: 'prod-a', check: 'policies-select', status: 'passed' })).toBe(1)
    expect(sample(m, 'flux_imgauto_check_status', { cluster: 'prod-b', check: 'policies-select', status: 'failed' })).toBe(1)
    expect(sample(m, 'flux_imgauto_findings', { cluster: 'prod-b', code: 'FIA420' })).toBe(1)
    expect(sample(m, 'flux_imgauto_findings', { cluster: 'prod-a', code: 'FIA420' })).toBeUndefined()
    for (const line of m.split('\n').filter((l) => /^flux_imgauto_/.test(l))) expect(line).toMatch(/cluster="prod-[ab]"/)

    expect((await fetch(`${s.url}/report`)).status).toBe(400)
    const b1 = (await (await fetch(`${s.url}/report?cluster=prod-b`)).json()) as { findings: { code: string }[] }
    expect(b1.findings.map((f) => f.code)).toContain('FIA420')
    expect((await fetch(`${s.url}/report?cluster=prod-c`)).status).toBe(404)
  })

  it('exits 2 with one coded line for a bad --listen, a --listen in use or an unknown context (beside a known one too)', async () => {
    const { server, url } = await fake(scenario('healthy'))
    const kubeconfig = server.kubeconfig(url)
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise((resolve) => taken.close(() => resolve())))
    const port = (taken.address() as AddressInfo).port
    for (const [args, message] of [
      [['--listen', 'localhost'], 'error ERR_USAGE: --listen localhost is not HOST:PORT or :PORT'],
      [['--listen', `127.0.0.1:${port}`], `error ERR_USAGE: --listen 127.0.0.1:${port}: EADDRINUSE`],
      [['--listen', '127.0.0.1:0', '--context', 'nope'], 'error ERR_KUBECONFIG: context "nope" is not in the kubeconfig'],
      // The context that did start is stopped, its watches closed: the process exits.
      [['--listen', '127.0.0.1:0', '--context', 'fake', '--context', 'nope'], 'error ERR_KUBECONFIG: context "nope" is not in the kubeconfig'],
    ] as const) {
      // Run beside this process, so that the fake API server answers while it runs.
      const r = await runCli(['serve', '--kubeconfig', kubeconfig, ...args], { timeout: 20000 })
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('traces markers in the GitRepository artifact, once per digest, and follows a new one', async () => {
    const path = '/gitrepository/flux-system/flux-system/a.tar.gz'
    const bad = tarGz([{ name: 'clusters/prod/app.yaml', data: 'image: ghcr.io/stefanprodan/podinfo:6.7.0 # {"$imagepolicy": "apps:podinfo"}\n' }])
    const good = tarGz([{ name: 'clusters/prod/app.yaml', data: 'image: ghcr.io/stefanprodan/podinfo:6.7.1 # {"$imagepolicy": "flux-system:podinfo"}\n' }])
    const objects = scenario('healthy')
    const withArtifact = (o: Record<string, unknown>, gz: Buffer, p: string): void => {
      ;(o.status as Record<string, unknown>).artifact = { revision: 'main@sha1:8f3c2e1d0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e', url: `http://source-controller.flux-system.svc.cluster.local.${p}`, digest: sha256(gz) }
    }
    const i = objects.findIndex((o) => o.kind === 'GitRepository')
    const git = structuredClone(objects[i]) as Record<string, unknown>
    withArtifact(git, bad, path)
    objects[i] = git as Obj
    const { server, url } = await fake(objects)
    server.serveProxy('flux-system', 'source-controller', { [path]: bad, [path.replace('a.tar', 'b.tar')]: good })
    const s = await serve(['--kubeconfig', server.kubeconfig(url, 'kind-dev')])
    await ready(s)
    await until('the markers traced', async () => ((await scrape(s)).includes('code="FIA302"') ? true : undefined))
    const proxied = (): number => server.log.filter((r) => r.path.includes('/proxy/')).length
    expect(proxied()).toBe(1)
    expect(sample(await scrape(s), 'flux_imgauto_check_status', { cluster: 'kind-dev', check: 'markers', status: 'failed' })).toBe(1)

    replace(server, objects, 'GitRepository', 'flux-system', (o) => withArtifact(o, good, path.replace('a.tar', 'b.tar')))
    const m = await until('the new artifact traced', async () => {
      const text = await scrape(s)
      return sample(text, 'flux_imgauto_check_status', { check: 'markers', status: 'passed' }) === 1 ? text : undefined
    })
    expect(m).not.toContain('code="FIA302"')
    expect(proxied()).toBe(2)

    // Bytes that are not the artifact recorded: an error, and nothing traced from them.
    replace(server, objects, 'GitRepository', 'flux-system', (o) => withArtifact(o, good, path))
    await until('ERR_ARTIFACT in the report', async () => {
      const envelope = (await (await fetch(`${s.url}/report`)).json()) as { errors: { code: string }[] }
      return envelope.errors.some((e) => e.code === 'ERR_ARTIFACT') ? true : undefined
    })
    expect(s.logs().some((l) => l.msg === 'artifact read failed' && l.code === 'ERR_ARTIFACT')).toBe(true)
  })

  it('shows the three-way view: the tag picked, the tag running, and whether an update is pending', async () => {
    const podinfo = (image: string) => ({ spec: { template: { spec: { containers: [{ name: 'app', image }, { name: 'sidecar', image: 'busybox:1.36' }] } } } })
    const objects: Obj[] = [
      ...scenario('healthy'),
      { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageRepository', metadata: { name: 'nginx', namespace: 'flux-system' }, spec: { image: 'nginx', interval: '5m' } } as Obj,
      { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', metadata: { name: 'nginx', namespace: 'flux-system' }, spec: { imageRepositoryRef: { name: 'nginx' }, policy: { semver: { range: '1.x' } } }, status: { latestRef: { name: 'nginx', tag: '1.27.1' } } } as Obj,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'podinfo', namespace: 'flux-system' }, ...podinfo('ghcr.io/stefanprodan/podinfo:6.7.0') } as Obj,
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'podinfo-db', namespace: 'flux-system' }, ...podinfo('ghcr.io/stefanprodan/podinfo:6.7.1') } as Obj,
      // docker.io/library/nginx and the policy's "nginx" are one repository, as go-containerregistry names them.
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'edge', namespace: 'flux-system' }, spec: { template: { spec: { initContainers: [{ name: 'init', image: 'docker.io/library/nginx:1.27.0' }], containers: [{ name: 'web', image: 'index.docker.io/library/nginx:1.27.1' }] } } } } as Obj,
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'flux-system' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', image: 'ghcr.io/stefanprodan/podinfo:6.7.0' }] } } } } } } as Obj,
    ]
    const { server, url } = await fake(objects)
    const s = await serve(['--kubeconfig', server.kubeconfig(url, 'kind-dev'), '--no-artifacts'])
    await ready(s)
    let m = await scrape(s)
    const w = (kind: string, name: string, container: string, policy: string) => ({ cluster: 'kind-dev', exported_namespace: 'flux-system', kind, name, container, policy_namespace: 'flux-system', policy })
    expect(sample(m, 'flux_imgauto_workload_image_info', { ...w('Deployment', 'podinfo', 'app', 'podinfo'), image: 'ghcr.io/stefanprodan/podinfo', running_tag: '6.7.0', picked_tag: '6.7.1' })).toBe(1)
    expect(sample(m, 'flux_imgauto_workload_update_pending', w('Deployment', 'podinfo', 'app', 'podinfo'))).toBe(1)
    expect(sample(m, 'flux_imgauto_workload_update_pending_seconds', w('Deployment', 'podinfo', 'app', 'podinfo'))).toBeGreaterThanOrEqual(0)
    expect(sample(m, 'flux_imgauto_workload_update_pending', w('StatefulSet', 'podinfo-db', 'app', 'podinfo'))).toBe(0)
    expect(sample(m, 'flux_imgauto_workload_update_pending_seconds', w('StatefulSet', 'podinfo-db', 'app', 'podinfo'))).toBe(0)
    expect(sample(m, 'flux_imgauto_workload_image_info', { ...w('DaemonSet', 'edge', 'init', 'nginx'), image: 'index.docker.io/library/nginx', running_tag: '1.27.0', picked_tag: '1.27.1' })).toBe(1)
    expect(sample(m, 'flux_imgauto_workload_update_pending', w('DaemonSet', 'edge', 'web', 'nginx'))).toBe(0)
    expect(sample(m, 'flux_imgauto_workload_update_pending', w('CronJob', 'report', 'job', 'podinfo'))).toBe(1)
    // Containers no policy tracks have no series; nor does the controllers' image.
    expect(m).not.toContain('container="sidecar"')
    expect(m).not.toMatch(/flux_imgauto_workload_image_info\{[^}]*name="image-reflector-controller"/)
    expect(sample(m, 'flux_imgauto_source_watching', { cluster: 'kind-dev', kind: 'workloads/CronJob' })).toBe(1)

    // The rollout lands: nothing pending any more.
    replace(server, objects, 'Deployment', 'podinfo', (o) => Object.assign(o, podinfo('ghcr.io/stefanprodan/podinfo:6.7.1')))
    m = await until('the rollout in /metrics', async () => {
      const text = await scrape(s)
      return sample(text, 'flux_imgauto_workload_update_pending', w('Deployment', 'podinfo', 'app', 'podinfo')) === 0 ? text : undefined
    })
    expect(sample(m, 'flux_imgauto_workload_image_info', { ...w('Deployment', 'podinfo', 'app', 'podinfo'), running_tag: '6.7.1', picked_tag: '6.7.1' })).toBe(1)
    expect(sample(m, 'flux_imgauto_workload_update_pending_seconds', w('Deployment', 'podinfo', 'app', 'podinfo'))).toBe(0)

    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: m, encoding: 'utf8' })
    if (!promtool.error) expect([promtool.status, promtool.stdout + promtool.stderr]).toEqual([0, ''])
  })

  it('passes promtool check metrics', async (ctx) => {
    const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' })
    if (promtool.error) ctx.skip('promtool is not installed (Debian package prometheus; test/support/install-deps.sh installs it)')
    const { server, url } = await fake(scenario('c1-range-matches-nothing'))
    const s = await serve(['--kubeconfig', server.kubeconfig(url)])
    await ready(s)
    const r = spawnSync('promtool', ['check', 'metrics'], { input: await scrape(s), encoding: 'utf8' })
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it('is scraped by a real Prometheus, which reads the values back through its HTTP API', { timeout: 90000 }, async (ctx) => {
    if (spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).error) ctx.skip('prometheus is not installed (Debian package prometheus; test/support/install-deps.sh installs it)')
    const { server, url } = await fake(scenario('c1-range-matches-nothing'))
    const s = await serve(['--kubeconfig', server.kubeconfig(url, 'kind-dev'), '--no-artifacts'])
    await ready(s)
    const free = createServer()
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve))
    const port = (free.address() as AddressInfo).port
    await new Promise((resolve) => free.close(resolve))
    const dir = mkdtempSync(join(tmpdir(), 'fia-prom-'))
    writeFileSync(join(dir, 'prometheus.yml'), `global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: flux-imgauto\n    static_configs: [{targets: ['${new URL(s.url).host}']}]\n`)
    const prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' })
    const promExited = new Promise((resolve) => prom.on('exit', resolve))
    cleanup.push(async () => {
      prom.kill('SIGTERM')
      await promExited
      rmSync(dir, { recursive: true, force: true })
    })
    const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[] | undefined> => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`)
        const body = (await r.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } }
        return body.status === 'success' && body.data.result.length > 0 ? body.data.result : undefined
      } catch {
        return undefined // not listening yet
      }
    }
    const up = await until('Prometheus to scrape serve', () => query('up{job="flux-imgauto"} == 1'), 60000)
    expect(up[0]?.value[1]).toBe('1')
    const findings = await until('the findings series', () => query('flux_imgauto_findings{code="FIA420"}'), 30000)
    expect(findings.map((r) => [r.metric.cluster, r.metric.kind, r.metric.exported_namespace, r.metric.name, r.value[1]])).toEqual([['kind-dev', 'ImagePolicy', 'flux-system', 'podinfo', '1']])
    // exported_namespace keeps the object's namespace apart from the target labels Prometheus adds.
    expect(findings[0]?.metric.instance).toBe(new URL(s.url).host)
    const status = await until('the check status', () => query('flux_imgauto_check_status{check="policies-select",status="failed"}'), 30000)
    expect(status[0]?.value[1]).toBe('1')
  })
})
