// The long-running part of `serve`: one ClusterWatch per context, an evaluation per cluster
// shortly after its objects change (debounced, so a burst of events costs one evaluation),
// and on every resync a fresh list of every kind followed by an evaluation (ages such as "last
// scan 3h ago" move on even when no object does).

import type { ToolError } from '../core/findings/types.js'
import type { SourceMode, WatcherTiming } from '../adapters/watch.js'
import { ArtifactCache } from './artifacts.js'
import { ClusterWatch } from './cluster.js'
import { evaluate } from './evaluation.js'
import type { Logger } from './log.js'
import type { ServeMetrics } from './metrics.js'

export interface EvaluatorOptions {
  kubeconfig?: string
  /** One watcher per context; [undefined] for the current context (or in-cluster config). */
  contexts: (string | undefined)[]
  namespace?: string
  fluxNamespace: string
  timeoutMs: number
  timing: WatcherTiming
  resyncMs: number
  debounceMs: number
  /** Trace markers in the GitRepositories' artifacts. */
  artifacts: boolean
}

export class Evaluator {
  private readonly clusters: ClusterWatch[] = []
  private readonly pending = new Map<string, NodeJS.Timeout>()
  private readonly artifacts = new Map<string, ArtifactCache>()
  private resyncTimer?: NodeJS.Timeout
  private stopped = false
  /** Every cluster listed every kind once and was evaluated. */
  ready = false

  constructor(
    private readonly options: EvaluatorOptions,
    private readonly metrics: ServeMetrics,
    private readonly log: Logger,
  ) {}

  get clusterNames(): string[] {
    return this.clusters.map((c) => c.name)
  }

  /** Connects every context (a bad kubeconfig or context throws), lists, evaluates once. */
  async start(): Promise<void> {
    const events = {
      changed: (cluster: string) => this.schedule(cluster),
      failed: (cluster: string, kind: string, error: ToolError, detail: { mode: SourceMode; refused: boolean }) => {
        this.metrics.sourceFailed(cluster, kind, error.code)
        this.log(detail.refused ? 'warn' : 'error', detail.refused ? 'watch refused, listing periodically' : 'read failed', { cluster, kind, code: error.code, error: error.message, mode: detail.mode })
        this.schedule(cluster)
      },
    }
    const settled = await Promise.allSettled(
      this.options.contexts.map((context) =>
        ClusterWatch.start({ ...(this.options.kubeconfig ? { kubeconfig: this.options.kubeconfig } : {}), ...(context ? { context } : {}), ...(this.options.namespace !== undefined ? { namespace: this.options.namespace } : {}), fluxNamespace: this.options.fluxNamespace, timeoutMs: this.options.timeoutMs, timing: this.options.timing }, events),
      ),
    )
    const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    const failed = settled.find((r) => r.status === 'rejected')
    if (failed !== undefined) {
      // The contexts that did start hold watches open: stopped, or the process would never exit.
      await Promise.all(started.map((c) => c.stop()))
      throw failed.reason
    }
    this.clusters.push(...started)
    for (const c of this.clusters) {
      if (this.options.artifacts)
        this.artifacts.set(
          c.name,
          new ArtifactCache(c.kube, this.options.fluxNamespace, (error) => {
            if (error) this.log('error', 'artifact read failed', { cluster: c.name, code: error.code, error: error.message })
            this.schedule(c.name)
          }),
        )
      this.metrics.addCluster(c.name)
      this.log('info', 'listed', { cluster: c.name, sources: Object.fromEntries(c.sources()) })
      this.evaluateNow(c)
    }
    this.ready = this.clusters.every((c) => c.synced)
    this.resyncTimer = setInterval(() => void this.resync(), this.options.resyncMs)
    this.resyncTimer.unref()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.resyncTimer)
    for (const t of this.pending.values()) clearTimeout(t)
    await Promise.all(this.clusters.map((c) => c.stop()))
  }

  private schedule(cluster: string): void {
    if (this.stopped || this.pending.has(cluster)) return
    const c = this.clusters.find((x) => x.name === cluster)
    if (c === undefined) return // still starting: start() evaluates once every kind is listed
    this.pending.set(
      cluster,
      setTimeout(() => {
        this.pending.delete(cluster)
        this.evaluateNow(c)
      }, this.options.debounceMs),
    )
  }

  private async resync(): Promise<void> {
    for (const c of this.clusters) {
      await c.resync()
      this.schedule(c.name)
    }
  }

  private evaluateNow(c: ClusterWatch): void {
    if (this.stopped) return
    try {
      const snapshot = c.snapshot()
      const e = evaluate(c.name, snapshot, this.artifacts.get(c.name)?.markers(snapshot), c.workloads())
      this.metrics.evaluated(e)
      this.metrics.setSources(c.name, c.sources())
      this.log('info', 'evaluated', { cluster: c.name, status: e.envelope.status, findings: e.envelope.findings.length, errors: e.envelope.errors.length, durationMs: Math.round(e.durationMs * 10) / 10 })
    } catch (err) {
      this.metrics.evaluationFailed(c.name)
      this.log('error', 'evaluation failed', { cluster: c.name, error: (err as Error).message })
    }
  }
}
