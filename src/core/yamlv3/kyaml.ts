// What kyaml v0.21.1 does around yaml.v3 when image-automation-controller reads and writes a
// file (kio.ByteReader with PreserveSeqIndent, the Setters filter, kio.LocalPackageWriter →
// kio.ByteWriter):
//  - the text is split on `\n---…\n` lines (CRLF first becomes LF) and only the first document
//    of each piece is decoded; empty and null documents are dropped;
//  - a single-document `kind: List` (or ResourceList) with items is unwrapped: its items lose
//    their file and are written to `<namespace>/<kind>_<name>.yaml`;
//  - each resource remembers the sequence indentation of its piece (DeriveSeqIndentStyle);
//  - the reader's annotations come and go, and ClearEmptyAnnotations deletes empty or null
//    metadata.annotations (and a metadata left empty) along the way;
//  - the writer encodes every resource of a file with indent 2, compact or wide sequences as
//    remembered, documents joined by `---`.

import { Kind, NULL_TAG, STR_TAG, Style, type YNode } from './node.js'
import { decodeFirst } from './parser.js'
import { Encoder } from './encoder.js'
import { limitReason, YamlLimitError, YAML_LIMITS } from '../yaml/limits.js'

export interface KResource {
  /** What kyaml encodes: the decoded document, or an unwrapped item. */
  doc: YNode
  /** The top-level mapping. */
  root: YNode
  /** The file the resource is written to: its own, or kyaml's default path for a List item. */
  path: string
  /** 0-based line of the resource's piece in the file (node lines are relative to it). */
  lineOffset: number
  /** UTF-16 offset of the piece in the (LF-normalised) file, and code-point → UTF-16 map. */
  offset: number
  utf16: (codePointIndex: number) => number
  seqIndent: 'compact' | 'wide'
  /** Set when the resource is an item of an unwrapped List. */
  fromList?: { kind: string; apiVersion: string }
}

export type ReadOutcome = { ok: true; text: string; resources: KResource[] } | { ok: false; message: string; line?: number }

const SEPARATOR = /\n---[^\n]*\n/g

/**
 * kio.ByteReader.Read over one file (the path is where its resources are written back). Past
 * the tool's YAML limits (../yaml/limits.ts) it throws YamlLimitError, with the file's line.
 */
export function readResources(raw: string, path: string): ReadOutcome {
  if (raw.length > YAML_LIMITS.size) throw new YamlLimitError(limitReason.size(raw.length))
  // yaml.v3's reader drops a leading byte order mark.
  const text = raw.replace(/^\uFEFF/, '').replaceAll('\r\n', '\n')
  const pieces: { text: string; offset: number }[] = []
  if (text.length > 0) {
    let prev = 0
    for (const m of text.matchAll(SEPARATOR)) {
      const rest = m[0].slice(4).trim()
      if (rest.length > 0 && rest[0] !== '#') return { ok: false, message: `invalid document separator: ${m[0].trim()}`, line: lineAt(text, m.index + 1) }
      pieces.push({ text: text.slice(prev, m.index), offset: prev })
      if (pieces.length >= YAML_LIMITS.documents) throw new YamlLimitError(limitReason.documents(), lineAt(text, m.index + 1))
      prev = m.index + m[0].length
    }
    pieces.push({ text: text.slice(prev), offset: prev })
  }
  const resources: KResource[] = []
  // Lines are counted from one piece to the next, not from the start for each piece.
  let lineOffset = 0
  let counted = 0
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as { text: string; offset: number }
    // The split eats each piece's final '\n'; kyaml puts it back (it matters to block scalars).
    const value = i !== pieces.length - 1 ? piece.text + '\n' : piece.text
    for (let j = text.indexOf('\n', counted); j >= 0 && j < piece.offset; j = text.indexOf('\n', j + 1)) lineOffset++
    counted = piece.offset
    let decoded: ReturnType<typeof decodeFirst>
    try {
      decoded = decodeFirst(value)
    } catch (e) {
      if (e instanceof YamlLimitError) throw new YamlLimitError(e.reason, e.line === undefined ? undefined : e.line + lineOffset)
      throw e
    }
    if (!decoded.ok) return { ok: false, message: `MalformedYAMLError: ${decoded.message}`, ...(decoded.line !== undefined ? { line: decoded.line + lineOffset } : {}) }
    const doc = decoded.node
    if (!doc) continue
    const root = doc.content[0] as YNode
    if (root.tag === NULL_TAG) continue
    if (root.kind !== Kind.Mapping) return { ok: false, message: `wrong node kind: expected MappingNode but got ${root.kind === Kind.Sequence ? 'SequenceNode' : root.kind === Kind.Scalar ? 'ScalarNode' : 'AliasNode'}`, line: root.line + lineOffset }
    const metaError = checkMetadata(root)
    if (metaError) return { ok: false, message: metaError, line: root.line + lineOffset }
    const utf16 = utf16Map(value)
    const kind = scalarField(root, 'kind')
    if (pieces.length === 1 && (kind === 'List' || kind === 'ResourceList') && (field(root, 'items') || field(root, 'functionConfig'))) {
      const items = field(root, 'items')
      const apiVersion = scalarField(root, 'apiVersion')
      for (const item of items?.kind === Kind.Sequence ? items.content : []) {
        resources.push({ doc: item, root: item, path: defaultPath(item), lineOffset, offset: piece.offset, utf16, seqIndent: 'compact', fromList: { kind, apiVersion } })
      }
      continue
    }
    resources.push({ doc, root, path, lineOffset, offset: piece.offset, utf16, seqIndent: deriveSeqIndentStyle(value) })
  }
  return { ok: true, text, resources }
}

/** kio.ByteWriter for the resources of one file, in order: the bytes Flux writes. */
export function writeResources(resources: readonly KResource[]): string {
  const encoder = new Encoder(2)
  for (const r of resources) {
    clearReaderAnnotations(r.root)
    encoder.setCompactSeqIndent(r.seqIndent !== 'wide')
    encoder.encode(r.doc)
  }
  return encoder.close()
}

/**
 * Flux's setter on one scalar (SetAllCallback.set, then kyaml's FormatNonStringStyle with the
 * setter's string schema): the value is replaced; a value YAML 1.1 reads as a non-string is
 * double-quoted and tagged !!str, unless it is already quoted or its node is a null.
 */
export function applySetter(node: YNode, value: string, isYaml11NonString: (v: string) => boolean): void {
  node.value = value
  if (!isYaml11NonString(value)) return
  if ((node.style & Style.DoubleQuoted) === 0 && (node.style & Style.SingleQuoted) === 0) node.style = Style.DoubleQuoted
  if (node.tag === NULL_TAG) {
    node.style = 0
    return
  }
  node.tag = STR_TAG
}

/** kioutil.CreatePathAnnotationValue: `<namespace>/<kind>_<name>.yaml`, kind lower-cased. */
function defaultPath(item: YNode): string {
  const meta = field(item, 'metadata')
  const name = meta ? scalarField(meta, 'name') : ''
  const namespace = meta ? scalarField(meta, 'namespace') : ''
  const file = `${scalarField(item, 'kind').toLowerCase()}_${name}.yaml`
  return namespace ? `${namespace.replace(/\/+$/, '')}/${file}` : file
}

/** The value of the last `key` in a mapping (kyaml's RNode.Field). */
export function field(mapping: YNode, key: string): YNode | undefined {
  if (mapping.kind !== Kind.Mapping) return undefined
  let found: YNode | undefined
  for (let i = 0; i + 1 < mapping.content.length; i += 2) if ((mapping.content[i] as YNode).value === key) found = mapping.content[i + 1]
  return found
}

function scalarField(mapping: YNode, key: string): string {
  const v = field(mapping, key)
  return v && v.kind === Kind.Scalar && v.tag !== NULL_TAG ? v.value : ''
}

const READER_ANNOTATIONS = new Set([
  'config.kubernetes.io/index',
  'internal.config.kubernetes.io/index',
  'config.kubernetes.io/path',
  'internal.config.kubernetes.io/path',
  'internal.config.kubernetes.io/seqindent',
  'internal.config.kubernetes.io/annotations-migration-resource-id',
])

// metadata that is there but not a mapping (and not null) makes kyaml's annotation setter fail.
function checkMetadata(root: YNode): string | undefined {
  const meta = field(root, 'metadata')
  if (meta && meta.kind !== Kind.Mapping && meta.tag !== NULL_TAG) return `wrong node kind: expected MappingNode but got ${meta.kind === Kind.Sequence ? 'SequenceNode' : 'ScalarNode'}`
  return undefined
}

// The reader's annotations are set and cleared again; what stays is ClearEmptyAnnotations.
function clearReaderAnnotations(root: YNode): void {
  clearEmptyAnnotations(root)
  const meta = field(root, 'metadata')
  const annotations = meta ? field(meta, 'annotations') : undefined
  if (annotations && annotations.kind === Kind.Mapping) {
    const kept: YNode[] = []
    for (let i = 0; i + 1 < annotations.content.length; i += 2) {
      if (!READER_ANNOTATIONS.has((annotations.content[i] as YNode).value)) kept.push(annotations.content[i] as YNode, annotations.content[i + 1] as YNode)
    }
    annotations.content = kept
  }
  clearEmptyAnnotations(root)
}

// FieldClearer{IfEmpty: true}: the first matching key whose value has no content goes.
function clearIfEmpty(mapping: YNode, key: string): void {
  if (mapping.kind !== Kind.Mapping) return
  for (let i = 0; i + 1 < mapping.content.length; i += 2) {
    if ((mapping.content[i] as YNode).value !== key) continue
    if ((mapping.content[i + 1] as YNode).content.length > 0) continue
    mapping.content.splice(i, 2)
    return
  }
}

function clearEmptyAnnotations(root: YNode): void {
  const meta = field(root, 'metadata')
  if (meta) clearIfEmpty(meta, 'annotations')
  clearIfEmpty(root, 'metadata')
}

/** yaml.DeriveSeqIndentStyle: the indentation of the first `- ` item under a `key:` line. */
export function deriveSeqIndentStyle(original: string): 'compact' | 'wide' {
  const lines = original.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const at = line.indexOf('- ')
    if (at < 0) continue
    const prefix = line.slice(0, at)
    if (prefix.replace(/^ +| +$/g, '') !== '') continue
    let keyLine = ''
    for (let j = i - 1; j >= 0; j--) {
      const l = lines[j] as string
      if (l.replace(/^ +| +$/g, '').startsWith('#')) continue
      keyLine = l.split('#')[0] as string
      break
    }
    if (keyLine === '') continue
    const keyIndent = keyLine.length - keyLine.replace(/^ +/, '').length
    const trimmed = keyLine.replace(/^ +| +$/g, '')
    if (trimmed.split(':').length - 1 !== 1 || !trimmed.endsWith(':')) continue
    if (prefix.length === keyIndent) return 'compact'
    if (prefix.length - keyIndent === 2) return 'wide'
  }
  return 'compact'
}

function lineAt(text: string, offset: number): number {
  let n = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++
  return n
}

function utf16Map(s: string): (cp: number) => number {
  if (!/[\uD800-\uDBFF]/.test(s)) return (cp) => cp
  const map: number[] = []
  let u = 0
  for (const ch of s) {
    map.push(u)
    u += ch.length
  }
  map.push(u)
  return (cp) => map[Math.min(cp, map.length - 1)] as number
}

