// Markers outside one automation's update.path that another automation of the repository
// covers: with one automation per app, every other app's markers lie outside each path, and
// they are that other automation's to rewrite, not a mistake (FIA336, info).

import type { MarkerEntry } from './trace.js'

/** Another automation of the checkout, with what its update.path covers (root-relative, "/"). */
export interface Owner {
  id: string
  /** spec.update.path as written ("" for the root). */
  updatePath: string
  /** The resolved update.path relative to the checkout root ("" for the root itself). */
  covers: string
}

/** Does the root-relative path `file` lie at or under the root-relative `dir`? */
export function under(dir: string, file: string): boolean {
  return dir === '' || file === dir || file.startsWith(dir + '/')
}

/**
 * FIA320 entries whose file another automation covers become FIA336. `rootPath` maps an
 * entry's file to its path relative to the checkout root.
 */
export function ownedElsewhere(entries: readonly MarkerEntry[], owners: readonly Owner[], rootPath: (file: string) => string, self: { id: string; updatePath: string }): MarkerEntry[] {
  return entries.map((e) => {
    if (e.reason?.code !== 'FIA320') return e
    const owner = owners.find((o) => under(o.covers, rootPath(e.file)))
    if (!owner) return e
    return { ...e, reason: { code: 'FIA336', message: `the file is outside update.path (${self.updatePath || '.'}) of ${self.id}, and automation ${owner.id} (update.path ${owner.updatePath || '.'}) covers it` } }
  })
}

/** Where an automation's commits go: its GitRepository (namespace/name) and the branch it pushes. */
export interface GitTarget {
  repository: string
  /** push.branch, else the checkout branch; "" for the GitRepository's own branch. */
  branch: string
}

/** The push target of an ImageUpdateAutomation spec, as Flux infers it. */
export function gitTarget(namespace: string, spec: unknown): GitTarget {
  const s = (spec ?? {}) as { sourceRef?: { name?: unknown; namespace?: unknown }; git?: { checkout?: { ref?: { branch?: unknown } }; push?: { branch?: unknown } } }
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)
  return {
    repository: `${str(s.sourceRef?.namespace) ?? namespace}/${str(s.sourceRef?.name) ?? ''}`,
    branch: str(s.git?.push?.branch) ?? str(s.git?.checkout?.ref?.branch) ?? '',
  }
}

export interface Writer {
  id: string
  updatePath: string
  /** The resolved update.path relative to the checkout root ("" for the root). */
  covers: string
  git: GitTarget
}

/**
 * Two automations that push to the same branch of the same GitRepository and rewrite the same
 * files (their update.paths nest, or are equal): FIA337's message, naming both and the
 * overlapping path.
 */
export function overlapMessage(a: Writer, b: Writer, files: readonly string[]): string {
  const inner = a.covers.length >= b.covers.length ? a : b
  const branch = a.git.branch ? `branch ${a.git.branch}` : 'the branch'
  const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? `, and ${files.length - 5} more` : '')
  return `automations ${a.id} (update.path ${a.updatePath || '.'}) and ${b.id} (update.path ${b.updatePath || '.'}) both rewrite ${files.length} file(s) under ${inner.updatePath || '.'} and push them to ${branch} of GitRepository ${a.git.repository}: ${shown}; their commits race, and each may undo the other's`
}
