// The pipeline trace and preview share: read the inputs, scan the checkout, trace, plan.

import { type RepoScan, scanRepository } from '../adapters/repo-files.js'
import type { Finding, ToolError } from '../core/findings/types.js'
import { commitMessageFindings, markerFindings } from '../core/markers/findings.js'
import { type CommitMessage, renderCommitMessage } from '../core/markers/commit-message.js'
import type { PolicyLike } from '../core/markers/setters.js'
import { type MarkerEntry, type TraceResult, traceMarkers } from '../core/markers/trace.js'
import { type FileUpdate, planUpdate } from '../core/markers/update.js'
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
export function traceCheckout(scan: RepoScan, automation: AutomationInputs['automation'], policies: readonly PolicyLike[]): { trace: TraceResult; runError?: string } {
  const strategy = automation.strategy
  const runError = strategy !== undefined && strategy !== 'Setters' ? `unsupported update strategy: ${strategy}` : scan.runError
  return { trace: traceMarkers(automation, policies, scan), ...(runError !== undefined ? { runError } : {}) }
}

export async function runMarkers(root: string, flags: Parameters<typeof resolveAutomation>[0]): Promise<MarkersRun> {
  const inputs = await resolveAutomation(flags)
  const scan = scanRepository(root, inputs.automation.updatePath)
  const { trace, runError } = traceCheckout(scan, inputs.automation, inputs.policies)
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
  if (updates.length > 0) {
    run.commitMessage = renderCommitMessage(run.automation, inputs.automation.commit, updates)
    run.findings.push(...commitMessageFindings(run.commitMessage, inputs.source))
  }
  if (runError) run.runError = runError
  return run
}
