// A real OCI registry for tests: Debian's docker-registry (CNCF distribution 2.8), started on
// 127.0.0.1 with a config of our own (filesystem storage in a temp dir), anonymous, with
// htpasswd basic auth, or with TLS from a CA made here. Tags are pushed through the HTTP API
// (blob upload + manifest PUT), no docker needed. stop() ends the process.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { createServer } from 'node:net'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './tree.js'

export interface RegistryInstance {
  url: string
  host: string
  ca?: string
  caFile?: string
  stop(): Promise<void>
  push(repository: string, tags: string[]): Promise<string>
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/**
 * A CA made with openssl in `dir`, and a server certificate it signed for 127.0.0.1 and
 * localhost (the registry's TLS mode, and the fake API server's when it speaks HTTPS).
 */
export function makeCa(dir: string): { caFile: string; certFile: string; keyFile: string } {
  const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=flux-imgauto test CA', '-keyout', 'ca.key', '-out', 'ca.crt')
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr')
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.crt')
  return { caFile: join(dir, 'ca.crt'), certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') }
}

export async function startRegistry(opts: { user?: string; password?: string; tls?: boolean } = {}): Promise<RegistryInstance> {
  const dir = tempDir('fia-registry-')
  const port = await freePort()
  let config = `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n`
  let tls: ReturnType<typeof makeCa> | undefined
  if (opts.tls) {
    tls = makeCa(dir)
    config += `  tls:\n    certificate: ${tls.certFile}\n    key: ${tls.keyFile}\n`
  }
  if (opts.user) {
    const htpasswd = execFileSync('htpasswd', ['-Bbn', opts.user, opts.password ?? ''], { encoding: 'utf8' })
    writeFileSync(join(dir, 'htpasswd'), htpasswd)
    config += `auth:\n  htpasswd:\n    realm: flux-imgauto-test\n    path: ${join(dir, 'htpasswd')}\n`
  }
  writeFileSync(join(dir, 'config.yml'), config)
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' })
  const scheme = opts.tls ? 'https' : 'http'
  const host = `127.0.0.1:${port}`
  const ca = tls ? execFileSync('cat', [tls.caFile], { encoding: 'utf8' }) : undefined
  const auth = opts.user ? `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}` : undefined
  const call = (method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> =>
    new Promise((resolve, reject) => {
      const req = (opts.tls ? httpsRequest : httpRequest)(`${scheme}://${host}${path}`, { method, headers: { ...(auth ? { authorization: auth } : {}), ...headers }, ...(ca ? { ca } : {}) }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
      })
      req.on('error', reject)
      req.end(body)
    })
  // Ready when /v2/ answers.
  for (let i = 0; ; i++) {
    try {
      await call('GET', '/v2/')
      break
    } catch (e) {
      if (i > 100) throw e
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  const uploadBlob = async (repository: string, data: Buffer): Promise<string> => {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`
    const start = await call('POST', `/v2/${repository}/blobs/uploads/`)
    const location = new URL(String(start.headers.location), `${scheme}://${host}`)
    location.searchParams.set('digest', digest)
    const put = await call('PUT', `${location.pathname}${location.search}`, data, { 'content-type': 'application/octet-stream' })
    if (put.status !== 201) throw new Error(`blob upload: ${put.status}`)
    return digest
  }
  return {
    url: `${scheme}://${host}`,
    host,
    ...(ca ? { ca } : {}),
    ...(tls ? { caFile: tls.caFile } : {}),
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    },
    async push(repository, tags) {
      const configBlob = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }))
      const layer = Buffer.from(`layer of ${repository}`)
      const configDigest = await uploadBlob(repository, configBlob)
      const layerDigest = await uploadBlob(repository, layer)
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: configBlob.length, digest: configDigest },
          layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: layerDigest }],
        }),
      )
      for (const tag of tags) {
        const r = await call('PUT', `/v2/${repository}/manifests/${tag}`, manifest, { 'content-type': 'application/vnd.docker.distribution.manifest.v2+json' })
        if (r.status !== 201) throw new Error(`manifest put ${tag}: ${r.status}`)
      }
      return `sha256:${createHash('sha256').update(manifest).digest('hex')}`
    },
  }
}

/** The password of the basic-auth registry: tests assert it never appears in any output. */
export const SENTINEL = 'sentinel-Pa55w0rd-0f-flux-imgauto'

export interface RegistrySet {
  anonymous: RegistryInstance
  /** htpasswd basic auth, user "ci", password SENTINEL. */
  basic: RegistryInstance
  /** TLS with a CA made for the test. */
  tls: RegistryInstance
  /** The digest of the first tag pushed (all three hold the same image). */
  digest: string
  stop(): Promise<void>
}

/** The three registries the registry tests use, each holding team/app with these tags. */
export async function startRegistrySet(tags: string[]): Promise<RegistrySet> {
  const [anonymous, basic, tls] = await Promise.all([startRegistry(), startRegistry({ user: 'ci', password: SENTINEL }), startRegistry({ tls: true })])
  const [digest] = await Promise.all([anonymous.push('team/app', tags), basic.push('team/app', tags), tls.push('team/app', tags)])
  return { anonymous, basic, tls, digest, stop: async () => void (await Promise.all([anonymous.stop(), basic.stop(), tls.stop()])) }
}
