// A YAML file as image-automation-controller sees it: kyaml's ByteReader splits documents,
// yaml.v3 attaches comments to nodes, and the setter walk visits every scalar that is a
// mapping value or a sequence item (never a key).
//
// The `yaml` package parses; comment attachment is computed here from positions, with
// yaml.v3's rules, because the two libraries attach differently (for `key: # c` with the value
// on the next line, yaml.v3 gives the comment to the key, the `yaml` package to the value):
//  - a line comment belongs to the last node that ends on its line before it (closing flow
//    brackets may stand between: `args: ["x"] # c` belongs to "x");
//  - a head comment is the block of whole-line comments directly above a node's first line,
//    with no blank line between; it belongs to the first node that starts on that line.

import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Scalar } from 'yaml'
import { readResources } from '../yamlv3/kyaml.js'

export type ScalarRole = 'key' | 'value' | 'item'

export interface ScalarSite {
  doc: number
  role: ScalarRole
  node: Scalar
  /** Display path, e.g. spec.template.spec.containers[0].image */
  path: string
  /** The key this value belongs to (for values), for field-kind checks. */
  key?: string
  /** 1-based line and column where the scalar starts / ends. */
  line: number
  column: number
  endLine: number
  style: Scalar['type']
  value: string
  lineComment?: Comment
  headComment?: Comment
}

export interface Comment {
  /** 1-based line of the first comment line, column of its '#'. */
  line: number
  column: number
  /** As yaml.v3 stores it: the comment text including '#', lines joined by \n. */
  text: string
  lines: number
}

export interface ObjectId {
  apiVersion: string
  kind: string
  namespace: string
  name: string
}

export interface YamlDoc {
  id: ObjectId
  /** A mapping document (kyaml rejects scalars and sequences at the top). */
  isMapping: boolean
  isList: boolean
  node: Document.Parsed
}

export type ParseOutcome = { ok: true; file: YamlFile } | { ok: false; message: string; line?: number }

export interface YamlFile {
  text: string
  docs: YamlDoc[]
  scalars: ScalarSite[]
  /** Every comment, in file order; whole-line comment blocks are grouped. */
  comments: Comment[]
  /** Nodes that own a comment but are not scalars (flow or block collections), by comment line. */
  collectionLineComments: Set<number>
  lineCounter: LineCounter
}

/** Parses like kyaml's ByteReader would, or says why Flux would skip the file. */
export function parseYamlFile(raw: string): ParseOutcome {
  // kyaml normalises CRLF before parsing; a BOM is dropped.
  const text = raw.replace(/^\uFEFF/, '').replaceAll('\r\n', '\n')
  // Whether Flux reads the file at all is kyaml's and yaml.v3's decision, with their message.
  const flux = readResources(raw, '')
  if (!flux.ok) return { ok: false, message: flux.message, ...(flux.line !== undefined ? { line: flux.line } : {}) }
  // kyaml unwraps a List only when the file holds nothing else.
  const unwrapped = flux.resources.some((r) => r.fromList !== undefined)
  const lineCounter = new LineCounter()
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: false, strict: false, prettyErrors: false })
  const documents = Array.isArray(parsed) ? parsed : [parsed]
  const docs: YamlDoc[] = []
  for (const d of documents) {
    const err = d.errors[0]
    if (err) return { ok: false, message: err.message.split('\n')[0] ?? err.message, line: err.linePos?.[0]?.line }
    // An empty (or null) document: kyaml drops it.
    if (d.contents === null || (isScalar(d.contents) && d.contents.value === null && !d.contents.tag)) continue
    const isMapping = isMap(d.contents)
    if (!isMapping) return { ok: false, message: `a top-level ${isSeq(d.contents) ? 'sequence' : 'scalar'} (kyaml reads mapping documents only)`, line: lineCounter.linePos(d.contents.range?.[0] ?? 0).line }
    docs.push({ id: objectId(d), isMapping, isList: unwrapped && isListDoc(d), node: d })
  }
  const scalars: ScalarSite[] = []
  docs.forEach((d, i) => collectScalars(d.node.contents as Node, i, '', undefined, scalars, lineCounter))
  const comments = findComments(text, scalars)
  const collectionLineComments = attachComments(text, scalars, comments, lineCounter)
  return { ok: true, file: { text, docs, scalars, comments, collectionLineComments, lineCounter } }
}

function scalarString(d: Document.Parsed, key: string): string {
  const v = d.get(key)
  return v === undefined || v === null ? '' : String(v)
}

function objectId(d: Document.Parsed): ObjectId {
  const meta = d.get('metadata')
  const field = (k: string): string => (isMap(meta) ? String(meta.get(k) ?? '') : '')
  return { apiVersion: scalarString(d, 'apiVersion'), kind: scalarString(d, 'kind'), namespace: field('namespace'), name: field('name') }
}

/** The object a scalar belongs to: its document's, or for an unwrapped List its item's. */
export function objectIdAt(doc: YamlDoc, path: string): ObjectId {
  const item = /^items\[(\d+)\]/.exec(path)
  const items = doc.node.get('items')
  const node = doc.isList && item && isSeq(items) ? items.items[Number(item[1])] : undefined
  if (!isMap(node)) return doc.id
  const field = (m: unknown, k: string): string => (isMap(m) ? String(m.get(k) ?? '') : '')
  const meta = node.get('metadata')
  return { apiVersion: field(node, 'apiVersion'), kind: field(node, 'kind'), namespace: field(meta, 'namespace'), name: field(meta, 'name') }
}

function isListDoc(d: Document.Parsed): boolean {
  const kind = scalarString(d, 'kind')
  return (kind === 'List' || kind === 'ResourceList') && isSeq(d.get('items'))
}

function collectScalars(node: Node | null, doc: number, path: string, key: string | undefined, out: ScalarSite[], lc: LineCounter, role: ScalarRole = 'value'): void {
  if (node === null) return
  if (isScalar(node)) {
    out.push(site(node, doc, role, path, key, lc))
    return
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const k = isScalar(pair.key) ? String(pair.key.value) : '?'
      if (isScalar(pair.key)) out.push(site(pair.key, doc, 'key', path ? `${path}.${k}` : k, undefined, lc))
      collectScalars(pair.value as Node | null, doc, path ? `${path}.${k}` : k, k, out, lc)
    }
    return
  }
  if (isSeq(node)) node.items.forEach((item, i) => collectScalars(item as Node | null, doc, `${path}[${i}]`, key, out, lc, 'item'))
}

function site(node: Scalar, doc: number, role: ScalarRole, path: string, key: string | undefined, lc: LineCounter): ScalarSite {
  const [start, end] = node.range ?? [0, 0]
  const s = lc.linePos(start)
  const e = lc.linePos(Math.max(start, end - 1))
  const out: ScalarSite = { doc, role, node, path, line: s.line, column: s.col, endLine: e.line, style: node.type, value: node.value === null || node.value === undefined ? '' : String(node.value) }
  if (key !== undefined) out.key = key
  return out
}

const isBlock = (s: ScalarSite): boolean => s.style === 'BLOCK_LITERAL' || s.style === 'BLOCK_FOLDED'

// Comments: a '#' at the start of a line or after white space, outside every scalar. A block
// scalar's header line (`key: |  # c`) carries its own comment; its body is text.
function findComments(text: string, scalars: ScalarSite[]): Comment[] {
  const masked: [number, number][] = []
  for (const s of scalars) {
    const [start, end] = s.node.range ?? [0, 0]
    if (isBlock(s)) {
      // Only the body is text; the header line (and its comment) is scanned like any line.
      const headerEnd = text.indexOf('\n', start)
      masked.push([headerEnd < 0 ? end : headerEnd, end])
    } else {
      masked.push([start, end])
    }
  }
  masked.sort((a, b) => a[0] - b[0])
  const out: Comment[] = []
  let m = 0
  let lineStart = 0
  let lineNo = 1
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd < 0) lineEnd = text.length
    for (let i = lineStart; i < lineEnd; i++) {
      while (m < masked.length && (masked[m] as [number, number])[1] <= i) m++
      const mask = masked[m]
      if (mask && mask[0] <= i && i < mask[1]) {
        i = mask[1] - 1
        continue
      }
      if (text[i] === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        out.push({ line: lineNo, column: i - lineStart + 1, text: text.slice(i, lineEnd).replace(/[ \t]+$/, ''), lines: 1 })
        break
      }
    }
    if (lineEnd >= text.length) break
    lineStart = lineEnd + 1
    lineNo++
  }
  return out
}

// Gives each scalar its line and head comments (yaml.v3's LineComment and HeadComment) and
// returns the lines whose line comment belongs to a collection, not a scalar.
function attachComments(text: string, scalars: ScalarSite[], comments: Comment[], lc: LineCounter): Set<number> {
  const lines = text.split('\n')
  const isWholeLine = (c: Comment): boolean => (lines[c.line - 1] ?? '').slice(0, c.column - 1).trim() === ''
  // Last node ending on each line, and first node starting on each line.
  const lastOnLine = new Map<number, ScalarSite>()
  const firstOnLine = new Map<number, ScalarSite>()
  for (const s of scalars) {
    const zeroWidth = (s.node.range?.[0] ?? 0) === (s.node.range?.[1] ?? 0)
    if (zeroWidth) continue // an empty (null) value has no text to carry a comment
    const end = isBlock(s) ? s.line : s.endLine
    const last = lastOnLine.get(end)
    if (!last || (last.node.range?.[0] ?? 0) < (s.node.range?.[0] ?? 0)) lastOnLine.set(end, s)
    const first = firstOnLine.get(s.line)
    if (!first || (first.node.range?.[0] ?? 0) > (s.node.range?.[0] ?? 0)) firstOnLine.set(s.line, s)
  }
  const collections = new Set<number>()
  for (const c of comments) {
    if (isWholeLine(c)) continue
    const owner = lastOnLine.get(c.line)
    if (owner) {
      // Only white space and closing flow brackets may stand between the node and the comment,
      // or a flow ',' (yaml.v3's scanner ties a comment after ',' to the token before it).
      const commentAt = (lc.lineStarts[c.line - 1] ?? 0) + c.column - 1
      const between = isBlock(owner) ? '' : text.slice(owner.node.range?.[1] ?? 0, commentAt)
      // `key: # c` with the value below (or none): yaml.v3 gives the comment to the key.
      if (owner.role === 'key' ? /^\s*:\s*$/.test(between) : /^[\s\]}]*$/.test(between) || /^\s*,\s*$/.test(between)) {
        owner.lineComment = c
        continue
      }
    }
    collections.add(c.line)
  }
  // Head comments: whole-line comment blocks directly above a line, grouped.
  const blocks: Comment[] = []
  for (const c of comments) {
    if (!isWholeLine(c)) continue
    const prev = blocks[blocks.length - 1]
    if (prev && prev.line + prev.lines === c.line) {
      prev.text += '\n' + c.text
      prev.lines++
    } else {
      blocks.push({ ...c })
    }
  }
  comments.splice(0, comments.length, ...comments.filter((c) => !isWholeLine(c)), ...blocks)
  comments.sort((a, b) => a.line - b.line)
  for (const b of blocks) {
    const below = b.line + b.lines
    const owner = firstOnLine.get(below)
    if (owner) owner.headComment = b
  }
  return collections
}
