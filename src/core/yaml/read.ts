// Every YAML text read as objects goes through here, with the limits of ./limits.ts (the
// marker files are read by the yaml.v3 port, with the same limits): the `yaml` package parses
// and composes one document at a time, and each document's syntax tree is checked before it is
// composed, so hostile or enormous input ends in one `ERR_YAML` line with the reason rather
// than an exhausted stack or heap, or minutes of work.

import { type CST, Composer, type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, Parser, YAMLParseError } from 'yaml'
import { CodedError } from '../tool-error.js'
import { limitReason, YAML_LIMIT_HINT, YAML_LIMITS } from './limits.js'

export { YAML_LIMITS } from './limits.js'

export interface YamlReadOptions {
  /** Named in error messages: a path, or "standard input". */
  source: string
  lineCounter?: LineCounter
  /** Whether a repeated mapping key is an error (yaml's default); checked in one pass per mapping. */
  uniqueKeys?: boolean
  strict?: boolean
}

/**
 * The documents of a YAML text, composed one at a time, each error given its `linePos`. A caller
 * that keeps none of them holds one document at a time. Throws `ERR_YAML` past a limit.
 */
export function* yamlDocuments(text: string, options: YamlReadOptions): Generator<Document.Parsed> {
  const lc = options.lineCounter ?? new LineCounter()
  const fail = (offset: number | undefined, reason: string): never => {
    const line = offset === undefined ? undefined : lc.linePos(offset).line
    throw new CodedError('ERR_YAML', `${options.source}${line ? `:${line}` : ''}: ${reason}`, YAML_LIMIT_HINT)
  }
  if (text.length > YAML_LIMITS.size) fail(undefined, limitReason.size(text.length))
  const parser = new Parser(lc.addNewLine)
  const composer = new Composer({ uniqueKeys: false, ...(options.strict !== undefined ? { strict: options.strict } : {}) })
  let documents = 0
  const finish = (doc: Document.Parsed): Document.Parsed => {
    if (options.uniqueKeys !== false) checkUniqueKeys(doc)
    for (const e of [...doc.errors, ...doc.warnings]) if (e.pos[0] >= 0) e.linePos = [lc.linePos(e.pos[0]), lc.linePos(e.pos[1])]
    return doc
  }
  for (const token of parser.parse(text)) {
    if (token.type === 'document') {
      if (++documents > YAML_LIMITS.documents) fail(token.offset, limitReason.documents())
      const over = overLimit(token)
      if (over) fail(over.offset, over.reason)
    }
    for (const doc of composer.next(token)) yield finish(doc)
  }
  for (const doc of composer.end()) yield finish(doc)
}

/** All the documents of a YAML text (see yamlDocuments). */
export function parseYaml(text: string, options: YamlReadOptions): Document.Parsed[] {
  return Array.from(yamlDocuments(text, options))
}

/** The document's first error as `ERR_YAML` ("source:line: message"), or undefined. */
export function documentError(doc: Document.Parsed, source: string): CodedError | undefined {
  const err = doc.errors[0]
  if (!err) return undefined
  const line = err.linePos?.[0]?.line
  return new CodedError('ERR_YAML', `${source}${line ? `:${line}` : ''}: ${err.message.split('\n')[0] ?? err.message}`)
}

/** A document as plain data, aliases expanded within the limit; a broken alias is ERR_YAML. */
export function toPlain(doc: Document.Parsed, source: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: YAML_LIMITS.aliasExpansion })
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e
    const reason = /^Excessive alias count/.test(e.message)
      ? limitReason.aliasExpansion()
      : /^Unresolved alias/.test(e.message)
        ? `an alias names no anchor defined before it: ${e.message.replace(/^.*\):\s*/, '*')}`
        : e.message
    throw new CodedError('ERR_YAML', `${source}: ${reason}`, YAML_LIMIT_HINT)
  }
}

/**
 * The plain value of each document of a manifest text, errors as ERR_YAML. Two shortcuts give
 * the same values for much less: JSON (`kubectl get -o json`) is read by JSON.parse, and a
 * one-document List (`kubectl get -o yaml`) one item at a time, so that one item's syntax tree
 * is in memory rather than the whole list's (3.7 GB for a 50 MB snapshot). Whatever a shortcut
 * cannot read exactly is read whole, which also gives the exact error and line.
 */
export function* plainDocuments(text: string, source: string): Generator<unknown> {
  if (text.length <= YAML_LIMITS.size) {
    const json = asJson(text)
    if (json !== undefined) {
      yield json.value
      return
    }
    const list = listByItems(text, source)
    if (list !== undefined) {
      yield list
      return
    }
  }
  for (const doc of yamlDocuments(text, { source })) {
    const err = documentError(doc, source)
    if (err) throw err
    yield toPlain(doc, source)
  }
}

function asJson(text: string): { value: unknown } | undefined {
  if (!/^\s*[{[]/.test(text)) return undefined
  try {
    return { value: JSON.parse(text) as unknown }
  } catch {
    return undefined
  }
}

// A List as kubectl prints it: a top-level `items:` key, then its items, each a line "- …" at
// column 0 followed by indented, blank or comment lines, until the next top-level key. No line
// of YAML that continues an item can start with "- " at column 0 (block scalars and plain
// scalars must be indented; a quoted or flow scalar cut there no longer parses), so each item
// reads alone exactly as it reads in the list; any doubt (an error, an alias to another item)
// falls back to reading the text whole.
function listByItems(text: string, source: string): Record<string, unknown> | undefined {
  if (/^(---|\.\.\.|%)/m.test(text)) return undefined
  const key = /^items:[ \t]*(#.*)?$/m.exec(text)
  if (!key) return undefined
  const headEnd = text.indexOf('\n', key.index) + 1
  if (headEnd === 0) return undefined
  const starts: number[] = []
  let pos = headEnd
  while (pos < text.length) {
    let end = text.indexOf('\n', pos)
    if (end < 0) end = text.length
    const c = text[pos]
    if (c === '-' && (pos + 1 === end || text[pos + 1] === ' ' || text[pos + 1] === '\r')) starts.push(pos)
    else if (c === ' ' || c === '\t') {
      if (starts.length === 0) return undefined // an indented line before the first item
    } else if (c !== '#' && c !== '\r' && pos !== end) break // the next top-level key
    pos = end + 1
  }
  const tailStart = Math.min(pos, text.length)
  if (starts.length < 2) return undefined
  try {
    const frame = parseYaml(text.slice(0, headEnd) + text.slice(tailStart), { source })
    const outer = frame.length === 1 && frame[0]?.errors.length === 0 ? toPlain(frame[0], source) : undefined
    if (outer === null || typeof outer !== 'object' || Array.isArray(outer) || (outer as { items?: unknown }).items !== null) return undefined
    const items: unknown[] = []
    for (let i = 0; i < starts.length; i++) {
      const docs = parseYaml(text.slice(starts[i], starts[i + 1] ?? tailStart), { source })
      const doc = docs[0]
      if (docs.length !== 1 || !doc || doc.errors.length > 0 || !isSeq(doc.contents) || doc.contents.items.length !== 1) return undefined
      items.push((toPlain(doc, source) as unknown[])[0])
    }
    return Object.assign(outer as Record<string, unknown>, { items })
  } catch (e) {
    if (e instanceof CodedError) return undefined
    throw e
  }
}

// The syntax tree of one document, walked without recursion: nesting, scalar sizes, aliases.
function overLimit(doc: CST.Document): { offset: number; reason: string } | undefined {
  const stack: [CST.Token, number][] = doc.value ? [[doc.value, 0]] : []
  let aliases = 0
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token, number]
    switch (token.type) {
      case 'alias':
        if (++aliases > YAML_LIMITS.aliases) return { offset: token.offset, reason: limitReason.aliases() }
        break
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        if (token.source.length > YAML_LIMITS.scalar) return { offset: token.offset, reason: limitReason.scalar(token.source.length) }
        break
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > YAML_LIMITS.depth) return { offset: token.offset, reason: limitReason.depth() }
        for (const item of token.items as CST.CollectionItem[]) {
          if (item.key) stack.push([item.key, depth + 1])
          if (item.value) stack.push([item.value, depth + 1])
        }
        break
      default:
        break
    }
  }
  return undefined
}

// yaml's own check compares each key with every earlier one, which is quadratic in the size
// of a mapping (80,000 keys took a minute); a set per mapping gives the same verdict. Keys
// are equal when they are scalars of equal value, as in yaml's default.
function checkUniqueKeys(doc: Document.Parsed): void {
  const stack: (Node | null)[] = [doc.contents as Node | null]
  while (stack.length > 0) {
    const node = stack.pop()
    if (isMap(node)) {
      const seen = new Set<unknown>()
      for (const pair of node.items) {
        if (!isPair(pair)) continue
        const key = pair.key as Node | null
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value)) {
            const at = key.range?.[0] ?? 0
            doc.errors.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'))
          }
          seen.add(key.value)
        } else if (key !== null) stack.push(key)
        stack.push(pair.value as Node | null)
      }
    } else if (isSeq(node)) for (const item of node.items) stack.push(item as Node | null)
  }
}
