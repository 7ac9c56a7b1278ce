// A YAML file as image-automation-controller sees it, read once by the yaml.v3 and kyaml port
// (src/core/yamlv3): kyaml's ByteReader splits the documents and unwraps a List, yaml.v3
// attaches the comments, and the setter walk visits every scalar that is a mapping value or a
// sequence item (never a key). A marker belongs to the scalar whose LineComment or HeadComment
// yaml.v3 gives it, exactly as kyaml's setter reads it.
//
// Near misses need comments the node model does not place (a marker after a collection, or
// standing apart), so comments are also found in the text, outside every scalar, and located:
// a node's comment is the first comment after it with its text (a line comment) or the block of
// whole-line comments above it with its text (a head comment).

import { Kind, Style, type YNode } from '../yamlv3/node.js'
import { field, type KResource, readResources } from '../yamlv3/kyaml.js'
import { YAML_LIMIT_HINT, YamlLimitError } from '../yaml/limits.js'
import { CodedError } from '../tool-error.js'

export type ScalarRole = 'key' | 'value' | 'item'

export interface ScalarSite {
  /** Index into YamlFile.docs: the resource (document, or unwrapped List item) it is in. */
  doc: number
  role: ScalarRole
  node: YNode
  /** Display path, e.g. spec.template.spec.containers[0].image */
  path: string
  /** The key this value belongs to (for values), for field-kind checks. */
  key?: string
  /** 1-based line and UTF-16 column where the scalar (with its tag or anchor) starts. */
  line: number
  column: number
  /** 1-based line where it ends, and the UTF-16 offset just past it in the LF-normalised text. */
  endLine: number
  end: number
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
  /** An item of a kind: List file that kyaml unwrapped (Flux writes it to a file of its own). */
  isList: boolean
  resource: KResource
}

export type ParseOutcome = { ok: true; file: YamlFile } | { ok: false; message: string; line?: number }

export interface YamlFile {
  /** The LF-normalised text, without a byte order mark. */
  text: string
  docs: YamlDoc[]
  scalars: ScalarSite[]
  /** Every comment, in file order; whole-line comment blocks are grouped. */
  comments: Comment[]
  /** Lines whose trailing comment belongs to no scalar (it follows a collection). */
  collectionLineComments: Set<number>
}

/**
 * Reads like kyaml's ByteReader, or says why Flux would skip the file. A file past the tool's
 * YAML limits (README, Limits) is `ERR_YAML`, naming `source`: Flux would read it (go-yaml v3
 * nests to 10,000 levels), so it is not one Flux skips.
 */
export function parseYamlFile(raw: string, source: string): ParseOutcome {
  const read = readOrRefuse(raw, source)
  if (!read.ok) return { ok: false, message: read.message, ...(read.line !== undefined ? { line: read.line } : {}) }
  const text = read.text
  const lineStarts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1)
  const docs: YamlDoc[] = []
  const scalars: ScalarSite[] = []
  let item = 0
  for (const r of read.resources) {
    const doc = docs.length
    docs.push({ id: objectId(r.root), isList: r.fromList !== undefined, resource: r })
    // A List item keeps the path it has in its file.
    const prefix = r.fromList ? `items[${item++}]` : ''
    collect(r, r.root, doc, prefix, undefined, 'value', scalars, lineStarts)
  }
  const comments = findComments(text, scalars, lineStarts)
  const collectionLineComments = attachComments(text, scalars, comments, lineStarts)
  return { ok: true, file: { text, docs, scalars, comments, collectionLineComments } }
}

function readOrRefuse(raw: string, source: string): ReturnType<typeof readResources> {
  try {
    return readResources(raw, '')
  } catch (e) {
    if (e instanceof YamlLimitError) throw new CodedError('ERR_YAML', `${source}${e.line !== undefined ? `:${e.line}` : ''}: ${e.reason}`, YAML_LIMIT_HINT)
    throw e
  }
}

function scalarField(mapping: YNode | undefined, key: string): string {
  const v = mapping && field(mapping, key)
  return v && v.kind === Kind.Scalar && v.tag !== '!!null' ? v.value : ''
}

function objectId(root: YNode): ObjectId {
  const meta = field(root, 'metadata')
  return { apiVersion: scalarField(root, 'apiVersion'), kind: scalarField(root, 'kind'), namespace: scalarField(meta, 'namespace'), name: scalarField(meta, 'name') }
}

function collect(r: KResource, node: YNode, doc: number, path: string, key: string | undefined, role: ScalarRole, out: ScalarSite[], lineStarts: number[]): void {
  if (node.kind === Kind.Scalar) {
    out.push(site(r, node, doc, role, path, key, lineStarts))
  } else if (node.kind === Kind.Mapping) {
    for (let i = 0; i + 1 < node.content.length; i += 2) {
      const k = node.content[i] as YNode
      const name = k.kind === Kind.Scalar ? k.value : '?'
      const at = path ? `${path}.${name}` : name
      if (k.kind === Kind.Scalar) out.push(site(r, k, doc, 'key', at, undefined, lineStarts))
      collect(r, node.content[i + 1] as YNode, doc, at, name, 'value', out, lineStarts)
    }
  } else if (node.kind === Kind.Sequence) {
    node.content.forEach((c, i) => collect(r, c, doc, `${path}[${i}]`, key, 'item', out, lineStarts))
  }
}

function site(r: KResource, node: YNode, doc: number, role: ScalarRole, path: string, key: string | undefined, lineStarts: number[]): ScalarSite {
  const start = r.offset + r.utf16(node.start.index)
  const end = r.offset + r.utf16(node.end.index)
  const line = node.line + r.lineOffset
  const out: ScalarSite = { doc, role, node, path, line, column: start - (lineStarts[line - 1] ?? 0) + 1, endLine: lineOf(lineStarts, Math.max(start, end - 1)), end, value: node.value }
  if (key !== undefined) out.key = key
  return out
}

function lineOf(lineStarts: number[], offset: number): number {
  let lo = 0
  let hi = lineStarts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((lineStarts[mid] as number) <= offset) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}

const isBlock = (s: ScalarSite): boolean => (s.node.style & (Style.Literal | Style.Folded)) !== 0

// Comments in the text: a '#' at the start of a line or after white space, outside every
// scalar. A block scalar's header line (`key: |  # c`) carries its own comment; its body is text.
function findComments(text: string, scalars: ScalarSite[], lineStarts: number[]): Comment[] {
  const masked: [number, number][] = []
  for (const s of scalars) {
    const start = (lineStarts[s.line - 1] ?? 0) + s.column - 1
    if (isBlock(s)) {
      const headerEnd = text.indexOf('\n', start)
      masked.push([headerEnd < 0 ? s.end : headerEnd, s.end])
    } else {
      masked.push([start, s.end])
    }
  }
  masked.sort((a, b) => a[0] - b[0])
  const out: Comment[] = []
  let m = 0
  for (let n = 0; n < lineStarts.length; n++) {
    const lineStart = lineStarts[n] as number
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd < 0) lineEnd = text.length
    const hash = text.indexOf('#', lineStart)
    if (hash < 0 || hash >= lineEnd) continue
    for (let i = hash; i < lineEnd; i++) {
      while (m < masked.length && (masked[m] as [number, number])[1] <= i) m++
      const mask = masked[m]
      if (mask && mask[0] <= i && i < mask[1]) {
        i = mask[1] - 1
        continue
      }
      if (text[i] === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        out.push({ line: n + 1, column: i - lineStart + 1, text: text.slice(i, lineEnd).replace(/[ \t]+$/, ''), lines: 1 })
        break
      }
    }
  }
  return out
}

// Gives each scalar the line and head comments yaml.v3 gave its node, located in the text,
// groups whole-line comments into blocks, and returns the lines of trailing comments that no
// scalar owns.
function attachComments(text: string, scalars: ScalarSite[], comments: Comment[], lineStarts: number[]): Set<number> {
  const isWholeLine = (c: Comment): boolean => text.slice(lineStarts[c.line - 1] ?? 0, (lineStarts[c.line - 1] ?? 0) + c.column - 1).trim() === ''
  const trailing = comments.filter((c) => !isWholeLine(c))
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
  // Comments indexed by text, each list in line order, so that every scalar finds its own
  // by binary search: a file of 10,000 markers stays linear.
  const byFirstLine = indexBy([...trailing, ...blocks].sort((a, b) => a.line - b.line), (c) => [firstLine(c.text)])
  const byBlockLine = indexBy(blocks, (b) => b.text.split('\n'))
  const owned = new Set<Comment>()
  for (const s of scalars) {
    const line = firstLine(s.node.lineComment)
    if (line !== '') {
      // A line comment follows its node: the first comment after it with its text.
      const list = byFirstLine.get(line) ?? []
      const c = list[firstAtOrAfter(list, s.line)]
      if (c) owned.add(c)
      s.lineComment = { line: c?.line ?? s.line, column: c?.column ?? s.column, text: s.node.lineComment, lines: 1 }
    }
    if (s.node.headComment !== '') {
      // A head comment ends above its node: the nearest block there holding its last line.
      // yaml.v3 ends it with "\n" when a blank line separates it from the node.
      const lines = s.node.headComment.replace(/\n+$/, '').split('\n')
      const last = lines[lines.length - 1] as string
      const list = byBlockLine.get(last) ?? []
      const found = list[firstAtOrAfter(list, s.line) - 1]
      if (found) owned.add(found)
      const at = found ? found.line + Math.max(found.text.split('\n').lastIndexOf(last) - (lines.length - 1), 0) : s.line - lines.length
      s.headComment = { line: at, column: found?.column ?? s.column, text: s.node.headComment, lines: lines.length }
    }
  }
  const all = trailing.concat(blocks).sort((a, b) => a.line - b.line)
  comments.length = 0
  for (const c of all) comments.push(c)
  return new Set(trailing.filter((c) => !owned.has(c)).map((c) => c.line))
}

// Comments (in line order) under each key they hold, each list still in line order.
function indexBy(comments: readonly Comment[], keys: (c: Comment) => string[]): Map<string, Comment[]> {
  const out = new Map<string, Comment[]>()
  for (const c of comments) {
    for (const k of new Set(keys(c))) {
      const list = out.get(k)
      if (list) list.push(c)
      else out.set(k, [c])
    }
  }
  return out
}

/** The index of the first comment on `line` or after it, in a list in line order. */
function firstAtOrAfter(list: readonly Comment[], line: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((list[mid] as Comment).line < line) lo = mid + 1
    else hi = mid
  }
  return lo
}

function firstLine(comment: string): string {
  const nl = comment.indexOf('\n')
  return nl < 0 ? comment : comment.slice(0, nl)
}
