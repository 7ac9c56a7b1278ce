// Go's text/template/parse: the lexer (trim markers, comments, raw strings) and the parser
// (actions, pipelines, declarations, if/else if/range/with/else, define/template/block,
// break/continue), with its error texts: `template: NAME:LINE: MSG`. Ported from the
// behaviour of Go's parse/lex.go and parse/parse.go.

import { quoteGo } from '../quote.js'

export class TemplateError extends Error {}

type ItemType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'assign' | 'declare' | 'eof' | 'field' | 'identifier'
  | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString' | 'rightDelim' | 'rightParen' | 'space'
  | 'string' | 'text' | 'variable'
  // keywords
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil' | 'range' | 'template' | 'with'

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot', block: 'block', break: 'break', continue: 'continue', define: 'define', else: 'else', end: 'end',
  if: 'if', nil: 'nil', range: 'range', template: 'template', with: 'with',
}
const KEYWORD_TYPES = new Set<ItemType>(Object.values(KEYWORDS))

interface Item {
  typ: ItemType
  pos: number
  val: string
  line: number
}

function itemString(i: Item): string {
  if (i.typ === 'eof') return 'EOF'
  if (i.typ === 'error') return i.val
  if (KEYWORD_TYPES.has(i.typ)) return `<${i.val}>`
  const runes = [...i.val]
  if (runes.length > 10) return `${quoteGo(runes.slice(0, 10).join(''))}...`
  return quoteGo(i.val)
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n'
const isAlphaNumeric = (c: string | undefined): boolean => c !== undefined && (c === '_' || /[\p{L}\p{Nd}]/u.test(c))
const hasLeftTrim = (s: string, at: number): boolean => s[at] === '-' && isSpace(s[at + 1])
const hasRightTrim = (s: string, at: number): boolean => isSpace(s[at]) && s[at + 1] === '-'

// The lexer runs to completion and returns every item; an error item ends the list.
function lex(input: string): Item[] {
  const items: Item[] = []
  let pos = 0
  let start = 0
  let line = 1
  let startLine = 1
  let parenDepth = 0
  const emit = (typ: ItemType): void => {
    items.push({ typ, pos: start, val: input.slice(start, pos), line: startLine })
    line += count(input.slice(start, pos), '\n')
    start = pos
    startLine = line
  }
  const ignore = (): void => {
    line += count(input.slice(start, pos), '\n')
    start = pos
    startLine = line
  }
  const error = (msg: string): Item[] => {
    items.push({ typ: 'error', pos: start, val: msg, line: startLine })
    return items
  }
  const atRightDelim = (): [boolean, boolean] => {
    if (hasRightTrim(input, pos) && input.startsWith('}}', pos + 2)) return [true, true]
    return [input.startsWith('}}', pos), false]
  }
  const atTerminator = (): boolean => {
    const r = input[pos]
    return r === undefined || isSpace(r) || '.,|:)('.includes(r) || r === '}'
  }
  for (;;) {
    // lexText
    const x = input.indexOf('{{', pos)
    if (x < 0) {
      pos = input.length
      if (pos > start) emit('text')
      items.push({ typ: 'eof', pos, val: '', line })
      return items
    }
    pos = x
    let trim = 0
    if (hasLeftTrim(input, pos + 2)) trim = input.slice(start, pos).length - input.slice(start, pos).replace(/[ \t\r\n]+$/, '').length
    pos -= trim
    if (pos > start) emit('text')
    pos += trim
    ignore()
    // lexLeftDelim
    pos += 2
    const trimLeft = hasLeftTrim(input, pos)
    const after = trimLeft ? 2 : 0
    if (input.startsWith('/*', pos + after)) {
      pos += after
      ignore()
      pos += 2
      const end = input.indexOf('*/', pos)
      if (end < 0) return error('unclosed comment')
      pos = end + 2
      const [delim, trimSpace] = atRightDelim()
      if (!delim) return error('comment ends before closing delimiter')
      if (trimSpace) pos += 2
      pos += 2
      if (trimSpace) pos += leftTrimLength(input, pos)
      ignore()
      continue
    }
    emit('leftDelim')
    pos += after
    ignore()
    parenDepth = 0
    // lexInsideAction, until the right delimiter
    for (;;) {
      const [delim, trimSpace] = atRightDelim()
      if (delim) {
        if (parenDepth !== 0) return error('unclosed left paren')
        if (trimSpace) {
          pos += 2
          ignore()
        }
        pos += 2
        emit('rightDelim')
        if (trimSpace) {
          pos += leftTrimLength(input, pos)
          ignore()
        }
        break
      }
      const r = input[pos]
      if (r === undefined) return error('unclosed action')
      if (isSpace(r)) {
        let n = 0
        while (isSpace(input[pos])) {
          pos++
          n++
        }
        if (hasRightTrim(input, pos - 1) && input.startsWith('}}', pos + 1)) {
          pos--
          if (n === 1) continue
        }
        emit('space')
        continue
      }
      pos += r.length
      if (r === '=') emit('assign')
      else if (r === ':') {
        if (input[pos] !== '=') return error('expected :=')
        pos++
        emit('declare')
      } else if (r === '|') emit('pipe')
      else if (r === '"') {
        if (!scanQuoted('"')) return error('unterminated quoted string')
        emit('string')
      } else if (r === '`') {
        const end = input.indexOf('`', pos)
        if (end < 0) return error('unterminated raw quoted string')
        pos = end + 1
        emit('rawString')
      } else if (r === '$' || (r === '.' && !/[0-9]/.test(input[pos] ?? ''))) {
        if (atTerminator()) {
          emit(r === '$' ? 'variable' : 'dot')
          continue
        }
        while (isAlphaNumeric(input[pos])) pos++
        if (!atTerminator()) return error(`bad character ${runeU(input[pos])}`)
        emit(r === '$' ? 'variable' : 'field')
      } else if (r === "'") {
        if (!scanQuoted("'")) return error('unterminated character constant')
        emit('charConstant')
      } else if (r === '.' || r === '+' || r === '-' || /[0-9]/.test(r)) {
        pos--
        if (!scanNumber()) return error(`bad number syntax: ${quoteGo(input.slice(start, pos))}`)
        emit('number')
      } else if (isAlphaNumeric(r)) {
        while (isAlphaNumeric(input[pos])) pos++
        const word = input.slice(start, pos)
        if (!atTerminator()) return error(`bad character ${runeU(input[pos])}`)
        const kw = KEYWORDS[word]
        emit(kw ?? (word === 'true' || word === 'false' ? 'bool' : 'identifier'))
      } else if (r === '(') {
        emit('leftParen')
        parenDepth++
      } else if (r === ')') {
        emit('rightParen')
        parenDepth--
        if (parenDepth < 0) return error(`unexpected right paren ${runeU(r)}`)
      } else if (r.charCodeAt(0) < 0x7f && r.charCodeAt(0) >= 0x20) emit('char')
      else return error(`unrecognized character in action: ${runeU(r)}`)
    }
  }

  // Past the opening quote to the closing one; a backslash escapes any character but a
  // newline. False when the line or the input ends first.
  function scanQuoted(quote: string): boolean {
    for (;;) {
      const c = input[pos++]
      if (c === '\\') {
        const d = input[pos++]
        if (d !== undefined && d !== '\n') continue
        return false
      }
      if (c === undefined || c === '\n') return false
      if (c === quote) return true
    }
  }

  function scanNumber(): boolean {
    if (input[pos] === '+' || input[pos] === '-') pos++
    let digits = '0123456789_'
    if (input[pos] === '0' && /[xX]/.test(input[pos + 1] ?? '')) {
      pos += 2
      digits = '0123456789abcdefABCDEF_'
    } else if (input[pos] === '0' && /[oO]/.test(input[pos + 1] ?? '')) {
      pos += 2
      digits = '01234567_'
    } else if (input[pos] === '0' && /[bB]/.test(input[pos + 1] ?? '')) {
      pos += 2
      digits = '01_'
    }
    while (digits.includes(input[pos] ?? '\0')) pos++
    if (input[pos] === '.') {
      pos++
      while (digits.includes(input[pos] ?? '\0')) pos++
    }
    if (digits.length === 11 && /[eE]/.test(input[pos] ?? '')) {
      pos++
      if (input[pos] === '+' || input[pos] === '-') pos++
      while (/[0-9_]/.test(input[pos] ?? '')) pos++
    }
    if (input[pos] === 'i') pos++
    if (isAlphaNumeric(input[pos])) {
      pos++
      return false
    }
    return true
  }
}

function leftTrimLength(s: string, at: number): number {
  let n = 0
  while (isSpace(s[at + n])) n++
  return n
}

function count(s: string, ch: string): number {
  let n = 0
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++
  return n
}

/** fmt's %#U: U+0021 '!'. */
function runeU(r: string | undefined): string {
  if (r === undefined) return 'U+FFFFFFFF'
  const c = r.codePointAt(0) as number
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')} '${r}'`
}

// ---- The parse tree ----

export type Arg =
  | { t: 'field'; pos: number; ident: string[] }
  | { t: 'variable'; pos: number; ident: string[] }
  | { t: 'chain'; pos: number; node: Arg; field: string[] }
  | { t: 'identifier'; pos: number; name: string }
  | { t: 'dot'; pos: number }
  | { t: 'nil'; pos: number }
  | { t: 'bool'; pos: number; value: boolean }
  | { t: 'number'; pos: number; text: string }
  | { t: 'string'; pos: number; quoted: string; value: string }
  | Pipe

export interface Command {
  t: 'command'
  pos: number
  args: Arg[]
}

export interface Pipe {
  t: 'pipe'
  pos: number
  isAssign: boolean
  decl: string[]
  cmds: Command[]
}

export type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pos: number; pipe: Pipe }
  | { t: 'if' | 'with' | 'range'; pos: number; pipe: Pipe; list: Node[]; elseList?: Node[] }
  | { t: 'template'; pos: number; name: string; pipe?: Pipe }
  | { t: 'break' | 'continue'; pos: number }

type Control = { t: 'end' | 'else'; pos: number; line: number }

export interface Template {
  name: string
  text: string
  root: Node[]
  /** Templates named by define and block. */
  defined: Map<string, Node[]>
}

export function argString(a: Arg | Command): string {
  switch (a.t) {
    case 'field':
      return a.ident.map((i) => `.${i}`).join('')
    case 'variable':
      return a.ident.join('.')
    case 'chain':
      return `${a.node.t === 'pipe' ? `(${argString(a.node)})` : argString(a.node)}${a.field.map((f) => `.${f}`).join('')}`
    case 'identifier':
      return a.name
    case 'dot':
      return '.'
    case 'nil':
      return 'nil'
    case 'bool':
      return String(a.value)
    case 'number':
      return a.text
    case 'string':
      return a.quoted
    case 'command':
      return a.args.map((x) => (x.t === 'pipe' ? `(${argString(x)})` : argString(x))).join(' ')
    case 'pipe':
      return `${a.decl.length > 0 ? `${a.decl.join(', ')} ${a.isAssign ? '=' : ':='} ` : ''}${a.cmds.map(argString).join(' | ')}`
  }
}

/** template.New(name).Funcs(funcs).Parse(text). */
export function parseTemplate(name: string, text: string, hasFunction: (name: string) => boolean): Template {
  const items = lex(text)
  let i = 0
  let last: Item = items[0] as Item
  let actionLine = 0
  let rangeDepth = 0
  let vars: string[] = ['$']
  const defined = new Map<string, Node[]>()

  const next = (): Item => (last = items[Math.min(i++, items.length - 1)] as Item)
  const backup = (): void => {
    i--
  }
  const peek = (): Item => items[Math.min(i, items.length - 1)] as Item
  const nextNonSpace = (): Item => {
    let t = next()
    while (t.typ === 'space') t = next()
    return t
  }
  const peekNonSpace = (): Item => {
    const t = nextNonSpace()
    backup()
    return t
  }
  const errorf = (msg: string): never => {
    throw new TemplateError(`template: ${name}:${last.line}: ${msg}`)
  }
  const unexpected = (token: Item, context: string): never => {
    if (token.typ === 'error') {
      let extra = ''
      if (actionLine !== 0 && actionLine !== token.line) {
        extra = ` in action started at ${name}:${actionLine}`
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length)
      }
      return errorf(`${itemString(token)}${extra}`)
    }
    return errorf(`unexpected ${itemString(token)} in ${context}`)
  }
  const expect = (typ: ItemType, context: string): Item => {
    const t = nextNonSpace()
    if (t.typ !== typ) unexpected(t, context)
    return t
  }
  const unquote = (tok: Item): string => {
    if (tok.typ === 'rawString') return tok.val.slice(1, -1).replace(/\r/g, '')
    try {
      return JSON.parse(tok.val.replace(/\\([abfv])|\\x([0-9a-fA-F]{2})|\\'|\\U([0-9a-fA-F]{8})|\\([0-7]{3})/g, (_m, c: string, hex: string, big: string, oct: string) => {
        if (c) return { a: '\\u0007', b: '\\b', f: '\\f', v: '\\u000b' }[c] as string
        if (hex) return `\\u00${hex}`
        if (big) return JSON.stringify(String.fromCodePoint(parseInt(big, 16))).slice(1, -1)
        if (oct) return `\\u${parseInt(oct, 8).toString(16).padStart(4, '0')}`
        return "'"
      })) as string
    } catch {
      return errorf('invalid syntax')
    }
  }

  const pipeline = (context: string, end: ItemType): Pipe => {
    const start = peekNonSpace()
    const pipe: Pipe = { t: 'pipe', pos: start.pos, isAssign: false, decl: [], cmds: [] }
    decls: for (;;) {
      const v = peekNonSpace()
      if (v.typ !== 'variable') break
      nextNonSpace()
      const tokenAfter = peek()
      const nxt = peekNonSpace()
      if (nxt.typ === 'assign' || nxt.typ === 'declare') {
        pipe.isAssign = nxt.typ === 'assign'
        nextNonSpace()
        pipe.decl.push(v.val)
        vars.push(v.val)
      } else if (nxt.typ === 'char' && nxt.val === ',') {
        nextNonSpace()
        pipe.decl.push(v.val)
        vars.push(v.val)
        if (context === 'range' && pipe.decl.length < 2) {
          const p = peekNonSpace().typ
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue decls
          errorf('range can only initialize variables')
        }
        errorf(`too many declarations in ${context}`)
      } else if (tokenAfter.typ === 'space') {
        // "$x foo": an argument, not a declaration. Back up over the variable and the space.
        i = items.indexOf(v)
      } else {
        i = items.indexOf(v)
      }
      break
    }
    for (;;) {
      const token = nextNonSpace()
      if (token.typ === end) {
        if (pipe.cmds.length === 0) errorf(`missing value for ${context}`)
        pipe.cmds.slice(1).forEach((c, k) => {
          if (['bool', 'dot', 'nil', 'number', 'string'].includes((c.args[0] as Arg).t)) errorf(`non executable command in pipeline stage ${k + 2}`)
        })
        return pipe
      }
      if (['bool', 'charConstant', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen'].includes(token.typ)) {
        backup()
        pipe.cmds.push(command())
      } else unexpected(token, context)
    }
  }

  const command = (): Command => {
    const cmd: Command = { t: 'command', pos: peekNonSpace().pos, args: [] }
    for (;;) {
      peekNonSpace()
      const op = operand()
      if (op) cmd.args.push(op)
      const token = next()
      if (token.typ === 'space') continue
      if (token.typ === 'rightDelim' || token.typ === 'rightParen') backup()
      else if (token.typ !== 'pipe') unexpected(token, 'operand')
      break
    }
    if (cmd.args.length === 0) errorf('empty command')
    return cmd
  }

  const operand = (): Arg | undefined => {
    let node = term()
    if (!node) return undefined
    if (peek().typ === 'field') {
      const pos = peek().pos
      const fields: string[] = []
      while (peek().typ === 'field') fields.push(next().val.slice(1))
      if (node.t === 'field') node = { t: 'field', pos, ident: [...node.ident, ...fields] }
      else if (node.t === 'variable') node = { t: 'variable', pos, ident: [...node.ident, ...fields] }
      else if (['bool', 'string', 'number', 'nil', 'dot'].includes(node.t)) errorf(`unexpected . after term ${quoteGo(argString(node))}`)
      else node = { t: 'chain', pos, node, field: fields }
    }
    return node
  }

  const term = (): Arg | undefined => {
    const token = nextNonSpace()
    switch (token.typ) {
      case 'identifier':
        if (!hasFunction(token.val)) errorf(`function ${quoteGo(token.val)} not defined`)
        return { t: 'identifier', pos: token.pos, name: token.val }
      case 'dot':
        return { t: 'dot', pos: token.pos }
      case 'nil':
        return { t: 'nil', pos: token.pos }
      case 'variable': {
        const ident = token.val.split('.')
        if (!vars.includes(ident[0] as string)) errorf(`undefined variable ${quoteGo(ident[0] as string)}`)
        return { t: 'variable', pos: token.pos, ident }
      }
      case 'field':
        return { t: 'field', pos: token.pos, ident: token.val.slice(1).split('.') }
      case 'bool':
        return { t: 'bool', pos: token.pos, value: token.val === 'true' }
      case 'charConstant':
      case 'number':
        return numberArg(token)
      case 'leftParen':
        return pipeline('parenthesized pipeline', 'rightParen')
      case 'string':
      case 'rawString':
        return { t: 'string', pos: token.pos, quoted: token.val, value: unquote(token) }
      default:
        backup()
        return undefined
    }
  }

  const numberArg = (token: Item): Arg => {
    if (token.typ === 'charConstant') {
      const v = unquote({ ...token, typ: 'string', val: `"${token.val.slice(1, -1).replace(/"/g, '\\"')}"` })
      if ([...v].length !== 1) errorf(`malformed character constant: ${token.val}`)
      return { t: 'number', pos: token.pos, text: String(v.codePointAt(0)) }
    }
    if (token.val.endsWith('i')) errorf(`complex numbers are not supported: ${token.val}`)
    if (!Number.isFinite(Number(token.val.replace(/_/g, ''))) && !/^[+-]?0[oObB]/.test(token.val)) errorf(`illegal number syntax: ${quoteGo(token.val)}`)
    return { t: 'number', pos: token.pos, text: token.val }
  }

  const itemList = (): [Node[], Control] => {
    const list: Node[] = []
    while (peekNonSpace().typ !== 'eof') {
      const n = textOrAction()
      if (isControl(n)) return [list, n]
      list.push(n)
    }
    return errorf('unexpected EOF')
  }

  const textOrAction = (): Node | Control => {
    const token = nextNonSpace()
    if (token.typ === 'text') return { t: 'text', text: token.val }
    if (token.typ === 'leftDelim') {
      actionLine = token.line
      try {
        return action()
      } finally {
        actionLine = 0
      }
    }
    return unexpected(token, 'input')
  }

  const action = (): Node | Control => {
    const token = nextNonSpace()
    switch (token.typ) {
      case 'block':
        return blockControl()
      case 'break':
      case 'continue': {
        const t = nextNonSpace()
        if (t.typ !== 'rightDelim') unexpected(t, `{{${token.typ}}}`)
        if (rangeDepth === 0) errorf(`{{${token.typ}}} outside {{range}}`)
        return { t: token.typ, pos: token.pos }
      }
      case 'else': {
        const p = peekNonSpace()
        if (p.typ === 'if') return { t: 'else', pos: p.pos, line: p.line }
        const t = expect('rightDelim', 'else')
        return { t: 'else', pos: t.pos, line: t.line }
      }
      case 'end':
        return { t: 'end', pos: expect('rightDelim', 'end').pos, line: token.line }
      case 'if':
        return control('if', true)
      case 'range':
        return control('range', false)
      case 'with':
        return control('with', false)
      case 'template': {
        const nameTok = nextNonSpace()
        const tname = templateName(nameTok, 'template clause')
        let pipe: Pipe | undefined
        if (nextNonSpace().typ !== 'rightDelim') {
          backup()
          pipe = pipeline('template clause', 'rightDelim')
        }
        return { t: 'template', pos: nameTok.pos, name: tname, ...(pipe ? { pipe } : {}) }
      }
    }
    backup()
    return { t: 'action', pos: peek().pos, pipe: pipeline('command', 'rightDelim') }
  }

  const control = (t: 'if' | 'range' | 'with', allowElseIf: boolean): Node => {
    const mark = vars.length
    const pipe = pipeline(t, 'rightDelim')
    if (t === 'range') rangeDepth++
    const [list, first] = itemList()
    let nxt: Control = first
    if (t === 'range') rangeDepth--
    let elseList: Node[] | undefined
    if (nxt.t === 'else') {
      if (allowElseIf && peek().typ === 'if') {
        next()
        elseList = [control('if', true)]
      } else {
        ;[elseList, nxt] = itemList()
        if (nxt.t !== 'end') errorf(`expected end; found {{else}}`)
      }
    }
    vars = vars.slice(0, mark)
    return { t, pos: pipe.pos, pipe, list, ...(elseList ? { elseList } : {}) }
  }

  const templateName = (token: Item, context: string): string => {
    if (token.typ === 'string' || token.typ === 'rawString') return unquote(token)
    return unexpected(token, context)
  }

  const blockControl = (): Node => {
    const context = 'block clause'
    const token = nextNonSpace()
    const bname = templateName(token, context)
    const pipe = pipeline(context, 'rightDelim')
    const saved = vars
    vars = ['$']
    const [list, end] = itemList()
    if (end.t !== 'end') errorf(`unexpected {{else}} in ${context}`)
    vars = saved
    define(bname, list)
    return { t: 'template', pos: token.pos, name: bname, pipe }
  }

  const define = (dname: string, list: Node[]): void => {
    // A later non-empty definition replaces an earlier one; two non-empty ones are an error.
    const prior = defined.get(dname)
    if (prior && !isEmptyTree(prior) && !isEmptyTree(list)) errorf(`template: multiple definition of template ${quoteGo(dname)}`)
    if (!prior || !isEmptyTree(list)) defined.set(dname, list)
  }

  const root: Node[] = []
  while (peek().typ !== 'eof') {
    if (peek().typ === 'leftDelim') {
      const delim = i
      next()
      if (nextNonSpace().typ === 'define') {
        const context = 'define clause'
        const nameTok = nextNonSpace()
        if (nameTok.typ !== 'string' && nameTok.typ !== 'rawString') unexpected(nameTok, context)
        const dname = unquote(nameTok)
        expect('rightDelim', context)
        const saved = vars
        vars = ['$']
        const [list, end] = itemList()
        if (end.t !== 'end') errorf(`unexpected {{else}} in ${context}`)
        vars = saved
        define(dname, list)
        continue
      }
      i = delim
    }
    const n = textOrAction()
    if (isControl(n)) errorf(`unexpected {{${n.t}}}`)
    else root.push(n)
  }
  return { name, text, root, defined }
}

function isControl(n: Node | Control): n is Control {
  return n.t === 'end' || n.t === 'else'
}

function isEmptyTree(list: Node[]): boolean {
  return list.every((n) => n.t === 'text' && n.text.trim() === '')
}
