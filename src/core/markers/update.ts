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
  /**
   * The file name Flux's Result files these objects' changes under: the file, or '' for the
   * items of an unwrapped List, which kyaml reads with no path annotation.
   */
  recordedAs: string
}

export function planUpdate(trace: TraceResult, originals: Map<string, string>): FileUpdate[] {
  const out: FileUpdate[] = []
  // Flux's setAll keeps every resource whose path annotation is among the changed ones. List
  // items all share the empty one: once any of them changes, every List file's items are written.
  const listChanged = trace.files.some((f) => f.writes.some((w) => f.parsed?.docs[w.site.doc]?.isList))
  for (const f of trace.files) {
    if (!f.parsed) continue
    if (f.writes.length === 0) {
      if (!listChanged || !f.parsed.docs.some((d) => d.isList)) continue
      const written = rewriteFile(originals.get(f.path) ?? f.parsed.text, f.path, f.sets)
      if (!written.ok) throw new Error(`${f.path}: ${written.message}`)
      for (const w of written.files) out.push({ file: w.path, original: w.original, rewrite: w.rewrite, objects: [], recordedAs: '' })
      continue
    }
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
    for (const w of written.files) {
      if (w.path === f.path) out.push({ file: w.path, original: w.original, rewrite: w.rewrite, objects, recordedAs: f.path })
      else out.push({ file: w.path, original: w.original, rewrite: w.rewrite, objects: objects.filter((o) => defaultPath(o.object) === w.path), recordedAs: '' })
    }
  }
  // Flux's commit template ranges over FileChanges, a map: Go sorts its string keys.
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

/**
 * Result.FileChanges as Flux fills it (AddChange: file → object → changes appended), sorted
 * by file as Go's template ranges over the map; files with no change are left out.
 */
export function recordedChanges(updates: readonly Pick<FileUpdate, 'recordedAs' | 'objects'>[]): { file: string; objects: ObjectChanges[] }[] {
  const byFile = new Map<string, ObjectChanges[]>()
  for (const u of updates) {
    if (u.objects.length === 0) continue
    const objects = byFile.get(u.recordedAs) ?? []
    byFile.set(u.recordedAs, objects)
    for (const o of u.objects) {
      const at = objects.find((x) => sameObject(x.object, o.object))
      if (at) for (const c of o.changes) at.changes.push(c)
      else objects.push({ object: o.object, changes: [...o.changes] })
    }
  }
  return [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, objects]) => ({ file, objects }))
}

function sameObject(a: ObjectId, b: ObjectId): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name
}

// kioutil.CreatePathAnnotationValue, where kyaml writes an object that has no file.
function defaultPath(o: ObjectId): string {
  const file = `${o.kind.toLowerCase()}_${o.name}.yaml`
  return o.namespace ? `${o.namespace}/${file}` : file
}
