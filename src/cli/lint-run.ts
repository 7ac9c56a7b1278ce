// lint's I/O: read the image objects of the tree, scan the whole tree once for markers and
// each automation's update.path as Flux would, and hand it all to the pure lint core.

import { existsSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { lintTarget, objectCollector } from '../adapters/repo-objects.js'
import { type RepoScan, scanRepository, SecureJoinError, secureJoin } from '../adapters/repo-files.js'
import type { Finding } from '../core/findings/types.js'
import { lint } from '../core/lint/index.js'
import type { AutomationScan, LintResult } from '../core/lint/types.js'
import { automationFromObject } from './automation-inputs.js'
import { fluxVersionOfTree } from '../adapters/flux-install.js'
import type { FluxVersion } from '../core/flux/detect.js'

export interface LintRun {
  path: string
  /** The linted directory, as a real path: findings' files are relative to it. */
  root: string
  filesRead: number
  result: LintResult
  findings: Finding[]
}

/** `fluxVersion`: --flux-version, else what the tree's gotk-components.yaml installs. */
export function runLint(path: string, defaultNamespace: string, fluxVersion?: FluxVersion): LintRun {
  const { root, file } = lintTarget(path)
  const version = fluxVersion ?? fluxVersionOfTree(root)
  const { read, collect } = objectCollector(defaultNamespace)
  // One walk of the whole tree (as an automation at its root would read it) finds every
  // marker and hands every file to the object reader; each automation then reads only its
  // own update.path (once per distinct path), as Flux does. For a FILE the whole directory
  // is read too, as context, and only the file is judged.
  const everything = scanRepository(root, undefined, { onFile: collect })
  // The files ignore comments may sit in: those with objects, and those with markers.
  const texts = new Map(read.texts)
  for (const f of [...everything.files, ...everything.skipped]) texts.set(f.path, f.text)
  const byPath = new Map<string, RepoScan>()
  const scans: AutomationScan[] = read.objects
    .filter((o) => o.kind === 'ImageUpdateAutomation')
    .map((o) => {
      const automation = automationFromObject({ metadata: { name: o.name, namespace: o.namespace }, spec: o.spec }, o.namespace)
      const key = automation.updatePath ?? ''
      let scan = byPath.get(key)
      if (!scan) byPath.set(key, (scan = scanRepository(root, automation.updatePath, { outside: false })))
      const missing = missingPath(root, automation.updatePath, scan)
      return { automation, prefix: relative(root, scan.base).split(sep).join('/'), snapshot: scan, unread: scan.unread, object: { file: o.file, line: o.line }, covers: relative(root, scan.updatePath).split(sep).join('/'), ...(missing ? { missingPath: missing } : {}) }
    })
  const { result, findings } = lint({ objects: read.objects, gitRepositories: read.gitRepositories, layout: read.layout, unparsable: read.unparsable, scans, everything, unread: everything.unread, defaultNamespace, texts, ...(version ? { fluxVersion: version } : {}), ...(file !== undefined ? { only: file } : {}) })
  return { path, root, filesRead: read.filesRead, result, findings }
}

/**
 * Flux's run error when update.path does not resolve under the linted directory: the error of
 * a missing path or a symlink loop (an unreadable entry is FIA344). When the directory lies
 * inside a Git work tree but is not its top, update.path is relative to that top, so a path
 * found there is not missing.
 */
function missingPath(root: string, updatePath: string | undefined, scan: RepoScan): string | undefined {
  if (scan.runError === undefined || scan.unread.some((u) => u.fluxError === scan.runError)) return undefined
  const top = gitTop(root)
  if (top !== undefined && top !== root) {
    try {
      if (existsSync(secureJoin(top, updatePath ?? ''))) return undefined
    } catch (e) {
      if (!(e instanceof SecureJoinError)) throw e
    }
  }
  return scan.runError
}

/** The nearest directory at or above `dir` that holds .git. */
function gitTop(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d
    if (dirname(d) === d) return undefined
  }
}
