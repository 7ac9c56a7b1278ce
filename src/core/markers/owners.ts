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
