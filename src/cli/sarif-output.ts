// What SARIF needs from the command line's world: where the files are relative to the
// directory the command runs in (GitHub resolves URIs against the repository root, where a
// workflow runs the command), and the object each finding's line sits in.

import { readFileSync, realpathSync } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Finding, Subject } from '../core/findings/types.js'
import { parseAllDocuments } from 'yaml'

/** Files relative to `base` (a real path) as SARIF artifact locations. */
export function artifactUnder(base: string): (file: string) => { uri: string; uriBaseId?: string } {
  const cwd = realpathSync(process.cwd())
  return (file) => {
    const abs = join(base, file)
    const rel = relative(cwd, abs)
    if (rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(abs).href }
    return { uri: encodeURI(rel.split(sep).join('/')), uriBaseId: '%SRCROOT%' }
  }
}

/**
 * The Kubernetes object whose YAML document holds a finding's location (a marker's Deployment,
 * say), read from the file under `base`; findings that name their subject keep it.
 */
export function objectAt(base: string): (f: Finding) => Subject | undefined {
  const docs = new Map<string, { start: number; end: number; subject?: Subject }[]>()
  const read = (file: string) => {
    let found = docs.get(file)
    if (found) return found
    found = []
    try {
      const text = readFileSync(join(base, file), 'utf8')
      const lineStarts = [0]
      for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1)
      for (const doc of parseAllDocuments(text)) {
        if (!('contents' in doc) || !doc.range) continue
        const o = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null
        const start = lineStarts.findLastIndex((s) => s <= doc.range[0]) + 1
        const end = lineStarts.findLastIndex((s) => s <= doc.range[2]) + 1
        const subject =
          typeof o?.kind === 'string' && typeof o.metadata?.name === 'string'
            ? { kind: o.kind, ...(typeof o.metadata.namespace === 'string' ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name }
            : undefined
        found.push({ start, end, ...(subject ? { subject } : {}) })
      }
    } catch {
      // A file that cannot be read or parsed here names no object; the result keeps its file and line.
    }
    docs.set(file, found)
    return found
  }
  return (f) => {
    const line = f.location?.line
    if (!f.location || line === undefined) return undefined
    return read(f.location.file).find((d) => d.start <= line && line <= d.end)?.subject
  }
}
