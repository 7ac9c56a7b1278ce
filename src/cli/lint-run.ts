// lint's I/O: read the image objects of the tree, scan it once per automation (as Flux
// would, from each update.path), and hand both to the pure lint core.

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
  const scans: AutomationScan[] = []
  const texts = new Map(read.texts)
  const scanned = new Map<string, RepoScan>()
  const scanOnce = (updatePath: string | undefined): RepoScan => {
    const key = updatePath ?? ''
    let scan = scanned.get(key)
    if (!scan) {
      scan = scanRepository(read.root, updatePath)
      scanned.set(key, scan)
      const prefix = relative(read.root, scan.base).split(sep).join('/')
      for (const f of [...scan.files, ...scan.skipped]) if (!f.path.startsWith('..')) texts.set(prefix ? `${prefix}/${f.path}` : f.path, f.text)
    }
    return scan
  }
  const automations = read.objects.filter((o) => o.kind === 'ImageUpdateAutomation')
  for (const o of automations) {
    const spec = o.spec as { update?: { path?: string; strategy?: string }; policySelector?: LabelSelector }
    const scan = scanOnce(spec.update?.path)
    scans.push({
      automation: { namespace: o.namespace, name: o.name, ...(spec.update?.path !== undefined ? { updatePath: spec.update.path } : {}), ...(spec.update?.strategy !== undefined ? { strategy: spec.update.strategy } : {}), ...(spec.policySelector ? { policySelector: spec.policySelector } : {}) },
      prefix: relative(read.root, scan.base).split(sep).join('/'),
      snapshot: scan,
    })
  }
  if (automations.length === 0) scans.push({ automation: { namespace: defaultNamespace }, prefix: '', snapshot: scanOnce(undefined) })
  const { result, findings } = lint({ objects: read.objects, unparsable: read.unparsable, scans, texts })
  return { path, filesRead: read.filesRead, result, findings }
}
