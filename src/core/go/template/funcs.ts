// The functions a Flux commit-message template can call: text/template's builtins (funcs.go)
// and Sprig v3.3.0's HermeticTxtFuncMap, which image-automation-controller installs since
// v0.38 (internal/source/source.go). The Sprig functions used in commit messages are
// implemented here; the others are known by name, so that a template naming one is neither
// rejected (Flux accepts it) nor rendered wrongly: rendering stops with Unsupported.

import { FuncError, type GoFunction, isTrue, type ParamType, Unsupported } from './exec.js'
import { quoteGo } from '../quote.js'
import { GoFloat, type GoValue, isObject, slice, sprintValue, stringMap, typeOf } from './value.js'

const fn = (params: ParamType[], call: GoFunction['call'], variadic?: ParamType): GoFunction => ({ params, call, ...(variadic ? { variadic } : {}) })
const str = (v: GoValue): string => v as string
const int = (v: GoValue): number => v as number

/** fmt.Sprint: a space between operands when neither side is a string. */
export function sprint(args: GoValue[]): string {
  let out = ''
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' '
    out += sprintValue(a)
  })
  return out
}

/** fmt.Sprintf for the verbs templates use: %s %v %d %q %t %x %X %f %c %%. */
export function sprintf(format: string, args: GoValue[]): string {
  let argi = 0
  let out = format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
    if (verb === '%') return '%'
    if (argi >= args.length) return `%!${verb}(MISSING)`
    const a = args[argi++]
    let s: string
    switch (verb) {
      case 'v':
      case 's':
        s = typeof a === 'string' || verb === 'v' || isObject(a) ? sprintValue(a) : `%!s(${typeOf(a)}=${sprintValue(a)})`
        if (prec !== undefined && typeof a === 'string') s = [...s].slice(0, Number(prec)).join('')
        break
      case 'd':
        s = typeof a === 'number' ? String(a) : `%!d(${typeOf(a)}=${sprintValue(a)})`
        break
      case 'q':
        s = typeof a === 'string' ? quoteGo(a) : `%!q(${typeOf(a)}=${sprintValue(a)})`
        break
      case 't':
        s = typeof a === 'boolean' ? String(a) : `%!t(${typeOf(a)}=${sprintValue(a)})`
        break
      case 'x':
      case 'X':
        s = typeof a === 'number' ? a.toString(16) : typeof a === 'string' ? Buffer.from(a, 'utf8').toString('hex') : `%!${verb}(${typeOf(a)}=${sprintValue(a)})`
        if (verb === 'X') s = s.toUpperCase()
        break
      case 'f':
        s = a instanceof GoFloat ? a.v.toFixed(prec === undefined ? 6 : Number(prec)) : `%!f(${typeOf(a)}=${sprintValue(a)})`
        break
      case 'c':
        s = typeof a === 'number' ? String.fromCodePoint(a) : `%!c(${typeOf(a)}=${sprintValue(a)})`
        break
      default:
        return m
    }
    if (width !== undefined && s.length < Number(width)) s = flags.includes('-') ? s.padEnd(Number(width)) : s.padStart(Number(width), flags.includes('0') && verb === 'd' ? '0' : ' ')
    return s
  })
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${typeOf(a)}=${sprintValue(a)}`).join(', ')})`
  return out
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid'
function basicKind(v: GoValue): Kind {
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return 'int'
  if (v instanceof GoFloat) return 'float'
  if (typeof v === 'string') return 'string'
  return 'invalid'
}

function eq(a: GoValue, others: GoValue[]): boolean {
  if (others.length === 0) throw new FuncError('missing argument for comparison')
  const k1 = basicKind(a)
  for (const b of others) {
    const k2 = basicKind(b)
    if (k1 !== k2) {
      if (a !== undefined && b !== undefined) throw new FuncError('incompatible types for comparison')
      continue
    }
    if (k1 === 'invalid') {
      if ((a === null || a === undefined) !== (b === null || b === undefined)) continue
      if (a === null || a === undefined) return true
      throw new FuncError(`non-comparable type ${sprintValue(b)}: ${typeOf(b)}`)
    }
    const x = a instanceof GoFloat ? a.v : a
    const y = b instanceof GoFloat ? b.v : b
    if (x === y) return true
  }
  return false
}

function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a)
  const k2 = basicKind(b)
  if (k1 === 'invalid' || k2 === 'invalid' || k1 === 'bool') throw new FuncError('invalid type for comparison')
  if (k1 !== k2) throw new FuncError('incompatible types for comparison')
  const x = a instanceof GoFloat ? a.v : (a as number | string)
  const y = b instanceof GoFloat ? b.v : (b as number | string)
  if (typeof x === 'string') return Buffer.compare(Buffer.from(x), Buffer.from(y as string)) < 0
  return (x as number) < (y as number)
}

function length(v: GoValue): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8')
  if (isObject(v) && v.kind === 'slice') return v.items.length
  if (isObject(v) && v.kind === 'map') return v.entries.length
  if (v === null || v === undefined) throw new FuncError('len of nil pointer')
  throw new FuncError(`len of type ${typeOf(v)}`)
}

function index(item: GoValue, indexes: GoValue[]): GoValue {
  let v = item
  if (v === null || v === undefined) throw new FuncError('index of untyped nil')
  for (const i of indexes) {
    if (isObject(v) && v.kind === 'slice') {
      if (typeof i !== 'number') throw new FuncError(i === null ? 'cannot index slice/array with nil' : `cannot index slice/array with type ${typeOf(i)}`)
      if (i < 0 || i >= v.items.length) throw new FuncError(`index out of range: ${i}`)
      v = v.items[i]
    } else if (typeof v === 'string') {
      if (typeof i !== 'number') throw new FuncError(`cannot index slice/array with type ${typeOf(i)}`)
      const bytes = Buffer.from(v, 'utf8')
      if (i < 0 || i >= bytes.length) throw new FuncError(`index out of range: ${i}`)
      v = bytes[i] as number
    } else if (isObject(v) && v.kind === 'map') {
      if (v.stringKeys && typeof i !== 'string') throw new FuncError(`value has type ${typeOf(i)}; should be string`)
      // A missing key gives the zero value of the element type: for these maps, a string or nil.
      const hit = v.entries.find(([k]) => k === i)
      v = hit ? hit[1] : v.type === 'map[string]string' ? '' : null
    } else if (v === null) {
      throw new FuncError('index of nil pointer')
    } else {
      throw new FuncError(`can't index item of type ${typeOf(v)}`)
    }
  }
  return v
}

// Sprig's strval: strings as they are, anything else through %v.
const strval = (v: GoValue): string => (typeof v === 'string' ? v : v === null || v === undefined ? '<nil>' : sprintValue(v))

// Sprig's strslice: the strings of a list, nil dropped; a scalar becomes a one-element list.
function strslice(v: GoValue): string[] {
  if (v === null || v === undefined) return []
  if (isObject(v) && v.kind === 'slice') return v.items.filter((x) => x !== null && x !== undefined).map(strval)
  return [strval(v)]
}

function toInt64(v: GoValue): number {
  if (typeof v === 'number') return v
  if (v instanceof GoFloat) return Math.trunc(v.v)
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'string') {
    const n = Number(v)
    return Number.isFinite(n) ? Math.trunc(n) : 0
  }
  return 0
}

// Sprig's empty: nil, and the zero value of every kind but struct.
const empty = (v: GoValue): boolean => !isTrue(v)

const list = (items: GoValue[]): GoValue => slice('[]interface {}', items)

function goTitle(s: string): string {
  let prev = ' '
  let out = ''
  for (const ch of s) {
    const sep = !/[\p{L}\p{Nd}_]/u.test(prev)
    out += sep ? ch.toUpperCase() : ch
    prev = ch
  }
  return out
}

const BUILTINS: Record<string, GoFunction> = {
  and: fn(['value'], () => null, 'value'),
  or: fn(['value'], () => null, 'value'),
  not: fn(['value'], ([a]) => !isTrue(a)),
  len: fn(['value'], ([a]) => length(a)),
  index: fn(['value'], ([a, ...rest]) => index(a, rest), 'value'),
  print: fn([], (args) => sprint(args), 'any'),
  println: fn([], (args) => args.map((a) => sprintValue(a)).join(' ') + '\n', 'any'),
  printf: fn(['string'], ([f, ...rest]) => sprintf(str(f), rest), 'any'),
  eq: fn(['value'], ([a, ...rest]) => eq(a, rest), 'value'),
  ne: fn(['value', 'value'], ([a, b]) => !eq(a, [b])),
  lt: fn(['value', 'value'], ([a, b]) => lt(a, b)),
  le: fn(['value', 'value'], ([a, b]) => lt(a, b) || eq(a, [b])),
  gt: fn(['value', 'value'], ([a, b]) => !lt(a, b) && !eq(a, [b])),
  ge: fn(['value', 'value'], ([a, b]) => !lt(a, b)),
  html: fn([], (args) => sprint(args).replace(/[<>&'"\0]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' })[c] as string), 'any'),
  urlquery: fn([], (args) => encodeURIComponent(sprint(args)).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`), 'any'),
}

const SPRIG: Record<string, GoFunction> = {
  trim: fn(['string'], ([s]) => str(s).replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/g, '')),
  upper: fn(['string'], ([s]) => str(s).toUpperCase()),
  lower: fn(['string'], ([s]) => str(s).toLowerCase()),
  title: fn(['string'], ([s]) => goTitle(str(s))),
  trimAll: fn(['string', 'string'], ([a, b]) => trimSet(str(b), str(a))),
  trimall: fn(['string', 'string'], ([a, b]) => trimSet(str(b), str(a))),
  trimPrefix: fn(['string', 'string'], ([a, b]) => (str(b).startsWith(str(a)) ? str(b).slice(str(a).length) : str(b))),
  trimSuffix: fn(['string', 'string'], ([a, b]) => (str(a) !== '' && str(b).endsWith(str(a)) ? str(b).slice(0, -str(a).length) : str(b))),
  contains: fn(['string', 'string'], ([a, b]) => str(b).includes(str(a))),
  hasPrefix: fn(['string', 'string'], ([a, b]) => str(b).startsWith(str(a))),
  hasSuffix: fn(['string', 'string'], ([a, b]) => str(b).endsWith(str(a))),
  repeat: fn(['int', 'string'], ([n, s]) => str(s).repeat(Math.max(0, int(n)))),
  replace: fn(['string', 'string', 'string'], ([o, n, s]) => str(s).split(str(o)).join(str(n))),
  quote: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => quoteGo(strval(a))).join(' '), 'any'),
  squote: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${strval(a)}'`).join(' '), 'any'),
  cat: fn([], (args) => args.filter((a) => a !== null && a !== undefined).map(strval).join(' '), 'any'),
  indent: fn(['int', 'string'], ([n, s]) => ' '.repeat(int(n)) + str(s).split('\n').join('\n' + ' '.repeat(int(n)))),
  nindent: fn(['int', 'string'], ([n, s]) => '\n' + ' '.repeat(int(n)) + str(s).split('\n').join('\n' + ' '.repeat(int(n)))),
  toString: fn(['any'], ([v]) => strval(v)),
  join: fn(['string', 'any'], ([sep, v]) => strslice(v).join(str(sep))),
  splitList: fn(['string', 'string'], ([sep, s]) => slice('[]string', str(s).split(str(sep)))),
  trunc: fn(['int', 'string'], ([c, s]) => {
    const n = int(c)
    const t = str(s)
    if (n < 0 && t.length + n > 0) return t.slice(t.length + n)
    if (n >= 0 && t.length > n) return t.slice(0, n)
    return t
  }),
  default: fn(['any'], ([d, ...given]) => (given.length === 0 || empty(given[0]) ? d : given[0]), 'any'),
  empty: fn(['any'], ([v]) => empty(v)),
  coalesce: fn([], (args) => args.find((a) => !empty(a)) ?? null, 'any'),
  ternary: fn(['any', 'any', 'bool'], ([a, b, c]) => (c ? a : b)),
  list: fn([], (args) => list(args), 'any'),
  tuple: fn([], (args) => list(args), 'any'),
  first: fn(['any'], ([v]) => (isObject(v) && v.kind === 'slice' ? (v.items[0] ?? null) : null)),
  last: fn(['any'], ([v]) => (isObject(v) && v.kind === 'slice' ? (v.items[v.items.length - 1] ?? null) : null)),
  uniq: fn(['any'], ([v]) => {
    const items = isObject(v) && v.kind === 'slice' ? v.items : []
    const out: GoValue[] = []
    for (const x of items) if (!out.some((y) => sprintValue(y) === sprintValue(x) && typeOf(y) === typeOf(x))) out.push(x)
    return list(out)
  }),
  sortAlpha: fn(['any'], ([v]) => slice('[]string', strslice(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))))),
  has: fn(['any', 'any'], ([needle, v]) => isObject(v) && v.kind === 'slice' && v.items.some((x) => typeOf(x) === typeOf(needle) && sprintValue(x) === sprintValue(needle))),
  add: fn([], (args) => args.reduce<number>((a, b) => a + toInt64(b), 0), 'any'),
  add1: fn(['any'], ([a]) => toInt64(a) + 1),
  sub: fn(['any', 'any'], ([a, b]) => toInt64(a) - toInt64(b)),
  mul: fn(['any'], ([a, ...rest]) => rest.reduce<number>((x, y) => x * toInt64(y), toInt64(a)), 'any'),
  base: fn(['string'], ([p]) => pathBase(str(p))),
  b64enc: fn(['string'], ([s]) => Buffer.from(str(s), 'utf8').toString('base64')),
  dict: fn([], (args) => {
    const entries: [string, GoValue][] = []
    for (let i = 0; i < args.length; i += 2) {
      const k = strval(args[i])
      const v = i + 1 < args.length ? args[i + 1] : ''
      const at = entries.findIndex(([x]) => x === k)
      if (at >= 0) entries[at] = [k, v as GoValue]
      else entries.push([k, v as GoValue])
    }
    return stringMap('map[string]interface {}', entries)
  }, 'any'),
  get: fn(['any', 'string'], ([m, k]) => (isObject(m) && m.kind === 'map' ? (m.entries.find(([x]) => x === k)?.[1] ?? '') : '')),
  hasKey: fn(['any', 'string'], ([m, k]) => isObject(m) && m.kind === 'map' && m.entries.some(([x]) => x === k)),
}

// The builtins call and js (slice is Sprig's), and every other name in Sprig v3.3.0's HermeticTxtFuncMap: accepted, not run.
const SPRIG_OTHERS =
  'ago abbrev abbrevboth adler32sum add1f addf all any append atoi b32dec b32enc b64dec bcrypt biggest buildCustomCert camelcase ceil chunk clean compact concat decryptAES deepCopy deepEqual derivePassword dig dir div divf duration durationRound encryptAES ext fail float64 floor fromJson genCA genCAWithKey genPrivateKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey hello htpasswd initial initials int int64 isAbs kebabcase keys kindIs kindOf max maxf merge mergeOverwrite min minf mod mulf must_date_modify mustAppend mustChunk mustCompact mustDateModify mustDeepCopy mustFirst mustFromJson mustHas mustInitial mustLast mustMerge mustMergeOverwrite mustPrepend mustPush mustRegexFind mustRegexFindAll mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson mustToPrettyJson mustToRawJson mustUniq mustWithout nospace omit osBase osClean osDir osExt osIsAbs pick plural pluck prepend push randInt regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll regexReplaceAllLiteral regexSplit rest reverse round semver semverCompare seq set sha1sum sha256sum sha512sum shuffle slice snakecase split splitn subf substr swapcase toDate toDecimal toJson toPrettyJson toRawJson toStrings typeIs typeIsLike typeOf unixEpoch unset until untilStep untitle urlJoin urlParse values without wrap wrapWith'.split(' ')

function trimSet(s: string, cut: string): string {
  const set = new Set([...cut])
  const chars = [...s]
  let a = 0
  let b = chars.length
  while (a < b && set.has(chars[a] as string)) a++
  while (b > a && set.has(chars[b - 1] as string)) b--
  return chars.slice(a, b).join('')
}

function pathBase(p: string): string {
  if (p === '') return '.'
  const t = p.replace(/\/+$/, '')
  if (t === '') return '/'
  return t.slice(t.lastIndexOf('/') + 1)
}

/** The function map of Flux's commit-message template: builtins, then Sprig over them. */
export function fluxTemplateFuncs(): Map<string, GoFunction> {
  const m = new Map<string, GoFunction>(Object.entries(BUILTINS))
  for (const [k, v] of Object.entries(SPRIG)) m.set(k, v)
  for (const name of ['call', 'js', ...SPRIG_OTHERS]) {
    m.set(name, fn([], () => {
      throw new Unsupported(name)
    }, 'any'))
  }
  return m
}
