// The in-cluster path, run for real: the built CLI in a private mount namespace (unshare -m)
// where /var/run/secrets/kubernetes.io/serviceaccount holds a test token, ca.crt and namespace,
// KUBERNETES_SERVICE_HOST/PORT name the fake API server (HTTPS, its certificate signed by that
// ca.crt), HOME is empty and KUBECONFIG unset. client-node then loads its in-cluster config, and
// `doctor --artifact` and `serve` must read status.artifact.url itself (a second loopback server)
// with no credential sent to it, while every API request carries the service account's token.
//
// Mounting needs root (CAP_SYS_ADMIN) in a mount namespace: where that is refused the tests are
// skipped, saying why. Nothing is mounted or created outside the child's own namespace.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ROOT } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { makeCa } from '../support/registry.js'
import { type Obj, scenario } from '../support/scenario.js'
import { sha256, type TarInput, tarGz } from '../support/tarball.js'
import { tempDir } from '../support/tree.js'
import { until } from '../support/until.js'

const BIN = join(ROOT, 'bin/run.js')
const SA = '/var/run/secrets/kubernetes.io/serviceaccount'
const TOKEN = 'fia-test-serviceaccount-token-4c1d9e'
const NOW = '2026-11-24T10:00:00Z'
const ARTIFACT_PATH = '/gitrepository/flux-system/flux-system/8f3c2e1d.tar.gz'

// In the child's own mount namespace: a tmpfs over the service account dir (or, where it does
// not exist, over the directory /var/run leads to, so that nothing is created on the host),
// the test's files copied in; with FIA_PASSWD_KUBECONFIG, a tmpfs over the user's passwd home
// holding it as .kube/config; then the command.
const SETUP = `set -eu
if [ -d ${SA} ]; then target=${SA}; else target="$(realpath /var/run)"; fi
mount -t tmpfs -o mode=0755,size=1m fia-serviceaccount "$target"
if [ -n "$FIA_SA_FILES" ]; then mkdir -p ${SA} && cp "$FIA_SA_FILES"/token "$FIA_SA_FILES"/ca.crt "$FIA_SA_FILES"/namespace ${SA}/; fi
if [ -n "\${FIA_PASSWD_KUBECONFIG:-}" ]; then
  home="$(getent passwd "$(id -u)" | cut -d: -f6)"
  mount -t tmpfs -o mode=0700,size=1m fia-home "$home" && mkdir "$home/.kube" && cp "$FIA_PASSWD_KUBECONFIG" "$home/.kube/config"
fi
unset FIA_SA_FILES FIA_PASSWD_KUBECONFIG
exec "$@"`

const probe = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs fia-probe "$(realpath /var/run)"'], { encoding: 'utf8' })
const cannotMount = probe.error ? `unshare cannot run (${probe.error.message})` : probe.status !== 0 ? `unshare -m and mount are not permitted here (${probe.stderr.trim()})` : undefined
if (cannotMount) console.warn(`in-cluster tests skipped: ${cannotMount}`)

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

const TREE: TarInput[] = [
  { name: 'clusters/prod/app.yaml', data: 'image: ghcr.io/stefanprodan/podinfo:6.7.0 # {"$imagepolicy": "apps:podinfo"}\n' },
  { name: 'clusters/staging/app.yaml', data: 'image: ghcr.io/stefanprodan/podinfo:6.7.0 # {"$imagepolicy": "flux-system:nope"}\n' },
]

interface ArtifactRequest {
  url: string
  rawHeaders: string[]
}

/** source-controller's artifact server: the gzip'd tarball at ARTIFACT_PATH, every request kept. */
async function artifactServer(gz: Buffer): Promise<{ url: string; requests: ArtifactRequest[] }> {
  const requests: ArtifactRequest[] = []
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', rawHeaders: req.rawHeaders })
    if (req.url !== ARTIFACT_PATH) return void res.writeHead(404).end('404 page not found\n')
    res.writeHead(200, { 'content-type': 'application/x-gzip', 'content-length': gz.length }).end(gz)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${ARTIFACT_PATH}`, requests }
}

/** The healthy cluster, its GitRepository's artifact at `url` with `digest`. */
function cluster(url: string, digest: string): Obj[] {
  return scenario('healthy').map((o) => {
    if (o.kind !== 'GitRepository') return o
    const copy = structuredClone(o) as Obj & { status: Record<string, unknown> }
    copy.status.artifact = { ...(copy.status.artifact as object), url, digest }
    return copy
  })
}

interface InCluster {
  api: FakeApiServer
  /** The environment and files of a pod whose service account is TOKEN. */
  env: Record<string, string>
}

/** The fake API server over HTTPS, and the service account files that trust it. */
async function inCluster(objects: Obj[], opts: { files?: boolean } = {}): Promise<InCluster> {
  const dir = (prefix: string): string => {
    const d = tempDir(prefix)
    cleanup.push(() => rmSync(d, { recursive: true, force: true }))
    return d
  }
  const certs = dir('fia-incluster-tls-')
  const { caFile, certFile, keyFile } = makeCa(certs)
  const api = FakeApiServer.fromObjects(objects)
  const url = new URL(await api.start(0, { key: readFileSync(keyFile), cert: readFileSync(certFile) }))
  cleanup.push(() => api.stop())
  const files = dir('fia-serviceaccount-')
  writeFileSync(join(files, 'token'), TOKEN)
  writeFileSync(join(files, 'ca.crt'), readFileSync(caFile))
  writeFileSync(join(files, 'namespace'), 'flux-system')
  const home = dir('fia-empty-home-')
  return {
    api,
    env: { PATH: process.env.PATH ?? '', HOME: home, KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port, FIA_SA_FILES: opts.files === false ? '' : files },
  }
}

/** The built CLI in its own mount namespace, with the service account mounted where a pod has it. */
function spawnInCluster(env: Record<string, string>, args: string[]): ChildProcess {
  return spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', SETUP, 'setup', process.execPath, BIN, ...args], { cwd: ROOT, env })
}

function runInCluster(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnInCluster(env, args)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

interface Report {
  status: string
  errors: { code: string; message: string }[]
  result: { scope: { source: string }; checks: { id: string; status: string; findings: { code: string; location?: unknown }[] }[] }
}

async function doctor(env: Record<string, string>): Promise<{ code: number; stderr: string; report: Report }> {
  const r = await runInCluster(env, ['doctor', '--now', NOW, '--no-flux', '--json', '--artifact'])
  let report: Report
  try {
    report = JSON.parse(r.stdout) as Report
  } catch {
    throw new Error(`doctor gave no report (exit ${r.code}): ${r.stderr}`)
  }
  return { code: r.code, stderr: r.stderr, report }
}

const markers = (report: Report) => report.result.checks.find((c) => c.id === 'markers')

/** Nothing of the service account reached the artifact server: no Authorization, no token. */
function expectNoCredential(requests: ArtifactRequest[]): void {
  for (const r of requests) {
    const headers = r.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase())
    expect(headers).not.toContain('authorization')
    expect(headers).not.toContain('proxy-authorization')
    expect(headers).not.toContain('cookie')
    expect(`${r.url}\n${r.rawHeaders.join('\n')}`).not.toContain(TOKEN)
  }
}

/** Every request to the API server carried the token, and none went through a service proxy. */
function expectApiServerAuthenticated(api: FakeApiServer): void {
  expect(api.log.length).toBeGreaterThan(0)
  expect(api.log.map((e) => api.authorization(e))).toEqual(api.log.map(() => `Bearer ${TOKEN}`))
  expect(api.log.filter((e) => e.path.includes('/proxy'))).toEqual([])
}

describe.skipIf(cannotMount !== undefined)('in a cluster (in-cluster config, unshare -m)', () => {
  it('doctor --artifact reads status.artifact.url itself, with no credential sent to it, and traces its markers', async () => {
    const gz = tarGz(TREE)
    const artifact = await artifactServer(gz)
    const { api, env } = await inCluster(cluster(artifact.url, sha256(gz)))
    const r = await doctor(env)
    expect(r.report.errors).toEqual([])
    expect(r.report.result.scope.source).toBe('context inClusterContext')
    // Findings that exist only if the artifact was read: its files, lines and columns.
    expect(markers(r.report)?.findings.map((f) => [f.code, f.location])).toEqual([
      ['FIA320', { file: '../staging/app.yaml', line: 1, column: 43 }],
      ['FIA302', { file: 'app.yaml', line: 1, column: 8 }],
    ])
    expect(artifact.requests.map((q) => q.url)).toEqual([ARTIFACT_PATH])
    expectNoCredential(artifact.requests)
    expectApiServerAuthenticated(api)
    expect(r.code).toBe(0)
  })

  it('doctor --artifact refuses bytes that are not status.artifact.digest (ERR_ARTIFACT) and traces nothing', async () => {
    const gz = tarGz(TREE)
    const artifact = await artifactServer(gz)
    const other = sha256(Buffer.from('another revision'))
    const { api, env } = await inCluster(cluster(artifact.url, other))
    const r = await doctor(env)
    expect(r.report.errors.map((e) => [e.code, e.message])).toEqual([['ERR_ARTIFACT', `artifact of GitRepository flux-system/flux-system: the bytes served have digest ${sha256(gz)}, not ${other} as status.artifact says; not traced`]])
    expect(markers(r.report)).toMatchObject({ status: 'passed', findings: [] })
    expect(r.report.status).toBe('incomplete')
    expect(artifact.requests.map((q) => q.url)).toEqual([ARTIFACT_PATH])
    expectNoCredential(artifact.requests)
    expectApiServerAuthenticated(api)
    expect(r.code).toBe(3)
  })

  it('serve reads the artifact from status.artifact.url, with no credential sent to it, and exports its findings', async () => {
    const gz = tarGz(TREE)
    const artifact = await artifactServer(gz)
    const { api, env } = await inCluster(cluster(artifact.url, sha256(gz)))
    const child = spawnInCluster(env, ['serve', '--listen', '127.0.0.1:0', '--poll-interval', '1', '--debounce', '50'])
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    })
    let stderr = ''
    const listening = new Promise<string>((resolve, reject) => {
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString()
        const m = /"msg":"serving"[^\n]*"url":"([^"]+)"/.exec(stderr)
        if (m) resolve(m[1] as string)
      })
      void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)))
    })
    const url = await listening
    const metrics = await until('the artifact traced', async () => {
      const text = await (await fetch(`${url}/metrics`)).text()
      return /flux_imgauto_findings\{[^}]*code="FIA302"/.test(text) ? text : undefined
    }, 15000)
    expect(metrics).toMatch(/flux_imgauto_check_status\{[^}]*cluster="inClusterContext"[^}]*check="markers"[^}]*status="failed"[^}]*\} 1/)
    const envelope = (await (await fetch(`${url}/report`)).json()) as { errors: unknown[] }
    expect(envelope.errors).toEqual([])
    expect(artifact.requests.map((q) => q.url)).toEqual([ARTIFACT_PATH])
    expectNoCredential(artifact.requests)
    expectApiServerAuthenticated(api)
    expect(stderr).not.toContain(TOKEN)
  })
})

// client-node's loadFromDefault takes the in-cluster config when no kubeconfig is found
// (KUBECONFIG unset or empty, no $HOME/.kube/config: $HOME only, never the passwd entry) and the
// token file exists, and builds the server from KUBERNETES_SERVICE_HOST and _PORT.
const HINT = "  hint: In a pod, let the service account's token be mounted (automountServiceAccountToken not false); elsewhere pass --kubeconfig or set KUBECONFIG.\n"

describe.skipIf(cannotMount !== undefined)('in-cluster config detection, as client-node decides', () => {
  it('holds with HOME unset, though the passwd home has a .kube/config (client-node reads only $HOME)', async () => {
    const gz = tarGz(TREE)
    const artifact = await artifactServer(gz)
    const { api, env } = await inCluster(cluster(artifact.url, sha256(gz)))
    const { HOME: _home, ...noHome } = env
    // A kubeconfig client-node would take over the in-cluster config, were it at $HOME.
    const kubeconfig = api.kubeconfig('https://127.0.0.1:1')
    cleanup.push(() => rmSync(dirname(kubeconfig), { recursive: true, force: true }))
    const r = await doctor({ ...noHome, FIA_PASSWD_KUBECONFIG: kubeconfig })
    expect(r.report.errors).toEqual([])
    expect(r.report.result.scope.source).toBe('context inClusterContext')
    expect(markers(r.report)?.findings.map((f) => f.code)).toEqual(['FIA320', 'FIA302'])
    expect(artifact.requests.map((q) => q.url)).toEqual([ARTIFACT_PATH])
    expectNoCredential(artifact.requests)
    expectApiServerAuthenticated(api)
  })

  it('is refused as ERR_KUBECONFIG when KUBERNETES_SERVICE_HOST is set but there is no token (client-node would try http://localhost:8080)', async () => {
    const { api, env } = await inCluster(scenario('healthy'), { files: false })
    const r = await runInCluster(env, ['doctor', '--no-flux'])
    expect(r.stderr).toBe(`error ERR_KUBECONFIG: no kubeconfig: none given with --kubeconfig, KUBECONFIG is unset and ${env.HOME}/.kube/config does not exist; nor an in-cluster config: ${SA}/token does not exist\n${HINT}`)
    expect(r.code).toBe(2)
    expect(api.log).toEqual([])
  })

  it('is refused as ERR_KUBECONFIG when KUBERNETES_SERVICE_PORT is unset beside the token', async () => {
    const { api, env } = await inCluster(scenario('healthy'))
    const { KUBERNETES_SERVICE_PORT: _port, ...noPort } = env
    const r = await runInCluster(noPort, ['doctor', '--no-flux'])
    expect(r.stderr).toBe(`error ERR_KUBECONFIG: no kubeconfig: none given with --kubeconfig, KUBECONFIG is unset and ${env.HOME}/.kube/config does not exist; nor an in-cluster config: KUBERNETES_SERVICE_PORT is unset\n${HINT}`)
    expect(r.code).toBe(2)
    expect(api.log).toEqual([])
  })
})
