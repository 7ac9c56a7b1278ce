// The pipeline trace and preview share: read the inputs, scan the checkout, trace, plan.

import { join, relative, sep } from 'node:path'
import { type RepoScan, scanRepository, SecureJoinError, secureJoin } from '../adapters/repo-files.js'
import { objectCollector } from '../adapters/repo-objects.js'
import { finding } from '../core/findings/catalogue.js'
import type { LintObject } from '../core/lint/types.js'
import { gitTarget, overlapMessage, type Owner, ownedElsewhere, under, type Writer } from '../core/markers/owners.js'
import type { Finding, ToolError } from '../core/findings/types.js'
import { commitMessageFindings, markerFindings } from '../core/markers/findings.js'
import { type CommitMessage, renderCommitMessage } from '../core/markers/commit-message.js'
import type { LabelSelector, PolicyLike } from '../core/markers/setters.js'
import { type MarkerEntry, type TraceResult, traceMarkers } from '../core/markers/trace.js'
import { type FileUpdate, planUpdate } from '../core/markers/update.js'
import type { ParseOutcome } from '../core/markers/yaml-file.js'
import { type AutomationInputs, resolveAutomation } from './automation-inputs.js'

export interface MarkersRun {
  automation: { namespace: string; name?: string; updatePath: string; source: string }
  root: string
  base: string
  filesRead: number
  entries: MarkerEntry[]
  updates: FileUpdate[]
  /** The message Flux would commit these updates with (none when nothing changes). */
  commitMessage?: CommitMessage
  findings: Finding[]
  /** Inputs left out (an ImagePolicy of the wrong shape from the API server). */
  errors: ToolError[]
  runError?: string
}

/**
 * One automation's trace over a scanned checkout, and Flux's run error for it: an update
 * strategy other than Setters, else the scan's own (a missing update.path, an unreadable entry).
 */
export function traceCheckout(scan: RepoScan, automation: AutomationInputs['automation'], policies: readonly PolicyLike[], parsed?: Map<string, ParseOutcome>): { trace: TraceResult; runError?: string } {
  const strategy = automation.strategy
  const runError = strategy !== undefined && strategy !== 'Setters' ? `unsupported update strategy: ${strategy}` : scan.runError
  return { trace: traceMarkers(automation, policies, scan, parsed), ...(runError !== undefined ? { runError } : {}) }
}

export async function runMarkers(root: string, flags: Parameters<typeof resolveAutomation>[0]): Promise<MarkersRun> {
  const inputs = await resolveAutomation(flags)
  // The walk also reads the checkout's image objects: the other automations it holds.
  // Only files with an automation at the top level are parsed (not the CRDs of gotk-components.yaml).
  const { read, collect } = objectCollector(inputs.automation.namespace, { screen: 'ImageUpdateAutomation', pattern: /^kind:[ \t]*["']?ImageUpdateAutomation\b/m })
  const scan = scanRepository(root, inputs.automation.updatePath, { onAnyFile: collect })
  const { trace, runError } = traceCheckout(scan, inputs.automation, inputs.policies)
  const self = inputs.automation
  const others = otherAutomations(scan.root, self, read.objects)
  const rootPath = (file: string): string => relative(scan.root, join(scan.base, file)).split(sep).join('/')
  // A marker outside update.path may be another automation's (one automation per app).
  trace.entries = ownedElsewhere(trace.entries, others, rootPath, { id: `${self.namespace}/${self.name ?? ''}`, updatePath: self.updatePath ?? '' })
  const overlap = overlapFinding(scan, self, others, inputs.policies, trace.entries, rootPath)
  const updates = runError || trace.setters.error ? [] : planUpdate(trace, new Map(scan.files.map((f) => [f.path, f.text])))
  const run: MarkersRun = {
    automation: { namespace: inputs.automation.namespace, ...(inputs.automation.name ? { name: inputs.automation.name } : {}), updatePath: inputs.automation.updatePath ?? '', source: inputs.source },
    root,
    base: scan.base,
    filesRead: scan.files.length,
    entries: trace.entries,
    updates,
    findings: markerFindings(trace.entries, trace.setters, runError, updates, scan.unread),
    errors: inputs.errors,
  }
  if (overlap) run.findings.push(overlap)
  if (updates.length > 0) {
    run.commitMessage = renderCommitMessage(run.automation, inputs.automation.commit, updates)
    run.findings.push(...commitMessageFindings(run.commitMessage, inputs.source))
  }
  if (runError) run.runError = runError
  return run
}

/** The checkout's other automations, with what their update.paths cover (a path that does not resolve covers nothing). */
function otherAutomations(root: string, self: AutomationInputs['automation'], objects: readonly LintObject[]): (Owner & Writer & { namespace: string; spec: Record<string, unknown> })[] {
  const out: (Owner & Writer & { namespace: string; spec: Record<string, unknown> })[] = []
  for (const o of objects) {
    if (o.kind !== 'ImageUpdateAutomation' || (o.namespace === self.namespace && o.name === self.name)) continue
    const path = (o.spec.update as { path?: unknown } | undefined)?.path
    const updatePath = typeof path === 'string' ? path : ''
    try {
      out.push({ id: `${o.namespace}/${o.name}`, namespace: o.namespace, spec: o.spec, updatePath, covers: relative(root, secureJoin(root, updatePath)).split(sep).join('/'), git: gitTarget(o.namespace, o.spec) })
    } catch (e) {
      if (!(e instanceof SecureJoinError)) throw e
    }
  }
  return out
}

/**
 * FIA337: another automation of the checkout pushes to the same branch of the same
 * GitRepository and would rewrite markers this one rewrites (their update.paths nest).
 */
function overlapFinding(scan: RepoScan, self: AutomationInputs['automation'], others: ReturnType<typeof otherAutomations>, policies: readonly PolicyLike[], entries: readonly MarkerEntry[], rootPath: (file: string) => string): Finding | undefined {
  if (!self.git) return undefined
  const mine = new Set(entries.filter((e) => e.status !== 'ignored').map((e) => e.file))
  const me: Writer = { id: `${self.namespace}/${self.name ?? ''}`, updatePath: self.updatePath ?? '', covers: relative(scan.root, scan.updatePath).split(sep).join('/'), git: self.git }
  for (const o of others) {
    if (o.git.repository !== me.git.repository || o.git.branch !== me.git.branch) continue
    const files = scan.files.filter((f) => mine.has(f.path) && under(o.covers, rootPath(f.path)))
    if (files.length === 0) continue
    // What that automation would do with them: its namespace's policies, its selector.
    const theirs = traceMarkers({ namespace: o.namespace, name: o.id, ...(o.spec.policySelector ? { policySelector: o.spec.policySelector as LabelSelector } : {}) }, o.namespace === self.namespace ? policies : [], { files, skipped: [] })
    const shared = [...new Set(theirs.entries.filter((e) => e.status !== 'ignored' && mine.has(e.file)).map((e) => rootPath(e.file)))].sort()
    if (shared.length > 0) return finding('FIA337', overlapMessage(me, o, shared))
  }
  return undefined
}
