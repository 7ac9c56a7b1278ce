// lint's I/O: read the image objects of the tree, scan the whole tree once for markers and
// each automation's update.path as Flux would, and hand it all to the pure lint core.

import { relative, sep } from 'node:path'
import { readRepositoryObjects } from '../adapters/repo-objects.js'
import { type RepoScan, scanRepository } from '../adapters/repo-files.js'
import type { Finding } from '../core/findings/types.js'
import { lint } from '../core/lint/index.js'
import type { AutomationScan, LintResult } from '../core/lint/types.js'
import type { LabelSelector } from '../core/markers/setters.js'

export interface LintRun {
  path: string
  filesRead: number
  result: LintResult
  findings: Finding[]
}

export function runLint(path: string, defaultNamespace: string): LintRun {
  const read = readRepositoryObjects(path, defaultNamespace)
  const texts = new Map(read.texts)
  const prefixOf = (scan: RepoScan): string => relative(read.root, scan.base).split(sep).join('/')
  const keepTexts = (scan: RepoScan): void => {
    const prefix = prefixOf(scan)
    for (const f of [...scan.files, ...scan.skipped]) texts.set(prefix ? `${prefix}/${f.path}` : f.path, f.text)
  }
  // One walk of the whole tree finds every marker; each automation then reads only its own
  // update.path (once per distinct path), as Flux does.
  const everything = scanRepository(read.root, undefined)
  keepTexts(everything)
  const byPath = new Map<string, RepoScan>()
  const scans: AutomationScan[] = read.objects
    .filter((o) => o.kind === 'ImageUpdateAutomation')
    .map((o) => {
      const spec = o.spec as { update?: { path?: string; strategy?: string }; policySelector?: LabelSelector }
      const key = spec.update?.path ?? ''
      let scan = byPath.get(key)
      if (!scan) byPath.set(key, (scan = scanRepository(read.root, spec.update?.path, false)))
      return {
        automation: { namespace: o.namespace, name: o.name, ...(spec.update?.path !== undefined ? { updatePath: spec.update.path } : {}), ...(spec.update?.strategy !== undefined ? { strategy: spec.update.strategy } : {}), ...(spec.policySelector ? { policySelector: spec.policySelector } : {}) },
        prefix: prefixOf(scan),
        snapshot: scan,
      }
    })
  const { result, findings } = lint({ objects: read.objects, unparsable: read.unparsable, scans, everything, defaultNamespace, texts })
  return { path, filesRead: read.filesRead, result, findings }
}
