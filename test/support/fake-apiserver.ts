// A Kubernetes API server for tests, faithful enough that the real kubectl and
// @kubernetes/client-node take it for one: discovery (/version, /api, /apis, resource lists),
// typed lists with resourceVersion and continue tokens, label and field selectors, the Table
// view, watch, and 404 for what is not served (a CRD's unserved version, a missing CRD). It
// serves objects from a fixture scenario, is read-only (any write is 405), can refuse
// (a status code, or no answer at all) per path, and logs every request it sees. It speaks
// plain HTTP, or HTTPS with a certificate given to start() (as the in-cluster config needs).
//
// By hand: node test/support/fake-apiserver-cli.mjs fixtures/cluster/automation.yaml

import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import {
  apiGroupList,
  apiResourceList,
  apiVersions,
  BUILTIN,
  completeCrd,
  defaultCrds,
  groupVersion,
  type KubeObject,
  type Resource,
  resourceOfCrd,
  versionInfo,
} from './fake-apiserver/resources.js'
import { parseFieldSelector, parseLabelSelector, SelectorError } from './fake-apiserver/selectors.js'
import { table } from './fake-apiserver/table.js'

export type { KubeObject } from './fake-apiserver/resources.js'

export interface Fault {
  /** Matched against the request path. */
  path: RegExp
  /** Also matched against the query string, when given (e.g. /watch=/ refuses only watches). */
  query?: RegExp
  status?: number
  /** Never answer (the client must time out). */
  hang?: boolean
  /**
   * Answer, with the JSON body changed first: an object its CRD would refuse (kind a number,
   * a string for a mapping), as an old CRD, a proxy or a webhook might still hand back.
   */
  rewrite?: (body: any) => unknown
}

export interface RequestLogEntry {
  method: string
  path: string
  /** The query string, when the request had one. */
  query?: string
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED'

interface Change {
  resourceVersion: number
  type: EventType
  object: KubeObject
  /** The object before a MODIFIED change. */
  previous?: KubeObject
}

interface Watcher {
  resource: Resource
  matches: (o: KubeObject) => boolean
  send: (type: EventType, o: KubeObject) => void
}

const NOT_SERVED = 'the server could not find the requested resource'

// metav1.StatusReason for the codes a fault may inject.
const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 410: 'Expired', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' }

const identity = (o: KubeObject): string => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`

export class FakeApiServer {
  readonly log: RequestLogEntry[] = []
  private readonly sentAuthorization = new WeakMap<RequestLogEntry, string>()
  faults: Fault[] = []
  private server?: Server
  private readonly objects = new Map<string, KubeObject>()
  private resourceVersion = 0
  /** Changes since the scenario was loaded; a watch may resume from any of them. */
  private readonly changes: Change[] = []
  private oldestWatchable = 0
  private readonly watchers = new Set<Watcher>()
  private readonly created = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  private readonly rewrites = new WeakMap<ServerResponse, (body: any) => unknown>()
  /** Files served through the service proxy, by "namespace/service" and path. */
  private readonly proxied = new Map<string, Map<string, Uint8Array>>()
  private connectionCount = 0

  /**
   * A server holding these objects. When none of them is a CustomResourceDefinition, Flux's
   * CRDs are installed (see defaultCrds); otherwise exactly the CRDs given define what is served.
   */
  constructor(objects: object[] = []) {
    const all = objects as KubeObject[]
    const crds = all.some((o) => o.kind === 'CustomResourceDefinition') ? [] : defaultCrds()
    for (const o of [...crds, ...all]) this.store(o)
    this.oldestWatchable = this.resourceVersion
  }

  static fromObjects(objects: object[]): FakeApiServer {
    return new FakeApiServer(objects)
  }

  static fromScenario(file: string, extra: object[] = []): FakeApiServer {
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject).filter(Boolean)
    return new FakeApiServer([...docs, ...extra])
  }

  /** Creates or replaces an object (matched by group, kind, namespace and name); watchers see it. */
  apply(object: object): KubeObject {
    const o = object as KubeObject
    const previous = this.objects.get(identity(o))
    const stored = this.store(o)
    this.record({ resourceVersion: this.resourceVersion, type: previous ? 'MODIFIED' : 'ADDED', object: stored, ...(previous ? { previous } : {}) })
    return stored
  }

  /** Deletes an object; watchers see it. */
  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): void {
    const key = identity({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } })
    const previous = this.objects.get(key)
    if (!previous) throw new Error(`no ${kind} ${namespace ?? ''}/${name} to delete`)
    this.objects.delete(key)
    const gone = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(++this.resourceVersion) } }
    this.record({ resourceVersion: this.resourceVersion, type: 'DELETED', object: gone })
  }

  /**
   * Serves files through the API server's service proxy, as kube-apiserver proxies to a
   * Service: GET /api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy/PATH answers the
   * file at PATH, or 404 as the service's own HTTP server would.
   */
  serveProxy(namespace: string, service: string, files: Record<string, Uint8Array>): void {
    this.proxied.set(`${namespace}/${service}`, new Map(Object.entries(files)))
  }

  /** Listens on 127.0.0.1; with `tls` (PEM key and certificate) it speaks HTTPS only. */
  async start(port = 0, tls?: { key: string | Buffer; cert: string | Buffer }): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res)
    this.server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createServer(handler)
    this.server.on('connection', () => this.connectionCount++)
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve))
    return `${tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`
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

  /** The Authorization header the request logged as `entry` carried, if it had one. */
  authorization(entry: RequestLogEntry): string | undefined {
    return this.sentAuthorization.get(entry)
  }

  /** How many TCP connections clients have opened since the start. */
  get connections(): number {
    return this.connectionCount
  }

  /** How many watches are open now (each one a client holds). */
  get openWatches(): number {
    return this.watchers.size
  }

  /** What is served: the built-in resources and one per CRD with a served version. */
  resources(): Resource[] {
    const crds = [...this.objects.values()].filter((o) => o.kind === 'CustomResourceDefinition')
    return [...BUILTIN, ...crds.map(resourceOfCrd).filter((r): r is Resource => r !== undefined)]
  }

  // Stamps the metadata kube-apiserver owns (resourceVersion, uid, creationTimestamp) and
  // keeps the namespace an object lives in, as a cluster would have it.
  private store(o: KubeObject): KubeObject {
    const key = identity(o)
    const before = this.objects.get(key)
    const uid = before?.metadata.uid ?? o.metadata.uid ?? uuid(key)
    const stored = {
      ...(o.kind === 'CustomResourceDefinition' ? completeCrd(o) : o.kind === 'Event' ? this.withInvolvedUid(o) : o),
      metadata: { ...o.metadata, uid, resourceVersion: String(++this.resourceVersion), creationTimestamp: before?.metadata.creationTimestamp ?? o.metadata.creationTimestamp ?? this.created },
    } as KubeObject
    this.objects.set(key, stored)
    const ns = o.metadata.namespace
    if (ns !== undefined && !this.objects.has(`/Namespace//${ns}`)) this.store({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } })
    return stored
  }

  // An Event names its object's uid, which kubectl describe selects events by; scenario files
  // leave it out, so it is the uid this server gives that object.
  private withInvolvedUid(event: KubeObject): KubeObject {
    const ref = event.involvedObject as { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string } | undefined
    if (!ref?.kind || !ref.name || ref.uid) return event
    const key = identity({ apiVersion: ref.apiVersion ?? 'v1', kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } })
    return { ...event, involvedObject: { ...ref, uid: this.objects.get(key)?.metadata.uid ?? uuid(key) } }
  }

  private record(change: Change): void {
    this.changes.push(change)
    for (const w of this.watchers) {
      const was = change.previous !== undefined && w.matches(change.previous)
      const is = w.matches(change.object)
      // A watch with a selector sees an object enter and leave it, as kube-apiserver's
      // cacher turns a MODIFIED across the selector's edge into ADDED or DELETED.
      if (change.type === 'MODIFIED' && was !== is) w.send(is ? 'ADDED' : 'DELETED', change.object)
      else if (is) w.send(change.type, change.object)
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake')
    const path = url.pathname
    const entry: RequestLogEntry = { method: req.method ?? '', path, ...(url.search ? { query: url.search.slice(1) } : {}) }
    this.log.push(entry)
    if (req.headers.authorization !== undefined) this.sentAuthorization.set(entry, req.headers.authorization)
    const query = (req.url ?? '').split('?')[1] ?? ''
    const fault = this.faults.find((f) => f.path.test(path) && (f.query === undefined || f.query.test(query)))
    if (fault?.hang) return
    if (fault?.rewrite) this.rewrites.set(res, fault.rewrite)
    if (fault?.status) return this.status(res, fault.status, REASONS[fault.status] ?? 'InternalError', `injected fault ${fault.status}`)
    if (req.method !== 'GET') return this.status(res, 405, 'MethodNotAllowed', `the fake API server is read-only: ${req.method} is not allowed`)
    const proxy = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/.exec(path)
    if (proxy) return this.proxy(res, proxy[1] as string, proxy[2] as string, proxy[3] ?? '/')
    const segments = path.split('/').filter(Boolean)
    if (path === '/version') return this.json(res, 200, versionInfo())
    if (path === '/api') return this.json(res, 200, apiVersions(req.headers.host ?? ''))
    if (path === '/apis') return this.json(res, 200, apiGroupList(this.resources()))
    let group: string
    let rest: string[]
    if (segments[0] === 'api' && segments[1] === 'v1') {
      group = ''
      rest = segments.slice(2)
    } else if (segments[0] === 'apis' && segments.length >= 3) {
      group = segments[1] as string
      rest = segments.slice(3)
    } else if (segments[0] === 'apis' && segments.length === 2) {
      const groups = (apiGroupList(this.resources()) as { groups: { name: string }[] }).groups
      const g = groups.find((x) => x.name === segments[1])
      return g ? this.json(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...g }) : this.status(res, 404, 'NotFound', NOT_SERVED)
    } else if (segments[0] === 'api' || segments[0] === 'apis') return this.status(res, 404, 'NotFound', NOT_SERVED)
    else return this.text(res, 404, '404 page not found\n')
    const version = group === '' ? 'v1' : (segments[2] as string)
    const served = this.resources().filter((r) => r.group === group && r.versions.includes(version))
    if (served.length === 0) return this.status(res, 404, 'NotFound', NOT_SERVED)
    if (rest.length === 0) return this.json(res, 200, apiResourceList(served, group, version))
    // namespaces/<ns>/<plural>[/<name>[/<subresource>]] or <plural>[/<name>[/<subresource>]]
    const scoped = rest[0] === 'namespaces' && rest.length >= 3
    const [namespace, plural, name, subresource] = scoped ? [rest[1], rest[2], rest[3], rest[4]] : [undefined, rest[0], rest[1], rest[2]]
    const resource = served.find((r) => r.plural === plural)
    if (!resource || (scoped && !resource.namespaced) || (!scoped && resource.namespaced && name !== undefined) || (subresource !== undefined && subresource !== 'status')) {
      return this.status(res, 404, 'NotFound', NOT_SERVED)
    }
    const asTable = /as=Table/.test(req.headers.accept ?? '')
    if (name !== undefined) {
      const o = this.find(resource, namespace, name)
      if (!o) return this.notFound(res, resource, name)
      const out = this.at(o, resource, version)
      return this.json(res, 200, asTable ? table(resource, [out], out.metadata.resourceVersion ?? '') : out)
    }
    let matches: (o: KubeObject) => boolean
    try {
      matches = this.selector(resource, namespace, url.searchParams)
    } catch (e) {
      if (e instanceof SelectorError) return this.status(res, 400, 'BadRequest', e.message)
      throw e
    }
    const watch = url.searchParams.get('watch')
    if (watch === '1' || watch === 'true') return this.watch(req, res, resource, version, matches, url.searchParams, asTable)
    this.list(res, resource, version, matches, url.searchParams, asTable)
  }

  private find(resource: Resource, namespace: string | undefined, name: string): KubeObject | undefined {
    return [...this.objects.values()].find((o) => this.isOf(o, resource) && o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace)
  }

  private isOf(o: KubeObject, resource: Resource): boolean {
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''
    return group === resource.group && o.kind === resource.kind
  }

  /** The object as served at one version: kube-apiserver converts (here: relabels) it. */
  private at(o: KubeObject, resource: Resource, version: string): KubeObject {
    return { ...o, apiVersion: groupVersion(resource.group, version) }
  }

  private selector(resource: Resource, namespace: string | undefined, params: URLSearchParams): (o: KubeObject) => boolean {
    const labels = parseLabelSelector(params.get('labelSelector') ?? '')
    const fields = parseFieldSelector(params.get('fieldSelector') ?? '', {
      'metadata.name': (o: KubeObject) => o.metadata.name,
      ...(resource.namespaced ? { 'metadata.namespace': (o: KubeObject) => o.metadata.namespace ?? '' } : {}),
      ...resource.fields,
    }) as (o: KubeObject) => boolean
    return (o) => this.isOf(o, resource) && (namespace === undefined || o.metadata.namespace === namespace) && labels(o.metadata.labels ?? {}) && fields(o)
  }

  // A list in etcd's key order (namespace, then name), cut into pages when the client asks
  // for a limit, with an opaque continue token as kube-apiserver gives one.
  private list(res: ServerResponse, resource: Resource, version: string, matches: (o: KubeObject) => boolean, params: URLSearchParams, asTable: boolean): void {
    const all = [...this.objects.values()].filter(matches).sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
    const cont = params.get('continue')
    let start = 0
    if (cont) {
      const after = Buffer.from(cont, 'base64url').toString()
      start = all.findIndex((o) => sortKey(o) > after)
      if (start < 0) start = all.length
    }
    const limit = Number(params.get('limit') ?? 0)
    const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start)
    const remaining = all.length - start - page.length
    const last = page.at(-1)
    const metadata = {
      resourceVersion: String(this.resourceVersion),
      ...(remaining > 0 && last ? { continue: Buffer.from(sortKey(last)).toString('base64url'), remainingItemCount: remaining } : {}),
    }
    const items = page.map((o) => this.at(o, resource, version))
    if (asTable) return this.json(res, 200, { ...table(resource, items, metadata.resourceVersion), metadata })
    this.json(res, 200, { apiVersion: groupVersion(resource.group, version), kind: `${resource.kind}List`, metadata, items })
  }

  // A watch streams one JSON event per line. Without a resourceVersion (or with "0") it opens
  // with an ADDED event for every matching object; with one, it replays the changes since,
  // or answers 410 Gone (as an ERROR event) when that version is older than it keeps.
  private watch(req: IncomingMessage, res: ServerResponse, resource: Resource, version: string, matches: (o: KubeObject) => boolean, params: URLSearchParams, asTable: boolean): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' })
    // kube-apiserver sends the headers at once, before any event: a quiet watch is open.
    res.flushHeaders()
    // kubectl get -w asks for the Table view: each event then carries a one-row Table.
    const send = (type: EventType | 'ERROR', object: object): void => {
      const o = asTable && type !== 'ERROR' ? table(resource, [object as KubeObject], (object as KubeObject).metadata.resourceVersion ?? '') : object
      res.write(JSON.stringify({ type, object: o }) + '\n')
    }
    const from = params.get('resourceVersion')
    if (from === null || from === '' || from === '0') {
      for (const o of [...this.objects.values()].filter(matches)) send('ADDED', this.at(o, resource, version))
    } else {
      const rv = Number(from)
      if (!Number.isInteger(rv) || rv < this.oldestWatchable) {
        send('ERROR', statusBody(410, 'Expired', `too old resource version: ${from} (${this.oldestWatchable})`))
        return void res.end()
      }
      for (const c of this.changes.filter((x) => x.resourceVersion > rv)) {
        const was = c.previous !== undefined && matches(c.previous)
        const is = matches(c.object)
        if (c.type === 'MODIFIED' && was !== is) send(is ? 'ADDED' : 'DELETED', this.at(c.object, resource, version))
        else if (is) send(c.type, this.at(c.object, resource, version))
      }
    }
    const watcher: Watcher = { resource, matches, send: (type, o) => send(type, this.at(o, resource, version)) }
    this.watchers.add(watcher)
    const timeout = Number(params.get('timeoutSeconds') ?? 0)
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined
    const done = (): void => {
      if (timer) clearTimeout(timer)
      this.watchers.delete(watcher)
    }
    req.on('close', done)
    res.on('finish', done)
  }

  private proxy(res: ServerResponse, namespace: string, service: string, path: string): void {
    // [scheme:]name[:port], as kube-apiserver's service proxy reads the segment.
    const parts = service.split(':')
    const name = (parts.length === 1 ? parts[0] : parts.length === 2 && /^https?$/.test(parts[0] as string) ? parts[1] : parts.length === 2 ? parts[0] : parts[1]) as string
    const files = this.proxied.get(`${namespace}/${name}`)
    if (!files) return this.json(res, 404, { ...statusBody(404, 'NotFound', `services "${name}" not found`), details: { name, kind: 'services' } })
    const body = files.get(path)
    if (!body) return this.text(res, 404, '404 page not found\n')
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
    res.end(body)
  }

  private notFound(res: ServerResponse, resource: Resource, name: string): void {
    const qualified = resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`
    this.json(res, 404, { ...statusBody(404, 'NotFound', `${qualified} "${name}" not found`), details: { name, ...(resource.group ? { group: resource.group } : {}), kind: resource.plural } })
  }

  private json(res: ServerResponse, code: number, body: unknown): void {
    const rewrite = this.rewrites.get(res)
    res.writeHead(code, { 'content-type': 'application/json' })
    res.end(JSON.stringify(rewrite ? rewrite(structuredClone(body)) : body))
  }

  private text(res: ServerResponse, code: number, body: string): void {
    res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' })
    res.end(body)
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    this.json(res, code, statusBody(code, reason, message))
  }
}

function statusBody(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: {}, code }
}

const sortKey = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`

/** A stable uid per object identity, shaped as kube-apiserver's (a v4-style UUID). */
function uuid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}
