// One cluster as `serve` sees it: a KindWatcher per kind the doctor reads, scoped as the
// doctor scopes its lists (CRDs cluster-wide, the controllers' Deployments in the Flux
// namespace, the rest in --namespace or all namespaces), and Secrets polled, reduced to their
// key names, only while an object references one. snapshot() hands the checks what is held now.

import { apiObjectError, KubeReader } from '../adapters/kube.js'
import { LISTED_KINDS, REFS } from '../adapters/snapshot.js'
import { customObjectSource, KindWatcher, type KindSource, type SourceMode, type WatcherTiming } from '../adapters/watch.js'
import { secretUses } from '../core/doctor/checks/secrets.js'
import type { KObject, Snapshot, SnapshotKind } from '../core/doctor/snapshot.js'
import type { ToolError } from '../core/findings/types.js'
import type { SourceState } from './metrics.js'
import { WORKLOAD_REFS, type WorkloadKind } from './workloads.js'

export interface ClusterOptions {
  kubeconfig?: string
  context?: string
  namespace?: string
  fluxNamespace: string
  timeoutMs: number
  timing: WatcherTiming
}

export interface ClusterEvents {
  changed(cluster: string): void
  failed(cluster: string, kind: string, error: ToolError, detail: { mode: SourceMode; refused: boolean }): void
}

export class ClusterWatch {
  private readonly watchers = new Map<SnapshotKind, KindWatcher>()
  /** The workloads of the three-way view, in the watched scope. */
  private readonly workloadWatchers = new Map<WorkloadKind, KindWatcher>()

  private constructor(
    readonly name: string,
    private readonly options: ClusterOptions,
    /** The connection, for what is read beside the watches (GitRepository artifacts). */
    readonly kube: KubeReader,
  ) {}

  /** Connects (loads the kubeconfig context) and starts every watcher; resolves after the first lists. */
  static async start(options: ClusterOptions, events: ClusterEvents): Promise<ClusterWatch> {
    const kube = await KubeReader.connect({ ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}), ...(options.context ? { context: options.context } : {}), timeoutMs: options.timeoutMs })
    const cluster = new ClusterWatch(options.context ?? kube.contextName, options, kube)
    const k8s = await import('../adapters/k8s-client.js')
    const sink = (kind: string) => ({
      changed: () => events.changed(cluster.name),
      failed: (error: ToolError, detail: { mode: SourceMode; refused: boolean }) => events.failed(cluster.name, kind, error, detail),
    })
    for (const kind of LISTED_KINDS) {
      const scope = kind === 'CustomResourceDefinition' ? undefined : kind === 'Deployment' ? options.fluxNamespace : options.namespace
      const keep = kind === 'CustomResourceDefinition' ? (c: KObject) => c.metadata.name.endsWith('.toolkit.fluxcd.io') : undefined
      cluster.watchers.set(kind, new KindWatcher(k8s, kube.kc, await customObjectSource(kube, REFS[kind], scope, keep), sink(kind), options.timing))
    }
    // Secrets are never watched: a watch would hold their values in the store. A poll reduces
    // each one to its key names as it arrives (KubeReader.listSecretKeys).
    const secrets: KindSource = {
      what: `Secret in ${options.namespace ?? 'all namespaces'}`,
      list: async () => (secretUses(cluster.snapshot(false)).length === 0 ? { items: [] } : { items: (await kube.listSecretKeys(options.namespace)) as KObject[] }),
    }
    for (const [kind, ref] of Object.entries(WORKLOAD_REFS) as [WorkloadKind, (typeof WORKLOAD_REFS)[WorkloadKind]][]) {
      cluster.workloadWatchers.set(kind, new KindWatcher(k8s, kube.kc, await customObjectSource(kube, ref, options.namespace), sink(`workloads/${kind}`), options.timing))
    }
    const secretWatcher = new KindWatcher(k8s, kube.kc, secrets, sink('Secret'), options.timing)
    await Promise.all([...cluster.watchers.values(), ...cluster.workloadWatchers.values()].map((w) => w.start()))
    cluster.watchers.set('Secret', secretWatcher)
    await secretWatcher.start()
    return cluster
  }

  /** Every kind's first list was answered. */
  get synced(): boolean {
    return [...this.watchers.values(), ...this.workloadWatchers.values()].every((w) => w.synced)
  }

  /** The workloads held now, per kind (a kind whose read failed holds none). */
  workloads(): Map<WorkloadKind, KObject[]> {
    return new Map([...this.workloadWatchers].map(([k, w]) => [k, w.error === undefined ? w.items() : []]))
  }

  /** Per kind: watched or polled, whether its last read succeeded, how many objects are held. */
  sources(): Map<string, SourceState> {
    const all: [string, KindWatcher][] = [...this.watchers, ...[...this.workloadWatchers].map(([k, w]): [string, KindWatcher] => [`workloads/${k}`, w])]
    return new Map(all.map(([k, w]) => [k, { mode: w.mode, up: w.error === undefined, objects: w.items().length }]))
  }

  /** What the checks judge: the objects held now, a kind whose last read failed as unavailable. */
  snapshot(withSecrets = true): Snapshot {
    const s: Snapshot = { ...(this.options.namespace !== undefined ? { namespace: this.options.namespace } : {}), fluxNamespace: this.options.fluxNamespace, now: Date.now(), objects: new Map(), unavailable: new Map(), rejected: [] }
    for (const [kind, w] of this.watchers) {
      if (kind === 'Secret' && !withSecrets) continue
      if (w.error !== undefined) s.unavailable.set(kind, w.error)
      else s.objects.set(kind, kind === 'Secret' ? w.items() : checked(w.items(), kind, s.rejected as ToolError[]))
    }
    return s
  }

  async resync(): Promise<void> {
    await Promise.all([...this.watchers.values(), ...this.workloadWatchers.values()].map((w) => w.resync()))
  }

  async stop(): Promise<void> {
    await Promise.all([...this.watchers.values(), ...this.workloadWatchers.values()].map((w) => w.stop()))
  }
}

// What a list or a watch event brought, checked as the doctor checks its lists (KubeReader):
// an object of the wrong shape is left out of this evaluation and reported as ERR_API. A
// watch replaces an object, never changes it: each is checked once, not at every evaluation.
const errorOf = new WeakMap<KObject, ToolError | null>()

function checked(items: KObject[], kind: SnapshotKind, rejected: ToolError[]): KObject[] {
  return items.filter((o) => {
    let error = errorOf.get(o)
    if (error === undefined) {
      error = apiObjectError(o, kind)?.toToolError() ?? null
      errorOf.set(o, error)
    }
    if (error !== null) rejected.push(error)
    return error === null
  })
}
