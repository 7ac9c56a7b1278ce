// One file through image-automation-controller v1.2.1's update: kyaml reads it, the setters
// replace the marked values (and reformat every marked value, changed or not), and kyaml's
// writer re-encodes each resource through yaml.v3 into the file it belongs to.

import { append } from '../append.js'
import { Kind, type YNode } from './node.js'
import { applySetter, type KResource, readResources, writeResources } from './kyaml.js'

/** A marked scalar and the value its setter writes, located as the trace locates it. */
export interface SetterSite {
  /** 1-based line in the file and 1-based UTF-16 column where the value starts. */
  line: number
  column: number
  /** UTF-16 offset just past the value in the LF-normalised file (anchors and tags precede the value). */
  end: number
  value: string
}

export type FluxUpdate = { ok: true; outputs: { path: string; text: string }[] } | { ok: false; message: string; line?: number }

/**
 * The files Flux writes for `raw` (read from `path`) when `sites` are set: the file itself, or
 * for an unwrapped List the items' default paths. Sites that match no scalar are ignored.
 */
export function fluxUpdate(raw: string, path: string, sites: readonly SetterSite[], isYaml11NonString: (v: string) => boolean): FluxUpdate {
  const read = readResources(raw, path)
  if (!read.ok) return read
  const lines = read.text.split('\n')
  const byStart = new Map(sites.map((s) => [`${s.line}:${s.column}`, s.value]))
  const byEnd = new Map(sites.map((s) => [s.end, s.value]))
  for (const r of read.resources) {
    visitSettable(r.root, (node) => {
      const line = node.line + r.lineOffset
      const value = byEnd.get(r.offset + r.utf16(node.end.index)) ?? byStart.get(`${line}:${utf16Column(lines[line - 1] ?? '', node.column)}`)
      if (value !== undefined) applySetter(node, value, isYaml11NonString)
    })
  }
  const byPath = new Map<string, KResource[]>()
  for (const r of read.resources) append(byPath, r.path, r)
  const outputs = [...byPath].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, rs]) => ({ path: p, text: writeResources(rs) }))
  return { ok: true, outputs }
}

// The setter filter visits mapping values and sequence items, never keys (filter.go accept).
function visitSettable(node: YNode, fn: (scalar: YNode) => void): void {
  if (node.kind === Kind.Scalar) {
    fn(node)
  } else if (node.kind === Kind.Mapping) {
    for (let i = 1; i < node.content.length; i += 2) visitSettable(node.content[i] as YNode, fn)
  } else if (node.kind === Kind.Sequence) {
    for (const c of node.content) visitSettable(c, fn)
  }
}

function utf16Column(line: string, codePointColumn: number): number {
  if (!/[\uD800-\uDBFF]/.test(line)) return codePointColumn
  return Array.from(line).slice(0, codePointColumn - 1).join('').length + 1
}
