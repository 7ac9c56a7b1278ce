// The Go values a commit-message template sees, and how Go prints and orders them: fmt's %v
// (package fmt, print.go: maps as map[k:v ...] in sorted key order, slices as [a b], structs
// as {a b}, a Stringer through its String method, nil as <nil>) and internal/fmtsort's key
// order, which text/template's range over a map follows.

import { compareGoStrings } from '../strings.js'

/** A Go int; floats are wrapped so that 1.0 stays a float. */
export class GoFloat {
  constructor(readonly v: number) {}
}

export interface GoSlice {
  kind: 'slice'
  /** The Go type, e.g. []update.Change, for error messages. */
  type: string
  items: GoValue[]
}

export interface GoMap {
  kind: 'map'
  type: string
  /** Whether a string may index it (text/template's .Key on a map). */
  stringKeys: boolean
  entries: [GoValue, GoValue][]
}

export interface GoField {
  name: string
  value: GoValue
  /** An embedded struct, whose fields are promoted. */
  embedded?: boolean
}

export interface GoStruct {
  kind: 'struct'
  type: string
  fields: GoField[]
  /** Methods callable from a template, by name. */
  methods?: Record<string, (...args: GoValue[]) => GoValue>
  /** The String method, when the type is a fmt.Stringer. */
  string?: () => string
}

export interface GoFunc {
  kind: 'func'
  type: string
}

/** undefined is reflect's invalid value (a missing map key); null is nil. */
export type GoValue = undefined | null | string | boolean | number | GoFloat | GoSlice | GoMap | GoStruct | GoFunc

export function isObject(v: GoValue): v is GoSlice | GoMap | GoStruct | GoFunc {
  return typeof v === 'object' && v !== null && !(v instanceof GoFloat)
}

/** reflect's Type.String() of a value, as error messages quote it. */
export function typeOf(v: GoValue): string {
  if (v === undefined) return '<invalid reflect.Value>'
  if (v === null) return '<nil>'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return 'int'
  if (v instanceof GoFloat) return 'float64'
  return v.type
}

export function slice(type: string, items: GoValue[]): GoSlice {
  return { kind: 'slice', type, items }
}

export function stringMap(type: string, entries: [string, GoValue][]): GoMap {
  return { kind: 'map', type, stringKeys: true, entries }
}

/** fmt.Sprint of one operand: %v. */
export function sprintValue(v: GoValue): string {
  if (v === undefined) return '<invalid reflect.Value>'
  if (v === null) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') return String(v)
  if (v instanceof GoFloat) return formatFloatG(v.v)
  switch (v.kind) {
    case 'struct':
      if (v.string) return v.string()
      return `{${v.fields.map((f) => sprintNested(f.value)).join(' ')}}`
    case 'map':
      return `map[${sortedEntries(v)
        .map(([k, x]) => `${sprintNested(k)}:${sprintNested(x)}`)
        .join(' ')}]`
    case 'slice':
      return `[${v.items.map(sprintNested).join(' ')}]`
    case 'func':
      return '0x0'
  }
}

// Inside a composite, fmt prints a nil element as <nil> too, and an invalid one the same way.
function sprintNested(v: GoValue): string {
  return v === undefined ? '<nil>' : sprintValue(v)
}

/** strconv.FormatFloat(f, 'g', -1, 64), as %v prints a float64. */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN'
  if (f === Infinity) return '+Inf'
  if (f === -Infinity) return '-Inf'
  if (f === 0) return Object.is(f, -0) ? '-0' : '0'
  // Shortest digits that round-trip, as JavaScript's own toString also finds them.
  const [mantissa, expPart] = f.toExponential().split('e') as [string, string]
  const exp = Number(expPart)
  const neg = mantissa.startsWith('-')
  const digits = mantissa.replace('-', '').replace('.', '')
  // %g with the shortest precision switches to exponent form when exp < -4 || exp >= 6.
  let out: string
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length)
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
  }
  return neg ? `-${out}` : out
}

/** internal/fmtsort's order of map keys. */
export function compareKeys(a: GoValue, b: GoValue): number {
  if (typeof a === 'string' && typeof b === 'string') return compareGoStrings(a, b)
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (a instanceof GoFloat && b instanceof GoFloat) return a.v - b.v
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1
  if (isObject(a) && isObject(b) && a.kind === 'struct' && b.kind === 'struct') {
    for (let i = 0; i < a.fields.length; i++) {
      const c = compareKeys(a.fields[i]?.value, b.fields[i]?.value)
      if (c !== 0) return c
    }
    return 0
  }
  return 0
}

export function sortedEntries(m: GoMap): [GoValue, GoValue][] {
  return [...m.entries].sort((x, y) => compareKeys(x[0], y[0]))
}
