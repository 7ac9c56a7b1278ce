// Keeps one kind's objects current for `serve`: client-node's ListWatch (one list, then one
// watch that resumes from the list's resourceVersion), a fresh list on every resync, and a
// periodic list instead where the API server refuses the watch (RBAC without the watch verb,
// a proxy or a fake server that answers a watch with a plain list). Reads only: list and watch.

import { CodedError } from '../core/tool-error.js'
import type { ToolError } from '../core/findings/types.js'
import type { KObject } from '../core/doctor/snapshot.js'
import type { KubeReader, ResourceRef } from './kube.js'

type K8s = typeof import('./k8s-client.js')
type ListWatch = InstanceType<K8s['ListWatch']>

export interface ListResult {
  items: KObject[]
  resourceVersion?: string
}

export interface KindSource {
  /** What the source reads, e.g. "ImagePolicy in all namespaces". */
  what: string
  list(): Promise<ListResult>
  /** The watch path (list path; client-node adds ?watch=true), or undefined to poll only. */
  watchPath?: string
}

export type SourceMode = 'watch' | 'poll'

export interface WatcherEvents {
  /** The objects changed (a watch event, or a poll that found a difference). */
  changed(): void
  /** A read failed, or the watch was refused and the kind is now polled. */
  failed(error: ToolError, detail: { mode: SourceMode; refused: boolean }): void
}

export interface WatcherTiming {
  pollMs: number
  /** Wait before a failed list or watch is tried again. */
  retryMs: number
}

// The watch event types of the Kubernetes API (watch.Event): anything else on a watch stream
// means the server did not understand the watch.
const WATCH_EVENTS = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'])

interface WatchLike {
  watch(path: string, query: Record<string, unknown>, cb: (type: string, obj: unknown, raw: unknown) => void, done: (err: unknown) => void): Promise<unknown>
}

class WatchRefused extends Error {
  constructor(readonly reason: string) {
    super(reason)
  }
}

export class KindWatcher {
  private listWatch?: ListWatch
  /** The ListWatch whose store is read: the last one that listed (a relist does not empty it). */
  private serving?: ListWatch
  private polled?: KObject[]
  private pollFingerprint = ''
  private timer?: NodeJS.Timeout
  private stopped = false
  private firstList?: () => void
  mode: SourceMode
  /** The last read's error, cleared by the next good read. */
  error?: ToolError
  /** The first list was answered (objects or an error). */
  synced = false

  constructor(
    private readonly k8s: K8s,
    private readonly kubeConfig: InstanceType<K8s['KubeConfig']>,
    private readonly source: KindSource,
    private readonly events: WatcherEvents,
    private readonly timing: WatcherTiming,
  ) {
    this.mode = source.watchPath === undefined ? 'poll' : 'watch'
  }

  /** Starts reading; resolves once the first list has been answered. */
  start(): Promise<void> {
    const first = new Promise<void>((resolve) => (this.firstList = resolve))
    void this.open()
    return first
  }

  items(): KObject[] {
    if (this.mode === 'poll') return this.polled ?? []
    return [...(this.serving?.list() ?? [])] as KObject[]
  }

  /** A fresh list now: a new ListWatch (so a missed event cannot linger), or one poll. */
  async resync(): Promise<void> {
    if (this.stopped) return
    clearTimeout(this.timer)
    await this.open()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.listWatch?.stop()
    await this.serving?.stop()
  }

  private async open(): Promise<void> {
    if (this.mode === 'poll') return this.poll()
    const previous = this.listWatch
    let settle: (listed: boolean) => void = () => undefined
    const listed = new Promise<boolean>((resolve) => (settle = resolve))
    const lw = new this.k8s.ListWatch(this.source.watchPath as string, this.refusalAware() as unknown as InstanceType<K8s['Watch']>, async () => {
      let r: ListResult
      try {
        r = await this.source.list()
      } catch (e) {
        settle(false)
        throw e
      }
      // ListWatch fills its store synchronously once this returns: look after that, not before.
      setImmediate(() => settle(true))
      return { items: r.items, metadata: { resourceVersion: r.resourceVersion ?? '' } } as never
    }, false)
    lw.on('change', () => this.events.changed())
    lw.on('error', (err: unknown) => void this.failedListWatch(lw, err))
    this.listWatch = lw
    // Not awaited: start() also waits for the watch's response headers, and readiness is
    // "listed", not "watching" (a proxy may hold a quiet watch's headers back).
    lw.start().catch((err: unknown) => void this.failedListWatch(lw, err))
    const ok = await listed
    await previous?.stop()
    if (ok && this.listWatch === lw && !this.stopped) {
      this.serving = lw
      this.read(undefined)
      // A relist replaces the store: the objects may differ even when no event says so.
      this.events.changed()
    }
  }

  private async failedListWatch(lw: ListWatch, err: unknown): Promise<void> {
    if (this.listWatch !== lw || this.stopped) return
    await lw.stop()
    if (err instanceof WatchRefused) {
      // The list worked, the watch did not: keep the objects and poll from now on.
      this.mode = 'poll'
      this.polled = [...lw.list()] as KObject[]
      this.pollFingerprint = fingerprint(this.polled)
      this.listWatch = undefined
      this.serving = undefined
      this.events.failed({ code: 'ERR_FORBIDDEN', message: `${this.source.what}: watch refused (${err.reason}); listing every ${this.timing.pollMs / 1000}s instead` }, { mode: 'poll', refused: true })
      this.read(undefined)
      this.schedule(this.timing.pollMs)
      return
    }
    if (err instanceof CodedError) this.read(err.toToolError())
    else {
      // The watch broke (a reset connection): the objects listed are still the best known, so
      // the kind stays judged; the next open lists afresh and watches again.
      this.events.failed(toolError(err, `${this.source.what} (watch)`), { mode: 'watch', refused: false })
    }
    this.schedule(this.timing.retryMs)
  }

  private async poll(): Promise<void> {
    try {
      const { items } = await this.source.list()
      const print = fingerprint(items)
      const changed = this.polled === undefined || print !== this.pollFingerprint
      this.polled = items
      this.pollFingerprint = print
      this.read(undefined)
      if (changed) this.events.changed()
    } catch (e) {
      this.read(toolError(e, this.source.what))
    }
    this.schedule(this.timing.pollMs)
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.open(), ms)
    this.timer.unref()
  }

  // Records the outcome of a read; the first one settles start().
  private read(error: ToolError | undefined): void {
    const was = this.error
    this.error = error
    if (error !== undefined) this.events.failed(error, { mode: this.mode, refused: false })
    else if (was !== undefined) this.events.changed()
    this.synced = true
    this.firstList?.()
    this.firstList = undefined
  }

  // client-node's Watch, with two things ListWatch leaves to its caller: a watch the server
  // refuses (403/405, or a body that is not watch events) ends the watch with WatchRefused, and
  // a watch closed at once without an event is reopened only after retryMs, not in a loop.
  private refusalAware(): WatchLike {
    const inner = new this.k8s.Watch(this.kubeConfig) as unknown as WatchLike
    const retryMs = this.timing.retryMs
    return {
      async watch(path, query, cb, done) {
        let finished = false
        let events = 0
        const opened = Date.now()
        let controller: { abort(): void } | undefined
        const finish = (err: unknown): void => {
          if (finished) return
          finished = true
          controller?.abort()
          done(err)
        }
        controller = (await inner.watch(
          path,
          query,
          (type, obj, raw) => {
            if (finished) return
            if (!WATCH_EVENTS.has(type) || typeof obj !== 'object' || obj === null) return finish(new WatchRefused('the answer is not a stream of watch events'))
            events++
            cb(type, obj, raw)
          },
          (err) => {
            const status = (err as { statusCode?: number } | null)?.statusCode
            if (status === 403 || status === 405) return finish(new WatchRefused(`HTTP ${status}`))
            if (err === null && events === 0 && Date.now() - opened < retryMs) {
              setTimeout(() => finish(null), retryMs).unref()
              return
            }
            finish(err)
          },
        )) as { abort(): void } | undefined
        if (finished) controller?.abort()
        return controller
      },
    }
  }

}

/** A list source for a kind read with client-node's CustomObjectsApi (which serves any group). */
export async function customObjectSource(kube: KubeReader, ref: ResourceRef, namespace: string | undefined, keep: (o: KObject) => boolean = () => true): Promise<KindSource> {
  const k8s = await import('./k8s-client.js')
  const api = kube.kc.makeApiClient(k8s.CustomObjectsApi)
  const where = namespace === undefined ? 'all namespaces' : namespace
  const base = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`
  return {
    what: `${ref.kind} in ${where}`,
    watchPath: namespace === undefined ? `${base}/${ref.plural}` : `${base}/namespaces/${namespace}/${ref.plural}`,
    async list() {
      const body = (await kube.call(`${ref.kind} list in ${where}`, ref, (options) =>
        namespace === undefined
          ? api.listClusterCustomObject({ group: ref.group, version: ref.version, plural: ref.plural }, options)
          : api.listNamespacedCustomObject({ group: ref.group, version: ref.version, namespace, plural: ref.plural }, options),
      )) as { items?: KObject[]; metadata?: { resourceVersion?: string } }
      return { items: (body.items ?? []).filter(keep), ...(body.metadata?.resourceVersion ? { resourceVersion: body.metadata.resourceVersion } : {}) }
    },
  }
}

// What a poll compares: objects without a resourceVersion (a fake server, a proxy) by content.
function fingerprint(items: readonly KObject[]): string {
  return items
    .map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}@${(o.metadata as { resourceVersion?: string }).resourceVersion ?? JSON.stringify(o)}`)
    .sort()
    .join('\n')
}

function toolError(e: unknown, what: string): ToolError {
  if (e instanceof CodedError) return e.toToolError()
  const status = (e as { statusCode?: number }).statusCode
  return { code: status === 403 ? 'ERR_FORBIDDEN' : 'ERR_API', message: `${what}: ${(e as Error).message}` }
}
