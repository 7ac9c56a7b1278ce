// What Flux writes for a changed file. Flux re-serialises the whole file through kyaml and
// yaml.v3; we edit the changed values in place and then apply the normalisations yaml.v3 is
// known to make and that can be reproduced exactly:
//  - CRLF becomes LF, a UTF-8 BOM goes, a final newline is added;
//  - blank lines go (outside block scalars), and so does a leading "---";
//  - one space before a line comment, one space after "key:", no trailing white space.
// Anything else yaml.v3 would reformat (indentation, sequence style, folded or multi-line
// scalars, escapes, flow collections, merge keys, …) is not reproduced: it is reported with
// its line, and the file is marked inexact. Only an exact file is a byte-for-byte preview.

import { isMap, isPair, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml'
import type { ScalarSite, YamlFile } from './yaml-file.js'

export interface Reformat {
  /** 1-based line in the original file. */
  line: number
  what: string
}

export interface Rewrite {
  text: string
  /** True when `text` is what Flux writes, byte for byte. */
  exact: boolean
  /** Lines Flux also changes and that `text` reproduces. */
  normalised: Reformat[]
  /** Lines Flux also changes and that `text` does not reproduce. */
  unreproduced: Reformat[]
}

export function rewriteFile(raw: string, file: YamlFile, writes: { site: ScalarSite; next: string }[]): Rewrite {
  const text = file.text
  const normalised: Reformat[] = []
  const unreproduced: Reformat[] = []
  if (raw.startsWith('\uFEFF')) normalised.push({ line: 1, what: 'the UTF-8 byte order mark is dropped' })
  if (raw.includes('\r\n')) normalised.push({ line: 1, what: 'CRLF line endings become LF' })

  // 1. The values themselves, in the style each one has.
  const edits: { start: number; end: number; text: string }[] = []
  for (const w of writes) {
    const [start, end] = w.site.node.range ?? [0, 0]
    const written = writeScalar(w.site.node, w.next)
    if (written.approximate) unreproduced.push({ line: w.site.line, what: written.approximate })
    edits.push({ start, end, text: written.text })
  }

  // 2. What yaml.v3 reformats that we do not reproduce.
  const blockBodies = inspect(file, unreproduced)

  // 3. Line-level normalisations, on the original lines (positions stay valid for the edits).
  const lines = text.split('\n')
  const starts = file.lineCounter.lineStarts
  const inBlockBody = (line: number): boolean => blockBodies.some(([a, b]) => line >= a && line <= b)
  const drop = new Set<number>()
  const lineEdits: { start: number; end: number; text: string }[] = []
  if (lines[0] === '---' || lines[0]?.startsWith('--- #')) {
    drop.add(1)
    normalised.push({ line: 1, what: 'the leading "---" is dropped' })
  }
  lines.forEach((l, i) => {
    const n = i + 1
    if (inBlockBody(n)) return
    if (l.trim() === '' && !(i === lines.length - 1)) {
      drop.add(n)
      normalised.push({ line: n, what: 'the blank line is dropped' })
      return
    }
    const trailing = /[ \t]+$/.exec(l)
    if (trailing) {
      lineEdits.push({ start: (starts[i] ?? 0) + trailing.index, end: (starts[i] ?? 0) + l.length, text: '' })
      normalised.push({ line: n, what: 'trailing white space is dropped' })
    }
  })
  for (const c of file.comments) {
    const l = lines[c.line - 1] ?? ''
    const before = l.slice(0, c.column - 1)
    if (before.trim() === '') continue
    const gap = /[ \t]+$/.exec(before)
    if (gap && gap[0] !== ' ') {
      const at = (starts[c.line - 1] ?? 0) + (gap.index ?? 0)
      lineEdits.push({ start: at, end: at + gap[0].length, text: ' ' })
      normalised.push({ line: c.line, what: 'the space before the comment becomes one' })
    }
  }
  for (const s of file.scalars) {
    if (s.role !== 'value' || !s.key) continue
    const keySite = file.scalars.find((k) => k.role === 'key' && k.path === s.path && k.doc === s.doc)
    if (!keySite || keySite.line !== s.line || (s.node.range?.[0] ?? 0) === (s.node.range?.[1] ?? 0)) continue
    const between = text.slice(keySite.node.range?.[1] ?? 0, s.node.range?.[0] ?? 0)
    if (between === ': ' || !/^[ \t]*:[ \t]+$/.test(between)) continue
    lineEdits.push({ start: keySite.node.range?.[1] ?? 0, end: s.node.range?.[0] ?? 0, text: ': ' })
    normalised.push({ line: s.line, what: 'the space after the colon becomes one' })
  }

  // Apply value and line edits back to front, then drop lines.
  const all = [...edits, ...lineEdits].sort((a, b) => b.start - a.start)
  let out = text
  for (const e of all) out = out.slice(0, e.start) + e.text + out.slice(e.end)
  const keptLines = out.split('\n')
  // Line numbers are unchanged by the edits (none spans or adds a line break).
  let result = keptLines.filter((_, i) => !drop.has(i + 1)).join('\n')
  if (!result.endsWith('\n')) {
    result += '\n'
    normalised.push({ line: lines.length, what: 'a final newline is added' })
  }
  return { text: result, exact: unreproduced.length === 0, normalised: dedupe(normalised), unreproduced: dedupe(unreproduced) }
}

function dedupe(xs: Reformat[]): Reformat[] {
  const seen = new Set<string>()
  return xs.filter((x) => (seen.has(`${x.line}\0${x.what}`) ? false : (seen.add(`${x.line}\0${x.what}`), true))).sort((a, b) => a.line - b.line)
}

// ---- writing one value ---------------------------------------------------------------------

// kyaml's FormatNonStringStyle with the setter's string schema: a value YAML 1.1 would read as
// a non-string is double-quoted (unless already quoted) and tagged !!str. Otherwise the node
// keeps the tag its old value resolved to, which yaml.v3 then has to spell out.
function writeScalar(node: Scalar, next: string): { text: string; approximate?: string } {
  switch (node.type) {
    case 'QUOTE_SINGLE':
      return { text: `'${next.replaceAll("'", "''")}'` }
    case 'QUOTE_DOUBLE':
      return { text: doubleQuoted(next) }
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return { text: doubleQuoted(next), approximate: 'the block scalar becomes a one-line value; yaml.v3 picks the new presentation' }
    default: {
      if (isYaml11NonString(next)) return { text: doubleQuoted(next) }
      const oldTag = resolveV3(String(node.source ?? node.value ?? ''))
      if (oldTag !== 'str' && resolveV3(next) !== oldTag) return { text: `!!${oldTag} ${next}` }
      if (next === '' || resolveV3(next) !== 'str') return { text: doubleQuoted(next) }
      if (!plainAllowed(next)) return { text: `'${next.replaceAll("'", "''")}'` }
      return { text: next }
    }
  }
}

function doubleQuoted(s: string): string {
  return `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

// yaml.v3's emitter refuses a plain scalar that could be read back differently.
function plainAllowed(s: string): boolean {
  if (s !== s.trim() || s.includes('\n')) return false
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !/^[-?:][^\s,[\]{}]/.test(s)) return false
  return !/: |:$| #|[,[\]{}]/.test(s)
}

// YAML 1.1 as gopkg.in/yaml.v2 resolves plain scalars (kyaml's IsYaml1_1NonString).
const YAML11_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN'])
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/

export function isYaml11NonString(v: string): boolean {
  if (v === '' || v.includes('\n')) return false
  if (YAML11_WORDS.has(v)) return true
  if (/^[-+]?[0-9.]/.test(v)) {
    const plain = v.replaceAll('_', '')
    if (goParseIntBase0(plain) || YAML_FLOAT.test(plain)) return true
  }
  // Collections and maps: "a: b", "- x", "[…]", "{…}".
  return /^(- |\[.*\]$|\{.*\}$)|: /.test(v)
}

// strconv.ParseInt(s, 0, 64) / ParseUint: sign, 0x / 0o / 0b prefixes, a leading 0 for octal.
function goParseIntBase0(s: string): boolean {
  const m = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s)
  return m !== null
}

// The tag yaml.v3 resolves a plain scalar to (resolve.go), short form.
function resolveV3(v: string): string {
  if (v === '' || v === '~' || v === 'null' || v === 'Null' || v === 'NULL') return 'null'
  if (['true', 'True', 'TRUE', 'false', 'False', 'FALSE'].includes(v)) return 'bool'
  if (/^[-+]?(\.inf|\.Inf|\.INF)$/.test(v) || ['.nan', '.NaN', '.NAN'].includes(v)) return 'float'
  const plain = v.replaceAll('_', '')
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/.test(plain)) return 'int'
  if (YAML_FLOAT.test(plain)) return 'float'
  if (/^\d{4}-\d\d?-\d\d?([Tt ]|$)/.test(v)) return 'timestamp'
  return 'str'
}

// ---- what yaml.v3 changes that we do not reproduce --------------------------------------------

/** Reports reformatting hazards; returns the line ranges of block scalar bodies. */
function inspect(file: YamlFile, out: Reformat[]): [number, number][] {
  const bodies: [number, number][] = []
  const lc = file.lineCounter
  const pos = (offset: number): { line: number; col: number } => lc.linePos(offset)
  const text = file.text
  if (/^\.\.\.\s*$/m.test(text)) out.push({ line: lineNumber(text, /^\.\.\.\s*$/m), what: 'a "..." document end (and anything after it without "---") is dropped' })
  for (const s of file.scalars) {
    const [start, end] = s.node.range ?? [0, 0]
    if (s.style === 'BLOCK_FOLDED') out.push({ line: s.line, what: 'a folded block scalar is refolded' })
    if (s.style === 'BLOCK_LITERAL' || s.style === 'BLOCK_FOLDED') {
      const header = text.slice(start, text.indexOf('\n', start))
      const first = s.line + 1
      const last = pos(Math.max(start, end - 1)).line
      bodies.push([first, last])
      if (/[0-9]/.test(header.split('#')[0] ?? '')) out.push({ line: s.line, what: 'a block scalar with an indentation indicator is re-indented' })
      if (/[ \t]\n/.test(s.value) || /[ \t]$/.test(s.value)) out.push({ line: s.line, what: 'a literal block with trailing spaces becomes a double-quoted string' })
      continue
    }
    if (s.line !== s.endLine) out.push({ line: s.line, what: 'a scalar written over several lines is joined onto one line' })
    if (s.style === 'QUOTE_DOUBLE' && /\\/.test(text.slice(start, end))) out.push({ line: s.line, what: 'escapes in a double-quoted string are rewritten' })
    if (/[\u{10000}-\u{10FFFF}]/u.test(s.value)) out.push({ line: s.line, what: 'characters outside the Basic Multilingual Plane are written as \\U escapes' })
    if (s.role === 'key' && s.value === '<<') out.push({ line: s.line, what: 'a merge key is written as "!!merge <<"' })
  }
  for (const d of file.docs) {
    const root = d.node.contents as Node
    const firstSeq = findFirstBlockSeq(root, pos)
    checkCollection(root, 1, firstSeq, pos, out, true)
    emptyMetadata(d.node.contents as YAMLMap, pos, out)
  }
  // Whole-line comments are written at the indentation of the node below them.
  const lines = text.split('\n')
  for (const c of file.comments) {
    if ((lines[c.line - 1] ?? '').slice(0, c.column - 1).trim() !== '') continue
    for (let k = 0; k < c.lines; k++) {
      const l = lines[c.line - 1 + k] ?? ''
      const col = l.length - l.trimStart().length
      const next = lines.slice(c.line - 1 + c.lines).find((x) => x.trim() !== '' && !x.trimStart().startsWith('#'))
      const nextCol = next === undefined ? col : next.length - next.trimStart().length
      if (col !== nextCol) {
        out.push({ line: c.line + k, what: 'a comment line is re-indented to the node it belongs to' })
        break
      }
    }
  }
  return bodies
}

function lineNumber(text: string, re: RegExp): number {
  const m = re.exec(text)
  return m ? text.slice(0, m.index).split('\n').length : 1
}

type Pos = (offset: number) => { line: number; col: number }

function findFirstBlockSeq(node: Node | null, pos: Pos, parentCol = 0): 'compact' | 'wide' | undefined {
  if (node === null) return undefined
  if (isMap(node) && !node.flow) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const keyCol = isScalar(pair.key) ? pos(pair.key.range?.[0] ?? 0).col : parentCol
      const v = pair.value as Node | null
      if (isSeq(v) && !v.flow) return pos(v.range?.[0] ?? 0).col === keyCol ? 'compact' : 'wide'
      const inner = findFirstBlockSeq(v, pos, keyCol)
      if (inner) return inner
    }
  }
  if (isSeq(node) && !node.flow) {
    for (const item of node.items) {
      const inner = findFirstBlockSeq(item as Node | null, pos, parentCol)
      if (inner) return inner
    }
  }
  return undefined
}

// Indentation yaml.v3 writes: a nested mapping 2 columns right of its key; a sequence at its
// key's column (compact) or 2 right (wide), one style per document, the first sequence's.
function checkCollection(node: Node | null, expectCol: number, seqStyle: 'compact' | 'wide' | undefined, pos: Pos, out: Reformat[], isRoot: boolean): void {
  if (node === null || isScalar(node)) return
  if ((isMap(node) || isSeq(node)) && node.flow) {
    checkFlow(node, pos, out)
    return
  }
  if (isMap(node)) {
    const first = node.items[0]
    if (!first || !isPair(first) || !isScalar(first.key)) return
    const col = pos(first.key.range?.[0] ?? 0).col
    if (col !== expectCol) out.push({ line: pos(first.key.range?.[0] ?? 0).line, what: isRoot ? 'the document is re-indented to column 1' : 'the mapping is re-indented to 2 spaces' })
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue
      const keyCol = pos(pair.key.range?.[0] ?? 0).col
      const v = pair.value as Node | null
      if (isMap(v)) checkCollection(v, keyCol + 2, seqStyle, pos, out, false)
      else if (isSeq(v)) checkCollection(v, seqStyle === 'wide' ? keyCol + 2 : keyCol, seqStyle, pos, out, false)
    }
    return
  }
  if (isSeq(node)) {
    const dashCol = pos(node.range?.[0] ?? 0).col
    if (dashCol !== expectCol) out.push({ line: pos(node.range?.[0] ?? 0).line, what: `the sequence is re-indented (${seqStyle ?? 'compact'} style, taken from the document's first sequence)` })
    for (const item of node.items) {
      const v = item as Node | null
      if (isSeq(v) && !v.flow) out.push({ line: pos(v.range?.[0] ?? 0).line, what: 'a sequence inside a sequence is re-laid out' })
      else if (isMap(v)) checkCollection(v, dashCol + 2, seqStyle, pos, out, false)
      else if (isSeq(v)) checkCollection(v, dashCol + 2, seqStyle, pos, out, false)
    }
  }
}

function checkFlow(node: YAMLMap | YAMLSeq, pos: Pos, out: Reformat[]): void {
  const [start, end] = node.range ?? [0, 0]
  const a = pos(start)
  const b = pos(Math.max(start, end - 1))
  if (a.line !== b.line) out.push({ line: a.line, what: 'a flow collection over several lines is written on one line' })
  else out.push({ line: a.line, what: 'a flow collection is re-spaced ("[a, b]", "{a: b}")' })
}

function emptyMetadata(root: YAMLMap, pos: Pos, out: Reformat[]): void {
  if (!isMap(root)) return
  const meta = root.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'metadata')
  if (!meta || !isPair(meta)) return
  const v = meta.value as Node | null
  const line = pos((meta.key as Scalar).range?.[0] ?? 0).line
  if (isMap(v) && v.items.length === 0) out.push({ line, what: 'an empty metadata: {} is deleted' })
  if (isMap(v)) {
    const ann = v.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'annotations')
    if (ann && isPair(ann) && (ann.value === null || (isMap(ann.value) && ann.value.items.length === 0) || (isScalar(ann.value) && ann.value.value === null))) {
      out.push({ line, what: 'empty metadata.annotations (and a metadata left empty) are deleted' })
    }
  }
}
