// Reads Flux objects with @kubernetes/client-node. The client costs ~450 ms to import, so
// it is loaded only when a command actually talks to a cluster. Reads only: never a write.

import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { CodedError } from '../core/tool-error.js'
import type { KubeObject } from './manifests.js'
import { describeObjectIssues, fieldIssues } from '../core/objects/schema.js'
import type { KubeEvent } from '../core/doctor/events.js'

export interface KubeOptions {
  kubeconfig?: string
  context?: string
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number
}

export interface ResourceRef {
  group: string
  version: string
  plural: string
  kind: string
}

export const IMAGE_POLICY: ResourceRef = { group: 'image.toolkit.fluxcd.io', version: 'v1', plural: 'imagepolicies', kind: 'ImagePolicy' }
export const IMAGE_REPOSITORY: ResourceRef = { group: 'image.toolkit.fluxcd.io', version: 'v1', plural: 'imagerepositories', kind: 'ImageRepository' }
export const CRD: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition' }
export const DEPLOYMENT: ResourceRef = { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment' }
export const GIT_REPOSITORY: ResourceRef = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories', kind: 'GitRepository' }
export const HELM_RELEASE: ResourceRef = { group: 'helm.toolkit.fluxcd.io', version: 'v2', plural: 'helmreleases', kind: 'HelmRelease' }
export const KUSTOMIZATION: ResourceRef = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations', kind: 'Kustomization' }
export const SECRET: ResourceRef = { group: '', version: 'v1', plural: 'secrets', kind: 'Secret' }
export const SERVICE: ResourceRef = { group: '', version: 'v1', plural: 'services', kind: 'Service' }
export const EVENT: ResourceRef = { group: '', version: 'v1', plural: 'events', kind: 'Event' }
export const IMAGE_UPDATE_AUTOMATION: ResourceRef = { group: 'image.toolkit.fluxcd.io', version: 'v1', plural: 'imageupdateautomations', kind: 'ImageUpdateAutomation' }

type K8s = typeof import('./k8s-client.js')

export class KubeReader {
  private core?: InstanceType<K8s['CoreV1Api']>

  private constructor(
    private readonly k8s: K8s,
    readonly kc: InstanceType<K8s['KubeConfig']>,
    private readonly api: InstanceType<K8s['CustomObjectsApi']>,
    private readonly timeoutMs: number,
    readonly contextName: string,
    /** Loaded from the in-cluster config (a service account token, no kubeconfig file). */
    readonly inCluster: boolean,
  ) {}

  static async connect(opts: KubeOptions): Promise<KubeReader> {
    const { k8s, kc, source } = await loadKubeconfig(opts.kubeconfig)
    const timeoutMs = opts.timeoutMs ?? 15000
    const plugin = boundExecPlugins(kc, timeoutMs)
    reuseConnections(kc)
    if (opts.context) {
      if (!kc.getContextObject(opts.context)) throw new CodedError('ERR_KUBECONFIG', `context "${opts.context}" is not in the kubeconfig`)
      kc.setCurrentContext(opts.context)
    }
    if (!kc.getCurrentCluster()) throw new CodedError('ERR_KUBECONFIG', 'the kubeconfig has no current context or cluster')
    const inCluster = source === 'in-cluster' && kc.getCurrentCluster()?.name === 'inCluster'
    const reader = new KubeReader(k8s, kc, kc.makeApiClient(k8s.CustomObjectsApi), timeoutMs, kc.getCurrentContext(), inCluster)
    reader.execPlugin = plugin
    return reader
  }

  /** The context names of a kubeconfig (--kubeconfig, else $KUBECONFIG or ~/.kube/config), in file order. */
  static async contextNames(kubeconfig: string | undefined): Promise<string[]> {
    const { kc } = await loadKubeconfig(kubeconfig)
    return kc.getContexts().map((c) => c.name)
  }

  /** The exec credential plugins this kubeconfig ran, and whether one was stopped for taking too long. */
  private execPlugin?: { timedOut?: string }

  async get(ref: ResourceRef, namespace: string, name: string): Promise<KubeObject> {
    const body = await this.served(ref, (r) =>
      this.call(`${r.kind} ${namespace}/${name}`, r, (options) => this.api.getNamespacedCustomObject({ group: r.group, version: r.version, namespace, plural: r.plural, name }, options)),
    )
    return checked([body], ref.kind)[0] as KubeObject
  }

  // Flux ≤ 2.6 serves the image kinds at v1beta2 only: when v1 is not served, read v1beta2
  // (the fields this tool reads are the same; ImagePolicy's pick may be in status.latestImage).
  private async served<T>(ref: ResourceRef, fn: (r: ResourceRef) => Promise<T>): Promise<T> {
    try {
      return await fn(ref)
    } catch (e) {
      if (!(e instanceof CodedError) || e.id !== 'ERR_API' || ref.group !== IMAGE_POLICY.group || ref.version !== 'v1' || !/does not serve/.test(e.message)) throw e
      return fn({ ...ref, version: 'v1beta2' })
    }
  }

  /**
   * GET a path on the API server, or (absolute: true) a URL of its own, with the context's
   * credentials and TLS settings, as bytes; at most maxBytes, within the request timeout.
   * For what the typed clients do not serve (a service proxy). Resolves with the status and
   * body; a transport failure or timeout rejects with a CodedError.
   */
  async getBytes(pathOrUrl: string, what: string, maxBytes: number, absolute = false): Promise<{ status: number; body: Buffer }> {
    const server = this.kc.getCurrentCluster()?.server ?? ''
    const url = new URL(absolute ? pathOrUrl : server.replace(/\/+$/, '') + pathOrUrl)
    const opts: import('node:https').RequestOptions = { method: 'GET', headers: {} }
    // Credentials go only to the API server they belong to, never to a URL an object names.
    if (!absolute) await this.kc.applyToHTTPSOptions(opts)
    const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http')
    return new Promise((resolve, reject) => {
      const req = request(url, { ...opts, signal: AbortSignal.timeout(this.timeoutMs) }, (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size > maxBytes) {
            req.destroy()
            reject(new CodedError('ERR_ARTIFACT', `${what}: larger than the limit of ${maxBytes} bytes`))
            return
          }
          chunks.push(c)
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
        res.on('error', (e) => reject(this.classify(e, what, SERVICE)))
      })
      req.on('error', (e) => reject(e instanceof CodedError ? e : this.classify(e, what, SERVICE)))
      req.end()
    })
  }

  /** A Secret's type and data (base64 values): for credentials only, never printed. */
  async getSecret(namespace: string, name: string): Promise<{ type?: string; data?: Record<string, string> }> {
    const core = this.coreApi()
    return (await this.call(`Secret ${namespace}/${name}`, SECRET, (options) => core.readNamespacedSecret({ name, namespace }, options))) as { type?: string; data?: Record<string, string> }
  }

  /**
   * One list of Secrets, in a namespace or across all of them, reduced at once to name, type
   * and key names: the values never leave this function.
   */
  async listSecretKeys(namespace: string | undefined): Promise<{ metadata: { name: string; namespace?: string }; type?: string; keys: string[] }[]> {
    const core = this.coreApi()
    const where = namespace === undefined ? 'all namespaces' : namespace
    const list = await this.call(`Secret list in ${where}`, SECRET, (options) =>
      namespace === undefined ? core.listSecretForAllNamespaces({}, options) : core.listNamespacedSecret({ namespace }, options),
    )
    return ((list as { items?: { metadata?: { name?: string; namespace?: string }; type?: string; data?: Record<string, string> }[] }).items ?? []).map((x) => ({
      metadata: { name: x.metadata?.name ?? '', ...(x.metadata?.namespace ? { namespace: x.metadata.namespace } : {}) },
      ...(x.type ? { type: x.type } : {}),
      keys: Object.keys(x.data ?? {}).sort(),
    }))
  }

  /** One list of core/v1 Events, in a namespace or across all of them. */
  async listEvents(namespace: string | undefined): Promise<KubeEvent[]> {
    const core = this.coreApi()
    const where = namespace === undefined ? 'all namespaces' : namespace
    const list = await this.call(`Event list in ${where}`, EVENT, (options) =>
      namespace === undefined ? core.listEventForAllNamespaces({}, options) : core.listNamespacedEvent({ namespace }, options),
    )
    // client-node turns timestamps into Dates; print them as the API does (RFC 3339, seconds).
    const iso = (t: unknown): string | undefined => (t instanceof Date ? t.toISOString().replace(/\.000Z$/, 'Z') : typeof t === 'string' ? t : undefined)
    return ((list as { items?: Record<string, unknown>[] }).items ?? []).map((e) => {
      const involved = (e.involvedObject ?? {}) as { kind?: string; name?: string; namespace?: string }
      const last = iso(e.lastTimestamp) ?? iso(e.eventTime) ?? iso((e.metadata as { creationTimestamp?: unknown } | undefined)?.creationTimestamp)
      return {
        involvedObject: { kind: involved.kind ?? '', name: involved.name ?? '', ...(involved.namespace ? { namespace: involved.namespace } : {}) },
        type: String(e.type ?? ''),
        reason: String(e.reason ?? ''),
        message: String(e.message ?? ''),
        count: typeof e.count === 'number' ? e.count : 1,
        ...(last ? { lastTimestamp: last } : {}),
      }
    })
  }

  private coreApi(): InstanceType<K8s['CoreV1Api']> {
    this.core ??= this.kc.makeApiClient(this.k8s.CoreV1Api)
    return this.core
  }

  /**
   * One list call for a kind, in a namespace or (undefined) across all of them. An item with a
   * field of the wrong type is ERR_API: thrown, or, with `onInvalid`, handed to it and left out.
   */
  async listAny(ref: ResourceRef, namespace: string | undefined, onInvalid?: (e: CodedError) => void): Promise<KubeObject[]> {
    const where = namespace === undefined ? 'all namespaces' : namespace
    const body = (await this.served(ref, (r) =>
      this.call(`${r.kind} list in ${where}`, r, (options) =>
        namespace === undefined
          ? this.api.listClusterCustomObject({ group: r.group, version: r.version, plural: r.plural }, options)
          : this.api.listNamespacedCustomObject({ group: r.group, version: r.version, namespace, plural: r.plural }, options),
      ),
    )) as { items?: unknown }
    return checked(body.items, ref.kind, onInvalid)
  }

  /** One list call for a kind in a namespace (items of the wrong shape as in listAny). */
  async list(ref: ResourceRef, namespace: string, onInvalid?: (e: CodedError) => void): Promise<KubeObject[]> {
    const body = (await this.served(ref, (r) =>
      this.call(`${r.kind} list in ${namespace}`, r, (options) => this.api.listNamespacedCustomObject({ group: r.group, version: r.version, namespace, plural: r.plural }, options)),
    )) as { items?: unknown }
    return checked(body.items, ref.kind, onInvalid)
  }

  // Every request carries an abort signal, so a silent API server ends in a coded error.
  // The object-parameter API takes observable-style middleware, built as client-node's own
  // setHeaderMiddleware builds it.
  async call(what: string, ref: ResourceRef, fn: (options: object) => Promise<unknown>): Promise<unknown> {
    const { Observable } = this.k8s
    const timeoutMs = this.timeoutMs
    const options = {
      middleware: [
        {
          pre: (ctx: { setSignal(s: AbortSignal): void }) => {
            ctx.setSignal(AbortSignal.timeout(timeoutMs))
            return new Observable(Promise.resolve(ctx))
          },
          post: (rsp: unknown) => new Observable(Promise.resolve(rsp)),
        },
      ],
      middlewareMergeStrategy: 'append',
    }
    try {
      return await fn(options)
    } catch (e) {
      throw this.classify(e, what, ref)
    }
  }

  private classify(e: unknown, what: string, ref: ResourceRef): CodedError {
    const slowPlugin = this.execPlugin?.timedOut
    if (slowPlugin !== undefined) return new CodedError('ERR_KUBECONFIG', `the kubeconfig's exec credential plugin (${slowPlugin}) gave no credential within ${this.timeoutMs / 1000}s (context ${this.contextName})`, 'Run the plugin by hand to see what it waits for (a login, a device code), or pass a kubeconfig whose user needs none.')
    if (e instanceof this.k8s.ApiException) {
      const status = e.code
      const body = typeof e.body === 'string' ? safeMessage(e.body) : undefined
      if (status === 404) {
        if (body?.includes('the server could not find the requested resource')) {
          return new CodedError('ERR_API', `the API server does not serve ${ref.plural}.${ref.group}/${ref.version}: are the image automation CRDs installed?`)
        }
        return new CodedError('ERR_NOT_FOUND', `${what} not found`)
      }
      if (status === 401 || status === 403) return new CodedError('ERR_FORBIDDEN', `reading ${what}: HTTP ${status}${body ? ': ' + body : ''}`)
      return new CodedError('ERR_API', `reading ${what}: HTTP ${status}${body ? ': ' + body : ''}`)
    }
    const err = e as Error & { cause?: { code?: string }; code?: string; type?: string }
    const code = err.cause?.code ?? err.code
    if (err.name === 'AbortError' || err.type === 'aborted' || err.name === 'TimeoutError') {
      return new CodedError('ERR_CLUSTER_UNREACHABLE', `reading ${what}: no answer within ${this.timeoutMs / 1000}s (context ${this.contextName})`)
    }
    return new CodedError('ERR_CLUSTER_UNREACHABLE', `reading ${what}: ${code ?? err.message} (context ${this.contextName})`)
  }
}

/**
 * The kubeconfig as client-node loads it: --kubeconfig, else what loadFromDefault finds (see
 * defaultSource). A named file that is missing, not a regular file or not a kubeconfig is
 * ERR_KUBECONFIG. Exec credential plugins run only when a request authenticates.
 */
async function loadKubeconfig(kubeconfig: string | undefined): Promise<{ k8s: K8s; kc: InstanceType<K8s['KubeConfig']>; source: string[] | 'in-cluster' }> {
  const source = kubeconfig !== undefined ? [kubeconfig] : defaultSource()
  const named = kubeconfig ?? process.env.KUBECONFIG?.split(delimiter).find((p) => p !== '')
  if (named !== undefined && !existsSync(named)) throw new CodedError('ERR_KUBECONFIG', `kubeconfig ${named} does not exist`)
  // client-node reads a kubeconfig whole and at once: a FIFO or /dev/zero would never end.
  if (source !== 'in-cluster') for (const file of source) readableKubeconfig(file)
  const k8s = await import('./k8s-client.js')
  const kc = new k8s.KubeConfig()
  // A fleet run connects once per context: the file is read and parsed once, each context
  // gets its own KubeConfig (and authenticators) from a copy of what was parsed.
  const key = JSON.stringify(source)
  const seen = parsedKubeconfigs.get(key)
  if (seen !== undefined) {
    kc.loadFromOptions(structuredClone(seen))
    return { k8s, kc, source }
  }
  try {
    if (kubeconfig) kc.loadFromFile(kubeconfig)
    else kc.loadFromDefault()
  } catch (e) {
    throw new CodedError('ERR_KUBECONFIG', `cannot load kubeconfig: ${(e as Error).message.split('\n')[0]}`)
  }
  parsedKubeconfigs.set(key, structuredClone({ clusters: kc.clusters, contexts: kc.contexts, users: kc.users, currentContext: kc.currentContext }))
  return { k8s, kc, source }
}

const SERVICEACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount'

/**
 * The files client-node 1.4's loadFromDefault reads, or 'in-cluster', decided as it decides
 * (on Linux and macOS): $KUBECONFIG when set and not empty; else $HOME/.kube/config when it
 * exists ($HOME only, never the passwd entry); else the in-cluster config when the service
 * account's token exists, its server https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT.
 * Its last resort, an unauthenticated http://localhost:8080, is ERR_KUBECONFIG here instead,
 * as is an in-cluster config with a part missing (a pod with automountServiceAccountToken: false
 * has the variables but no token).
 */
function defaultSource(): string[] | 'in-cluster' {
  const env = process.env.KUBECONFIG
  if (env !== undefined && env !== '') return env.split(delimiter).filter((p) => p !== '')
  const home = process.env.HOME ? join(process.env.HOME, '.kube', 'config') : undefined
  if (home !== undefined && existsSync(home)) return [home]
  const token = `${SERVICEACCOUNT}/token`
  const missing = [
    ...(existsSync(token) ? [] : [`${token} does not exist`]),
    ...['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT'].filter((v) => !process.env[v]).map((v) => `${v} is unset`),
  ]
  if (missing.length === 0) return 'in-cluster'
  const none = `no kubeconfig: none given with --kubeconfig, KUBECONFIG is unset and ${home === undefined ? 'HOME is unset' : `${home} does not exist`}`
  // Only where something of a pod is present is its absence worth a word.
  const inPod = existsSync(token) || Boolean(process.env.KUBERNETES_SERVICE_HOST)
  if (!inPod) throw new CodedError('ERR_KUBECONFIG', none)
  throw new CodedError('ERR_KUBECONFIG', `${none}; nor an in-cluster config: ${missing.join(', ')}`, "In a pod, let the service account's token be mounted (automountServiceAccountToken not false); elsewhere pass --kubeconfig or set KUBECONFIG.")
}

const parsedKubeconfigs = new Map<string, { clusters: unknown[]; contexts: unknown[]; users: unknown[]; currentContext: string }>()

/** A kubeconfig file client-node can read: a regular file of a sane size, else ERR_KUBECONFIG. */
function readableKubeconfig(file: string): void {
  let st
  try {
    st = statSync(file)
  } catch {
    return // A missing file in $KUBECONFIG is skipped, as kubectl does; --kubeconfig's was checked.
  }
  if (st.isDirectory()) throw new CodedError('ERR_KUBECONFIG', `kubeconfig ${file} is a directory`)
  if (!st.isFile()) throw new CodedError('ERR_KUBECONFIG', `kubeconfig ${file} is not a regular file (a device, FIFO or socket)`)
  if (st.size > KUBECONFIG_MAX_BYTES) throw new CodedError('ERR_KUBECONFIG', `kubeconfig ${file} is ${st.size} bytes; a kubeconfig is at most ${KUBECONFIG_MAX_BYTES} bytes here`)
}

/** kubectl's kubeconfigs are a few KiB; this bounds what a wrong path can make the tool read. */
const KUBECONFIG_MAX_BYTES = 16 * 1024 * 1024

/**
 * client-node runs a user's exec credential plugin (aws eks get-token, gke-gcloud-auth-plugin,
 * kubelogin) without a time limit, and the request waits for it before its own abort signal
 * applies: a plugin waiting for a login would hold the command for ever. Its spawn gets the
 * request timeout (then SIGKILL), and the reader learns that it was the plugin that was slow.
 */
function boundExecPlugins(kc: object, timeoutMs: number): { timedOut?: string } {
  const state: { timedOut?: string } = {}
  const authenticators = (kc as { authenticators?: { execFn?: unknown }[] }).authenticators ?? []
  for (const a of authenticators) {
    if (typeof a.execFn !== 'function') continue
    a.execFn = (command: string, args: string[] | undefined, options: SpawnOptions): ChildProcess => {
      const child = spawn(command, args ?? [], { ...options, timeout: timeoutMs, killSignal: 'SIGKILL' })
      child.on('exit', (_code, signal) => {
        if (signal === 'SIGKILL') state.timedOut = command
      })
      return child
    }
  }
  return state
}

/**
 * client-node makes a new Agent for every request, so each request opened its own connection
 * (to a real cluster, its own TLS handshake). One keep-alive agent per server and TLS options
 * lets a run's requests share connections; an idle socket does not keep the process alive.
 */
function reuseConnections(kc: object): void {
  type CreateAgent = (cluster: { server?: string; proxyUrl?: string } | null, options: Record<string, unknown>) => unknown
  const k = kc as { createAgent: CreateAgent }
  const make = k.createAgent.bind(kc)
  const agents = new Map<string, unknown>()
  k.createAgent = (cluster, options) => {
    const key = JSON.stringify([cluster?.server, cluster?.proxyUrl, options.ca, options.cert, options.key, options.pfx, options.passphrase, options.rejectUnauthorized, options.servername, options.timeout])
    let agent = agents.get(key)
    if (agent === undefined) {
      agent = make(cluster, { ...options, keepAlive: true })
      agents.set(key, agent)
    }
    return agent
  }
}

/**
 * What the API server answered, checked as a file is (core/objects/schema.ts): an API server
 * validates custom objects against their CRD, but an old CRD, a proxy or a webhook may still
 * hand back a number where the core expects a string, and the core must never meet it.
 */
function checked(items: unknown, kind: string, onInvalid?: (e: CodedError) => void): KubeObject[] {
  if (items === undefined || items === null) return []
  if (!Array.isArray(items)) throw new CodedError('ERR_API', `the API server answered a ${kind} list whose items are not a list`)
  const out: KubeObject[] = []
  for (const item of items) {
    const error = apiObjectError(item, kind)
    if (error === undefined) {
      out.push(item as KubeObject)
      continue
    }
    if (onInvalid === undefined) throw error
    onInvalid(error)
  }
  return out
}

/** The ERR_API for an object of `kind` from the API server with a field of the wrong type, or undefined when it has none. */
export function apiObjectError(item: unknown, kind: string): CodedError | undefined {
  const issues = fieldIssues(item, kind)
  if (issues.length === 0) return undefined
  return new CodedError('ERR_API', `the API server answered ${describeObjectIssues(item, kind, issues)}`, 'The object is left out. Check the CRD installed for this kind (kubectl get crd -o yaml) and what wrote the object.')
}

function safeMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { message?: string }
    return parsed.message
  } catch {
    return undefined
  }
}
