// A small Kubernetes API server for tests: serves objects from a fixture scenario (plain
// YAML in fixtures/cluster/), answers GETs for single objects and lists, can refuse
// (status codes, or no answer at all) per path, and logs every request it sees.

import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'

interface KubeObject {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string }
}

export interface Fault {
  /** Matched against the request path. */
  path: RegExp
  status?: number
  /** Never answer (the client must time out). */
  hang?: boolean
}

export interface RequestLogEntry {
  method: string
  path: string
}

const PLURALS: Record<string, string> = {
  Secret: 'secrets',
  Event: 'events',
  CustomResourceDefinition: 'customresourcedefinitions',
  Deployment: 'deployments',
  GitRepository: 'gitrepositories',
  Kustomization: 'kustomizations',
  HelmRelease: 'helmreleases',
  ImagePolicy: 'imagepolicies',
  ImageRepository: 'imagerepositories',
  ImageUpdateAutomation: 'imageupdateautomations',
}

export class FakeApiServer {
  readonly log: RequestLogEntry[] = []
  faults: Fault[] = []
  private server?: Server
  private objects: KubeObject[] = []

  static fromObjects(objects: object[]): FakeApiServer {
    const s = new FakeApiServer()
    s.objects = objects as KubeObject[]
    return s
  }

  static fromScenario(file: string, extra: object[] = []): FakeApiServer {
    const s = new FakeApiServer()
    s.objects = [...parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject).filter(Boolean), ...(extra as KubeObject[])]
    return s
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }

  /**
   * A kubeconfig file pointing at this server, in a fresh temp dir. The server speaks plain
   * HTTP, which client-node accepts only with insecure-skip-tls-verify.
   */
  kubeconfig(url: string, context = 'fake'): string {
    const dir = mkdtempSync(join(tmpdir(), 'fia-kube-'))
    const path = join(dir, 'config')
    writeFileSync(
      path,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: ${context}\n  context:\n    cluster: fake\n    user: fake\ncurrent-context: ${context}\nusers:\n- name: fake\n  user:\n    token: fake-token\n`,
    )
    return path
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] as string
    this.log.push({ method: req.method ?? '', path })
    const fault = this.faults.find((f) => f.path.test(path))
    if (fault?.hang) return
    if (fault?.status) return this.status(res, fault.status, `injected fault ${fault.status}`)
    if (req.method !== 'GET') return this.status(res, 405, 'method not allowed')
    // /apis/<group>/<version>/… for custom resources, /api/v1/… for the core group.
    const m = /^\/(?:apis\/([^/]+)|api)\/([^/]+)\/(?:namespaces\/([^/]+)\/)?([^/]+)(?:\/([^/]+))?$/.exec(path)
    if (!m) return this.status(res, 404, 'the server could not find the requested resource')
    const [, group, version, namespace, plural, name] = m
    const apiVersion = group ? `${group}/${version}` : version
    // When the scenario lists CRDs, a custom resource without one is not served (as on a
    // cluster where the image controllers were never installed).
    const crds = this.objects.filter((o) => o.kind === 'CustomResourceDefinition') as (KubeObject & { spec?: { versions?: { name: string; served?: boolean }[] } })[]
    if (group && group.endsWith('.fluxcd.io') && crds.length > 0 && !crds.some((c) => c.metadata.name === `${plural}.${group}`)) {
      return this.status(res, 404, 'the server could not find the requested resource')
    }
    // A CRD serves its objects at each of its served versions (as with conversion strategy
    // None: only apiVersion changes), and at no other.
    const crd = crds.find((c) => c.metadata.name === `${plural}.${group}`)
    const served = crd?.spec?.versions?.filter((v) => v.served !== false).map((v) => v.name)
    if (served && version !== undefined && !served.includes(version)) return this.status(res, 404, 'the server could not find the requested resource')
    const sameApi = (o: KubeObject): boolean => (served ? o.apiVersion.split('/')[0] === group : o.apiVersion === apiVersion)
    const matching = this.objects
      .filter((o) => sameApi(o) && PLURALS[o.kind] === plural && (namespace === undefined || o.metadata.namespace === namespace))
      .map((o) => (served ? { ...o, apiVersion } : o))
    if (name === undefined) {
      return this.json(res, 200, { apiVersion, kind: 'List', metadata: {}, items: matching })
    }
    const obj = matching.find((o) => o.metadata.name === name)
    if (!obj) return this.status(res, 404, `${plural}.${group} "${name}" not found`)
    this.json(res, 200, obj)
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  private status(res: ServerResponse, code: number, message: string): void {
    this.json(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code })
  }
}
