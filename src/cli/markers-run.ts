// The pipeline trace and preview share: read the inputs, scan the checkout, trace, plan.

import { scanRepository } from '../adapters/repo-files.js'
import type { Finding } from '../core/findings/types.js'
import { markerFindings } from '../core/markers/findings.js'
import { traceMarkers, type MarkerEntry } from '../core/markers/trace.js'
import { type FileUpdate, planUpdate } from '../core/markers/update.js'
import { resolveAutomation } from './automation-inputs.js'

export interface MarkersRun {
  automation: { namespace: string; name?: string; updatePath: string; source: string }
  root: string
  base: string
  filesRead: number
  entries: MarkerEntry[]
  updates: FileUpdate[]
  findings: Finding[]
  runError?: string
}

export async function runMarkers(root: string, flags: Parameters<typeof resolveAutomation>[0]): Promise<MarkersRun> {
  const inputs = await resolveAutomation(flags)
  const scan = scanRepository(root, inputs.automation.updatePath)
  const strategy = inputs.automation.strategy
  if (strategy !== undefined && strategy !== 'Setters') scan.runError = `unsupported update strategy: ${strategy}`
  const trace = traceMarkers(inputs.automation, inputs.policies, scan)
  const updates = scan.runError || trace.setters.error ? [] : planUpdate(trace, new Map(scan.files.map((f) => [f.path, f.text])))
  const run: MarkersRun = {
    automation: { namespace: inputs.automation.namespace, ...(inputs.automation.name ? { name: inputs.automation.name } : {}), updatePath: inputs.automation.updatePath ?? '', source: inputs.source },
    root,
    base: scan.base,
    filesRead: scan.files.length,
    entries: trace.entries,
    updates,
    findings: markerFindings(trace.entries, trace.setters, scan.runError, updates),
  }
  if (scan.runError) run.runError = scan.runError
  return run
}
