// yaml.v3's Node (yaml.go) and its tag resolution (resolve.go): the model kyaml hands to
// Flux's setters and back to the encoder. Positions are kept as yaml.v3 keeps them (1-based
// line and column of the node's first event) plus code-point offsets, for trace locations.

import type { Mark } from './scanner.js'

export const enum Kind {
  Document = 1,
  Sequence = 2,
  Mapping = 4,
  Scalar = 8,
  Alias = 16,
}

export const enum Style {
  Tagged = 1,
  DoubleQuoted = 2,
  SingleQuoted = 4,
  Literal = 8,
  Folded = 16,
  Flow = 32,
}

export interface YNode {
  kind: Kind
  style: number
  tag: string
  value: string
  anchor: string
  alias?: YNode
  content: YNode[]
  headComment: string
  lineComment: string
  footComment: string
  /** 1-based, as yaml.v3 sets Node.Line / Node.Column. */
  line: number
  column: number
  /** Code-point offsets of the node's first and last event in its document chunk. */
  start: Mark
  end: Mark
}

export function newNode(kind: Kind, init: Partial<YNode> = {}): YNode {
  const zero = { index: 0, line: 0, column: 0 }
  return { kind, style: 0, tag: '', value: '', anchor: '', content: [], headComment: '', lineComment: '', footComment: '', line: 0, column: 0, start: zero, end: zero, ...init }
}

export const NULL_TAG = '!!null'
export const BOOL_TAG = '!!bool'
export const STR_TAG = '!!str'
export const INT_TAG = '!!int'
export const FLOAT_TAG = '!!float'
export const TIMESTAMP_TAG = '!!timestamp'
export const SEQ_TAG = '!!seq'
export const MAP_TAG = '!!map'
export const BINARY_TAG = '!!binary'
export const MERGE_TAG = '!!merge'

const LONG_PREFIX = 'tag:yaml.org,2002:'

export function shortTag(tag: string): string {
  return tag.startsWith(LONG_PREFIX) ? '!!' + tag.slice(LONG_PREFIX.length) : tag
}

export function longTag(tag: string): string {
  return tag.startsWith('!!') ? LONG_PREFIX + tag.slice(2) : tag
}

const RESOLVE_MAP = new Map<string, string>([
  ...['true', 'True', 'TRUE', 'false', 'False', 'FALSE'].map((s) => [s, BOOL_TAG] as [string, string]),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, NULL_TAG] as [string, string]),
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'].map((s) => [s, FLOAT_TAG] as [string, string]),
  ['<<', MERGE_TAG],
])

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n

/** The tag yaml.v3 resolves an untagged plain scalar to (resolve("", in)). */
export function resolveTag(value: string): string {
  // The first byte picks the resolver; '<' and most letters have none, so "<<" is a string.
  const c = value.charCodeAt(0)
  const hint = value === '' ? 'N' : c === 0x2b || c === 0x2d ? 'S' : c >= 0x30 && c <= 0x39 ? 'D' : 'yYnNtTfFoO~'.includes(value[0] as string) ? 'M' : c === 0x2e ? '.' : ''
  if (hint === '') return STR_TAG
  const known = RESOLVE_MAP.get(value)
  if (known) return known
  if (hint === '.') return goParseFloatOk(value) ? FLOAT_TAG : STR_TAG
  if (hint === 'D' || hint === 'S') {
    if (isTimestamp(value)) return TIMESTAMP_TAG
    const plain = value.replaceAll('_', '')
    if (goParseIntBase0(plain, false) || goParseIntBase0(plain, true)) return INT_TAG
    if (YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain))) return FLOAT_TAG
    if (/^-?0b[01]+$/.test(plain) || /^-?0o[0-7]+$/.test(plain)) return INT_TAG
  }
  return STR_TAG
}

// strconv.ParseInt(s, 0, 64) (or ParseUint): sign, base prefix, range.
function goParseIntBase0(s: string, unsigned: boolean): boolean {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s)
  if (!m) return false
  const sign = m[1] as string
  if (unsigned && sign !== '') return false
  let body = m[2] as string
  let n: bigint
  if (/^0[oO]/.test(body)) n = BigInt('0o' + body.slice(2))
  else if (/^0[0-7]+$/.test(body)) n = BigInt('0o' + body.slice(1))
  else {
    body = body.replace(/^0X/, '0x').replace(/^0B/, '0b')
    n = BigInt(body)
  }
  if (sign === '-') n = -n
  return unsigned ? n <= UINT64_MAX : n >= INT64_MIN && n <= INT64_MAX
}

// strconv.ParseFloat for the inputs that reach it with a '.' first byte.
function goParseFloatOk(s: string): boolean {
  return /^\.[0-9](_?[0-9])*([eE][-+]?[0-9]+)?$/.test(s) && Number.isFinite(Number(s.replaceAll('_', '')))
}

// yaml.v3's parseTimestamp: four digits and '-', then one of its layouts.
function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false
  return /^\d{4}-\d\d?-\d\d?$/.test(s) || /^\d{4}-\d\d?-\d\d?[Tt]\d\d?:\d\d?:\d\d?(\.\d+)?(Z|[-+]\d\d:\d\d)$/.test(s) || /^\d{4}-\d\d?-\d\d? \d\d?:\d\d?:\d\d?(\.\d+)?$/.test(s)
}
