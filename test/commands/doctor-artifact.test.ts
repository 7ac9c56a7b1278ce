// doctor --artifact: markers traced in the GitRepository's artifact, read through the API
// server's service proxy from the fake API server, its digest checked, its tarball unpacked
// by a reader that refuses what source-controller never archives.

import { afterEach, describe, expect, it } from 'vitest'
import { readTar, TarError } from '../../src/core/artifact/tar.js'
import { proxyPath } from '../../src/adapters/artifact.js'
import { runCli } from '../support/cli.js'
import { FakeApiServer } from '../support/fake-apiserver.js'
import { type Obj, scenario } from '../support/scenario.js'
import { sha256, tar, type TarInput, tarGz } from '../support/tarball.js'

const NOW = '2026-11-24T10:00:00Z'
const URL_PATH = '/gitrepository/flux-system/flux-system/8f3c2e1d.tar.gz'
const ARTIFACT_URL = `http://source-controller.flux-system.svc.cluster.local.${URL_PATH}`
const LIMITS = { maxEntries: 100, maxEntryBytes: 1024 }

let server: FakeApiServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

/** The healthy cluster, its GitRepository's artifact set to `artifact` (undefined: none). */
function cluster(artifact: Record<string, unknown> | undefined, change: (objects: Obj[]) => void = () => {}): Obj[] {
  const objects = scenario('healthy').map((o) => {
    if (o.kind !== 'GitRepository') return o
    const copy = structuredClone(o) as Obj & { status: Record<string, unknown> }
    if (artifact === undefined) delete copy.status.artifact
    else copy.status.artifact = { ...(copy.status.artifact as object), ...artifact }
    return copy
  })
  change(objects)
  return objects
}

async function doctor(objects: Obj[], gz: Buffer | undefined, ...args: string[]) {
  return doctorIn({}, objects, gz, ...args)
}

async function doctorIn(env: Record<string, string>, objects: Obj[], gz: Buffer | undefined, ...args: string[]) {
  server = FakeApiServer.fromObjects(objects)
  if (gz) server.serveProxy('flux-system', 'source-controller', { [URL_PATH]: gz })
  const kubeconfig = server.kubeconfig(await server.start())
  const r = await runCli(['doctor', '--kubeconfig', kubeconfig, '--now', NOW, '--no-flux', '--json', '--artifact', ...args], { env })
  return { ...r, report: JSON.parse(r.stdout) as { status: string; errors: { code: string; message: string }[]; result: { checks: { id: string; status: string; reason?: string; findings: { code: string; message: string; location?: unknown }[] }[] } } }
}

const markers = (r: Awaited<ReturnType<typeof doctor>>) => r.report.result.checks.find((c) => c.id === 'markers')

const TREE: TarInput[] = [
  { name: '.', type: '5' },
  { name: 'clusters/', type: '5' },
  { name: 'clusters/prod/', type: '5' },
  { name: 'clusters/prod/app.yaml', data: 'image: ghcr.io/stefanprodan/podinfo:6.7.0 # {"$imagepolicy": "apps:podinfo"}\n' },
  { name: 'clusters/staging/app.yaml', data: 'image: ghcr.io/stefanprodan/podinfo:6.7.0 # {"$imagepolicy": "flux-system:nope"}\n' },
]

describe('doctor --artifact', () => {
  it('traces the markers in the artifact through the service proxy, with no checkout', async () => {
    const gz = tarGz(TREE)
    const r = await doctor(cluster({ url: ARTIFACT_URL, digest: sha256(gz) }), gz, '--fail-on', 'warning')
    expect(r.report.errors).toEqual([])
    expect(markers(r)).toMatchObject({ status: 'failed' })
    // update.path (./clusters/prod) is traced, as Flux would; the marker outside it is a near miss.
    expect(markers(r)?.findings.map((f) => [f.code, f.location])).toEqual([
      ['FIA320', { file: '../staging/app.yaml', line: 1, column: 43 }],
      ['FIA302', { file: 'app.yaml', line: 1, column: 8 }],
    ])
    expect(server?.log.some((l) => l.path === `/api/v1/namespaces/flux-system/services/http:source-controller:80/proxy${URL_PATH}`)).toBe(true)
    expect(r.code).toBe(1)
  })

  it('reads status.artifact.checksum (source-controller v1beta2) when there is no digest', async () => {
    const gz = tarGz(TREE)
    const r = await doctor(cluster({ url: ARTIFACT_URL, checksum: sha256(gz).slice('sha256:'.length) }), gz)
    expect(r.report.errors).toEqual([])
    expect(markers(r)?.findings.map((f) => f.code)).toEqual(['FIA320', 'FIA302'])
  })

  it('refuses an artifact whose bytes do not match status.artifact.digest', async () => {
    const gz = tarGz(TREE)
    const other = sha256(Buffer.from('something else'))
    const r = await doctor(cluster({ url: ARTIFACT_URL, digest: other }), gz)
    expect(r.report.errors).toEqual([{ code: 'ERR_ARTIFACT', message: `artifact of GitRepository flux-system/flux-system: the bytes served have digest ${sha256(gz)}, not ${other} as status.artifact says; not traced`, suggestion: expect.any(String) }])
    expect(markers(r)).toMatchObject({ status: 'passed', findings: [] })
    expect(r.report.status).toBe('incomplete')
    expect(r.code).toBe(3)
  })

  it('reports an automation whose GitRepository has no artifact (FIA470)', async () => {
    const r = await doctor(cluster(undefined), undefined)
    expect(markers(r)?.findings.map((f) => [f.code, f.message])).toEqual([['FIA470', 'The markers of ImageUpdateAutomation flux-system/flux-system were not traced: GitRepository flux-system/flux-system has no status.artifact (source-controller has not fetched it).']])
    expect(r.report.errors).toEqual([])
  })

  it('says so when the automation checks out another ref than the GitRepository (FIA471)', async () => {
    const gz = tarGz(TREE)
    const objects = cluster({ url: ARTIFACT_URL, digest: sha256(gz) }, (os) => {
      const a = os.find((o) => o.kind === 'ImageUpdateAutomation') as Obj & { spec: { git: { checkout: { ref: object } } } }
      a.spec.git.checkout.ref = { branch: 'release' }
    })
    const r = await doctor(objects, gz)
    expect(markers(r)?.findings.map((f) => f.code).sort()).toEqual(['FIA302', 'FIA320', 'FIA471'])
  })

  it('reports an artifact source-controller no longer serves (HTTP 404) as ERR_ARTIFACT', async () => {
    const r = await doctor(cluster({ url: ARTIFACT_URL.replace('8f3c', 'dead'), digest: sha256(Buffer.from('x')) }), tarGz(TREE))
    expect(r.report.errors.map((e) => e.code)).toEqual(['ERR_ARTIFACT'])
    expect(r.report.errors[0]?.message).toMatch(/HTTP 404 \(source-controller no longer has it/)
    expect(r.code).toBe(3)
  })

  it.each([
    ['a ".." entry', { name: 'clusters/prod/../../../escape.yaml', data: 'x: 1\n' }, 'entry "clusters/prod/../../../escape.yaml" leads out of the archive ("..")'],
    ['an absolute entry', { name: '/etc/escape.yaml', data: 'x: 1\n' }, 'entry "/etc/escape.yaml" has an absolute path'],
    ['a symlink', { name: 'clusters/prod/link.yaml', type: '2', linkname: '/etc/passwd' }, 'entry "clusters/prod/link.yaml" is a symbolic link; source-controller archives hold regular files and directories only'],
    ['a hard link', { name: 'clusters/prod/hard.yaml', type: '1', linkname: 'clusters/prod/app.yaml' }, 'entry "clusters/prod/hard.yaml" is a hard link; source-controller archives hold regular files and directories only'],
  ] as [string, TarInput, string][])('refuses an artifact with %s, and traces nothing of it', async (_what, entry, message) => {
    const gz = tarGz([...TREE, entry])
    const r = await doctor(cluster({ url: ARTIFACT_URL, digest: sha256(gz) }), gz)
    expect(r.report.errors.map((e) => [e.code, e.message])).toEqual([['ERR_ARTIFACT', `artifact of GitRepository flux-system/flux-system: ${message}; not traced`]])
    expect(markers(r)?.findings).toEqual([])
  })

  it('reports a temp dir it cannot make (a read-only root without /tmp) as ERR_ARTIFACT, not a crash', async () => {
    const gz = tarGz(TREE)
    const r = await doctorIn({ TMPDIR: '/nonexistent/tmp' }, cluster({ url: ARTIFACT_URL, digest: sha256(gz) }), gz)
    expect(r.report.errors.map((e) => [e.code, e.message])).toEqual([['ERR_ARTIFACT', 'artifact of GitRepository flux-system/flux-system: cannot make a temp dir in /nonexistent/tmp (ENOENT); not traced']])
    expect(r.code).toBe(3)
  })

  it('is refused beside --repo or --snapshot', async () => {
    for (const args of [['--repo', '.'], ['--snapshot', 'x.yaml']]) {
      const r = await runCli(['doctor', '--artifact', ...args])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/^error ERR_USAGE: .*cannot also be provided when using --artifact|^error ERR_USAGE: .*--artifact/)
    }
  })
})

describe('the tar reader', () => {
  it('reads what Go writes: directories, files, and a PAX path longer than 100 bytes', () => {
    const long = `clusters/${'d'.repeat(120)}/app.yaml`
    const entries = readTar(tar([{ name: './', type: '5' }, { name: 'a/b.yaml', data: 'k: v\n' }, { name: long, data: 'x\n' }]), LIMITS)
    expect(entries.map((e) => [e.path, e.type, Buffer.from(e.data).toString()])).toEqual([
      ['a/b.yaml', 'file', 'k: v\n'],
      [long, 'file', 'x\n'],
    ])
  })

  it('refuses an entry over the size limit, a truncated archive and a bad checksum', () => {
    expect(() => readTar(tar([{ name: 'big.yaml', data: 'x'.repeat(2000) }]), LIMITS)).toThrow(new TarError('entry "big.yaml" is 2000 bytes, more than the limit of 1024'))
    const whole = tar([{ name: 'a.yaml', data: 'k: v\n' }])
    expect(() => readTar(whole.subarray(0, 1024), LIMITS)).toThrow(/truncated/)
    const bad = Buffer.from(whole)
    bad[0] = 'b'.charCodeAt(0)
    expect(() => readTar(bad, LIMITS)).toThrow(/bad checksum/)
  })

  it('names the proxy path from the artifact URL', () => {
    expect(proxyPath(ARTIFACT_URL, 'flux-system')).toBe(`/api/v1/namespaces/flux-system/services/http:source-controller:80/proxy${URL_PATH}`)
    expect(proxyPath('http://sc.other:9090/x/y.tar.gz', 'flux-system')).toBe('/api/v1/namespaces/other/services/http:sc:9090/proxy/x/y.tar.gz')
  })
})
