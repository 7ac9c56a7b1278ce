// The commit Flux would make: the files it writes and the change list it records
// (update.Result: file → object → changes in traversal order), only for real changes.

import { rewriteFile, type Rewrite } from './rewrite.js'
import type { TraceResult } from './trace.js'
import type { ObjectId } from './yaml-file.js'

export interface Change {
  oldValue: string
  newValue: string
  setter: string
}

export interface ObjectChanges {
  object: ObjectId
  changes: Change[]
}

export interface FileUpdate {
  /** Relative to update.path. */
  file: string
  original: string
  rewrite: Rewrite
  objects: ObjectChanges[]
}

export function planUpdate(trace: TraceResult, originals: Map<string, string>): FileUpdate[] {
  const out: FileUpdate[] = []
  for (const f of trace.files) {
    if (f.writes.length === 0 || !f.parsed) continue
    const objects: ObjectChanges[] = []
    for (const w of f.writes) {
      const id = f.parsed.docs[w.site.doc]?.id as ObjectId
      let entry = objects.find((o) => sameObject(o.object, id))
      if (!entry) objects.push((entry = { object: id, changes: [] }))
      entry.changes.push({ oldValue: w.site.value, newValue: w.next, setter: w.setter.name })
    }
    const original = originals.get(f.path) ?? f.parsed.text
    const written = rewriteFile(original, f.path, f.sets)
    // The trace read the file as Flux does, so Flux's own reader accepts it.
    if (!written.ok) throw new Error(`${f.path}: ${written.message}`)
    // An unwrapped List's items go to their own files: each file lists its own object's changes.
    for (const w of written.files) out.push({ file: w.path, original: w.original, rewrite: w.rewrite, objects: w.path === f.path ? objects : objects.filter((o) => defaultPath(o.object) === w.path) })
  }
  // Flux's commit template ranges over FileChanges, a map: Go sorts its string keys.
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

function sameObject(a: ObjectId, b: ObjectId): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name
}

// kioutil.CreatePathAnnotationValue, where kyaml writes an object that has no file.
function defaultPath(o: ObjectId): string {
  const file = `${o.kind.toLowerCase()}_${o.name}.yaml`
  return o.namespace ? `${o.namespace}/${file}` : file
}
