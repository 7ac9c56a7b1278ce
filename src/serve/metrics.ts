// serve's /metrics: gauges whose values are read from the latest evaluation of each cluster
// (so a finding that is gone leaves no stale series), and prom-client counters and a histogram
// updated as evaluations and reads happen. Every series carries `cluster`; an object's
// namespace is `exported_namespace`, since Prometheus sets `namespace` to the namespace of the
// scraped pod. Label values come from a bounded set: codes, checks, kinds and the objects the
// cluster holds — never messages, times or free text.
//
// A cluster of 2,000 policies and workloads is a 1.8 MB exposition. Through prom-client's
// gauges (a label object and a hash per series, then the text) each scrape took 200 ms and
// tens of MB; the gauges are written here as text straight from the evaluation instead, in
// prom-client's format, and those that change only with an evaluation are written once after
// it and kept. What moves with the clock (how long an update has been pending) and the
// counters are written at every scrape.

import type { SourceMode } from '../adapters/watch.js'
import type { Evaluation } from './evaluation.js'
import type { WorkloadImage } from './workloads.js'

// The running and picked tags are part of the key: a new pick or a new rollout starts a new wait.
const workloadKey = (w: WorkloadImage): string => JSON.stringify([w.namespace, w.kind, w.name, w.container, w.policyNamespace, w.policy, w.runningTag, w.pickedTag])

type PromClient = typeof import('prom-client')

export interface SourceState {
  mode: SourceMode
  up: boolean
  objects: number
}

/** A gauge family, its series filled from the state at render time. */
interface GaugeFamily {
  name: string
  help: string
  /** The labels of every series, in this order. */
  labelNames: readonly string[]
  fill: (set: (labels: Record<string, string>, value: number) => void) => void
}

/**
 * The families in the Prometheus text format as prom-client writes it: HELP and TYPE, a line
 * per series (the last value set for a label set wins), families apart by a blank line.
 */
export function renderGauges(families: readonly GaugeFamily[]): string {
  let out = ''
  for (const f of families) {
    const series = new Map<string, number>()
    f.fill((labels, value) => {
      let text = ''
      for (const k of f.labelNames) text += `${text === '' ? '{' : ','}${k}="${escapeLabelValue(labels[k] ?? '')}"`
      series.set(text === '' ? '' : text + '}', value)
    })
    out += `${out === '' ? '' : '\n'}# HELP ${f.name} ${escapeText(f.help)}\n# TYPE ${f.name} gauge\n`
    for (const [labels, value] of series) out += `${f.name}${labels} ${valueText(value)}\n`
  }
  return out
}

const escapeText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
const escapeLabelValue = (s: string): string => escapeText(s).replace(/"/g, '\\"')
const valueText = (v: number): string => (Number.isNaN(v) ? 'Nan' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : `${v}`)

export class ServeMetrics {
  /** The gauges read from the latest evaluations and reads: written once after a change. */
  private readonly settled: GaugeFamily[] = []
  private settledText?: string
  /** The gauges written at every scrape. */
  private readonly live: GaugeFamily[] = []
  private readonly counters: InstanceType<PromClient['Registry']>
  private readonly latest = new Map<string, Evaluation>()
  /** cluster → "namespace/name" → the tag picked and when this process first saw it picked. */
  private readonly picked = new Map<string, Map<string, { tag: string; since: number }>>()
  private readonly sources = new Map<string, Map<string, SourceState>>()
  /** cluster → workload container and policy → when this process first saw its update pending. */
  private readonly pendingSince = new Map<string, Map<string, number>>()
  private readonly evaluations
  private readonly evaluationErrors
  private readonly duration
  private readonly sourceErrors

  constructor(prom: PromClient) {
    const counters = new prom.Registry()
    this.counters = counters
    const self = this
    const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (set: (labels: Record<L, string>, value: number) => void) => void, to = this.settled): void => {
      to.push({ name, help, labelNames, fill: fill as GaugeFamily['fill'] })
    }
    gauge('flux_imgauto_findings', 'Findings of the latest evaluation, by code, severity and the object they are about (kind and name empty when about no object).', ['cluster', 'code', 'severity', 'kind', 'exported_namespace', 'name'] as const, (set) => {
      for (const e of self.latest.values()) {
        const counts = new Map<string, { labels: Record<string, string>; n: number }>()
        for (const f of e.envelope.findings) {
          const labels = { cluster: e.cluster, code: f.code, severity: f.severity, kind: f.subject?.kind ?? '', exported_namespace: f.subject?.namespace ?? '', name: f.subject?.name ?? '' }
          const key = JSON.stringify(labels)
          const c = counts.get(key) ?? { labels, n: 0 }
          c.n++
          counts.set(key, c)
        }
        for (const c of counts.values()) set(c.labels as never, c.n)
      }
    })
    gauge('flux_imgauto_check_status', "The status of each doctor check in the latest evaluation: 1 for the check's status, 0 for the others.", ['cluster', 'check', 'stage', 'status'] as const, (set) => {
      for (const e of self.latest.values())
        for (const c of e.envelope.result.checks) for (const status of ['passed', 'failed', 'skipped']) set({ cluster: e.cluster, check: c.id, stage: c.stage, status }, c.status === status ? 1 : 0)
    })
    gauge('flux_imgauto_report_status', "The latest evaluation's report status (the doctor's envelope status): 1 for the status, 0 for the others.", ['cluster', 'status'] as const, (set) => {
      for (const e of self.latest.values()) for (const status of ['ok', 'problems', 'incomplete']) set({ cluster: e.cluster, status }, e.envelope.status === status ? 1 : 0)
    })
    gauge('flux_imgauto_policy_latest_tag_info', "The tag each ImagePolicy picked (status.latestRef), as a label; the value is always 1.", ['cluster', 'exported_namespace', 'name', 'image', 'tag'] as const, (set) => {
      for (const e of self.latest.values()) for (const p of e.picks) set({ cluster: e.cluster, exported_namespace: p.namespace, name: p.name, image: p.image, tag: p.tag }, 1)
    })
    gauge('flux_imgauto_policy_latest_tag_since_timestamp_seconds', 'When this process first saw the ImagePolicy pick its current tag (Unix seconds); at the latest, when serve started.', ['cluster', 'exported_namespace', 'name'] as const, (set) => {
      for (const [cluster, picks] of self.picked)
        for (const [ref, p] of picks) {
          const [namespace, name] = ref.split('/') as [string, string]
          set({ cluster, exported_namespace: namespace, name }, p.since / 1000)
        }
    })
    const workloadLabels = ['cluster', 'exported_namespace', 'kind', 'name', 'container', 'policy_namespace', 'policy'] as const
    const workloadOf = (cluster: string, w: WorkloadImage): Record<(typeof workloadLabels)[number], string> => ({ cluster, exported_namespace: w.namespace, kind: w.kind, name: w.name, container: w.container, policy_namespace: w.policyNamespace, policy: w.policy })
    gauge('flux_imgauto_workload_image_info', 'For each workload container whose image an ImagePolicy tracks: the image, the tag it runs (its pod template) and the tag the policy picked, as labels; the value is always 1.', [...workloadLabels, 'image', 'running_tag', 'picked_tag'] as const, (set) => {
      for (const e of self.latest.values()) for (const w of e.workloads) set({ ...workloadOf(e.cluster, w), image: w.image, running_tag: w.runningTag, picked_tag: w.pickedTag }, 1)
    })
    gauge('flux_imgauto_workload_update_pending', "1 when a workload container does not run the tag (or, with digests on both sides, the digest) its ImagePolicy picked, else 0.", workloadLabels, (set) => {
      for (const e of self.latest.values()) for (const w of e.workloads) set(workloadOf(e.cluster, w), w.pending ? 1 : 0)
    })
    gauge('flux_imgauto_workload_update_pending_seconds', 'How long the update has been pending: seconds since this process first saw the container differ from the pick (at the earliest, since serve started); 0 when it runs the pick.', workloadLabels, (set) => {
      const now = Date.now()
      for (const e of self.latest.values())
        for (const w of e.workloads) {
          const since = self.pendingSince.get(e.cluster)?.get(workloadKey(w))
          set(workloadOf(e.cluster, w), w.pending && since !== undefined ? Math.max(0, (now - since) / 1000) : 0)
        }
    }, this.live)
    gauge('flux_imgauto_last_evaluation_timestamp_seconds', 'When the latest evaluation ran (Unix seconds).', ['cluster'] as const, (set) => {
      for (const e of self.latest.values()) set({ cluster: e.cluster }, e.at / 1000)
    })
    gauge('flux_imgauto_source_up', 'Whether the latest read of a kind succeeded (1) or failed (0).', ['cluster', 'kind'] as const, (set) => {
      for (const [cluster, kinds] of self.sources) for (const [kind, s] of kinds) set({ cluster, kind }, s.up ? 1 : 0)
    })
    gauge('flux_imgauto_source_watching', 'Whether a kind is kept current by a watch (1) or by a periodic list because the watch was refused or is not used (0).', ['cluster', 'kind'] as const, (set) => {
      for (const [cluster, kinds] of self.sources) for (const [kind, s] of kinds) set({ cluster, kind }, s.mode === 'watch' ? 1 : 0)
    })
    gauge('flux_imgauto_source_objects', 'How many objects of a kind are held.', ['cluster', 'kind'] as const, (set) => {
      for (const [cluster, kinds] of self.sources) for (const [kind, s] of kinds) set({ cluster, kind }, s.objects)
    })
    this.evaluations = new prom.Counter({ name: 'flux_imgauto_evaluations_total', help: 'Evaluations run (the doctor checks over the objects held).', labelNames: ['cluster'] as const, registers: [counters] })
    this.evaluationErrors = new prom.Counter({ name: 'flux_imgauto_evaluation_errors_total', help: 'Evaluations that failed before producing a report.', labelNames: ['cluster'] as const, registers: [counters] })
    this.duration = new prom.Histogram({ name: 'flux_imgauto_evaluation_duration_seconds', help: 'How long an evaluation took.', labelNames: ['cluster'] as const, buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5], registers: [counters] })
    this.sourceErrors = new prom.Counter({ name: 'flux_imgauto_source_errors_total', help: 'Failed reads (list or watch) per kind, by error code; a refused watch counts once, as ERR_FORBIDDEN.', labelNames: ['cluster', 'kind', 'code'] as const, registers: [counters] })
  }

  get contentType(): string {
    return this.counters.contentType
  }

  /** The exposition: the settled gauges as last written, then what moves at every scrape. */
  async exposition(): Promise<string> {
    this.settledText ??= renderGauges(this.settled)
    return `${this.settledText}\n${renderGauges(this.live)}\n${await this.counters.metrics()}`
  }

  /** Zero-valued counters from the start, so rate() and increase() see the first event. */
  addCluster(cluster: string): void {
    this.evaluations.inc({ cluster }, 0)
    this.evaluationErrors.inc({ cluster }, 0)
  }

  evaluated(e: Evaluation): void {
    this.settledText = undefined
    this.latest.set(e.cluster, e)
    this.evaluations.inc({ cluster: e.cluster })
    this.duration.observe({ cluster: e.cluster }, e.durationMs / 1000)
    const before = this.picked.get(e.cluster) ?? new Map<string, { tag: string; since: number }>()
    const now = new Map<string, { tag: string; since: number }>()
    for (const p of e.picks) {
      const ref = `${p.namespace}/${p.name}`
      const was = before.get(ref)
      now.set(ref, was?.tag === p.tag ? was : { tag: p.tag, since: e.at })
    }
    this.picked.set(e.cluster, now)
    const was = this.pendingSince.get(e.cluster) ?? new Map<string, number>()
    const pending = new Map<string, number>()
    for (const w of e.workloads) if (w.pending) pending.set(workloadKey(w), was.get(workloadKey(w)) ?? e.at)
    this.pendingSince.set(e.cluster, pending)
  }

  evaluationFailed(cluster: string): void {
    this.evaluationErrors.inc({ cluster })
  }

  sourceFailed(cluster: string, kind: string, code: string): void {
    this.sourceErrors.inc({ cluster, kind, code })
  }

  setSources(cluster: string, sources: Map<string, SourceState>): void {
    this.settledText = undefined
    this.sources.set(cluster, sources)
  }

  latestEvaluation(cluster: string): Evaluation | undefined {
    return this.latest.get(cluster)
  }
}
