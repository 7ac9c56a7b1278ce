// yaml.v3 v3.0.4's scanner (scannerc.go), behaviour for behaviour: the same tokens, the same
// simple-key and indentation rules, the same error texts, and — what no other YAML library
// reproduces — the same comment capture (head, line and foot comments tied to token positions),
// which decides where Flux's re-encoded file puts every comment.

import { asHex, isAlpha, isBlank, isBlankZ, isBreak, isBreakZ, isDigit, isHex, isSpace, isTab, isZ } from './chars.js'

export interface Mark {
  index: number
  line: number
  column: number
}

export const enum Tok {
  StreamStart,
  StreamEnd,
  VersionDirective,
  TagDirective,
  DocumentStart,
  DocumentEnd,
  BlockSequenceStart,
  BlockMappingStart,
  BlockEnd,
  FlowSequenceStart,
  FlowSequenceEnd,
  FlowMappingStart,
  FlowMappingEnd,
  BlockEntry,
  FlowEntry,
  Key,
  Value,
  Alias,
  Anchor,
  Tag,
  Scalar,
}

export const enum ScalarStyle {
  Any = 0,
  Plain = 1,
  SingleQuoted = 2,
  DoubleQuoted = 3,
  Literal = 4,
  Folded = 5,
}

export interface Token {
  type: Tok
  start: Mark
  end: Mark
  /** Anchor/alias name, tag handle, scalar value, %TAG handle. */
  value: string
  /** Tag suffix. */
  suffix: string
  /** %TAG prefix. */
  prefix: string
  style: ScalarStyle
  major: number
  minor: number
}

export interface Comment {
  scan: Mark
  token: Mark
  start: Mark
  end: Mark
  head: string
  line: string
  foot: string
}

interface SimpleKey {
  possible: boolean
  required: boolean
  tokenNumber: number
  mark: Mark
}

export class YamlError extends Error {
  constructor(
    readonly kind: 'scanner' | 'parser' | 'reader',
    readonly problem: string,
    readonly problemMark: Mark,
    readonly context = '',
    readonly contextMark: Mark = { index: 0, line: 0, column: 0 },
  ) {
    super(problem)
  }

  /** The text yaml.v3 returns: "yaml: line N: problem" (parser.fail in decode.go). */
  goMessage(): string {
    let line = 0
    if (this.contextMark.line !== 0) line = this.contextMark.line + (this.kind === 'scanner' ? 1 : 0)
    else if (this.problemMark.line !== 0) line = this.problemMark.line + (this.kind === 'scanner' ? 1 : 0)
    return `yaml: ${line !== 0 ? `line ${line}: ` : ''}${this.problem}`
  }
}

const copyMark = (m: Mark): Mark => ({ index: m.index, line: m.line, column: m.column })
const MAX_FLOW_LEVEL = 10000
const MAX_INDENTS = 10000

function token(type: Tok, start: Mark, end: Mark, extra: Partial<Token> = {}): Token {
  return { type, start, end, value: '', suffix: '', prefix: '', style: ScalarStyle.Any, major: 0, minor: 0, ...extra }
}

export class Scanner {
  private readonly buf: number[]
  private pos = 0
  mark: Mark = { index: 0, line: 0, column: 0 }
  private newlines = 0

  tokens: Token[] = []
  tokensHead = 0
  tokensParsed = 0
  tokenAvailable = false
  private streamStartProduced = false
  streamEndProduced = false

  private indent = -1
  private indents: number[] = []
  private simpleKeyAllowed = false
  private simpleKeys: SimpleKey[] = []
  private simpleKeysByTok = new Map<number, number>()
  private flowLevel = 0

  comments: Comment[] = []
  commentsHead = 0

  constructor(codePoints: number[]) {
    this.buf = codePoints
  }

  private at(i: number): number {
    return i < this.buf.length ? (this.buf[i] as number) : 0
  }

  private c(off = 0): number {
    return this.at(this.pos + off)
  }

  private error(context: string, contextMark: Mark, problem: string): never {
    throw new YamlError('scanner', problem, copyMark(this.mark), context, copyMark(contextMark))
  }

  private skip(): void {
    if (!isBlank(this.c())) this.newlines = 0
    this.mark.index++
    this.mark.column++
    this.pos++
  }

  private skipLine(): void {
    const c = this.c()
    if (c === 0x0d && this.c(1) === 0x0a) {
      this.mark.index += 2
      this.mark.column = 0
      this.mark.line++
      this.pos += 2
      this.newlines++
    } else if (isBreak(c)) {
      this.mark.index++
      this.mark.column = 0
      this.mark.line++
      this.pos++
      this.newlines++
    }
  }

  private read(): string {
    const c = this.c()
    if (!isBlank(c)) this.newlines = 0
    this.pos++
    this.mark.index++
    this.mark.column++
    return String.fromCodePoint(c)
  }

  private readLine(): string {
    const c = this.c()
    let s: string
    if (c === 0x0d && this.c(1) === 0x0a) {
      s = '\n'
      this.pos += 2
      this.mark.index++
    } else if (c === 0x0d || c === 0x0a || c === 0x85) {
      s = '\n'
      this.pos += 1
    } else if (c === 0x2028 || c === 0x2029) {
      s = String.fromCodePoint(c)
      this.pos += 1
    } else {
      return ''
    }
    this.mark.index++
    this.mark.column = 0
    this.mark.line++
    this.newlines++
    return s
  }

  private insertToken(pos: number, t: Token): void {
    if (pos < 0) {
      this.tokens.push(t)
      return
    }
    this.tokens.splice(this.tokensHead + pos, 0, t)
  }

  /** The next token without consuming it (fetching as yaml.v3 does). */
  fetchMoreTokens(): void {
    for (;;) {
      if (this.tokensHead < this.tokens.length - 2) {
        const headTok = this.simpleKeysByTok.get(this.tokensParsed)
        if (headTok === undefined) break
        if (!this.simpleKeyIsValid(this.simpleKeys[headTok] as SimpleKey)) break
      }
      this.fetchNextToken()
    }
    this.tokenAvailable = true
  }

  private fetchNextToken(): void {
    if (!this.streamStartProduced) {
      this.fetchStreamStart()
      return
    }
    const scanMark = copyMark(this.mark)
    this.scanToNextToken()
    this.unrollIndent(this.mark.column, scanMark)
    const c = this.c()
    if (isZ(c)) {
      this.fetchStreamEnd()
      return
    }
    if (this.mark.column === 0 && c === 0x25 /* % */) {
      this.fetchDirective()
      return
    }
    if (this.mark.column === 0 && c === 0x2d && this.c(1) === 0x2d && this.c(2) === 0x2d && isBlankZ(this.c(3))) {
      this.fetchDocumentIndicator(Tok.DocumentStart)
      return
    }
    if (this.mark.column === 0 && c === 0x2e && this.c(1) === 0x2e && this.c(2) === 0x2e && isBlankZ(this.c(3))) {
      this.fetchDocumentIndicator(Tok.DocumentEnd)
      return
    }
    let commentMark = copyMark(this.mark)
    if (this.tokens.length > 0 && ((this.flowLevel === 0 && c === 0x3a) || (this.flowLevel > 0 && c === 0x2c))) {
      // Associate any following comments with the prior token.
      commentMark = (this.tokens[this.tokens.length - 1] as Token).start
    }
    this.fetchToken(c)
    // Sequence indicators alone have no line comments: it becomes a head comment for whatever follows.
    if (this.tokens.length > 0 && (this.tokens[this.tokens.length - 1] as Token).type === Tok.BlockEntry) return
    this.scanLineComment(commentMark)
  }

  private fetchToken(c: number): void {
    switch (c) {
      case 0x5b:
        return this.fetchFlowCollectionStart(Tok.FlowSequenceStart)
      case 0x7b:
        return this.fetchFlowCollectionStart(Tok.FlowMappingStart)
      case 0x5d:
        return this.fetchFlowCollectionEnd(Tok.FlowSequenceEnd)
      case 0x7d:
        return this.fetchFlowCollectionEnd(Tok.FlowMappingEnd)
      case 0x2c:
        return this.fetchFlowEntry()
    }
    const next = this.c(1)
    if (c === 0x2d && isBlankZ(next)) return this.fetchBlockEntry()
    if (c === 0x3f && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchKey()
    if (c === 0x3a && (this.flowLevel > 0 || isBlankZ(next))) return this.fetchValue()
    if (c === 0x2a) return this.fetchAnchor(Tok.Alias)
    if (c === 0x26) return this.fetchAnchor(Tok.Anchor)
    if (c === 0x21) return this.fetchTag()
    if (c === 0x7c && this.flowLevel === 0) return this.fetchBlockScalar(true)
    if (c === 0x3e && this.flowLevel === 0) return this.fetchBlockScalar(false)
    if (c === 0x27) return this.fetchFlowScalar(true)
    if (c === 0x22) return this.fetchFlowScalar(false)
    const indicator = isBlankZ(c) || '-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCodePoint(c))
    if (!indicator || (c === 0x2d && !isBlank(next)) || (this.flowLevel === 0 && (c === 0x3f || c === 0x3a) && !isBlankZ(next))) {
      return this.fetchPlainScalar()
    }
    this.error('while scanning for the next token', this.mark, 'found character that cannot start any token')
  }

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false
    if (key.mark.line < this.mark.line || key.mark.index + 1024 < this.mark.index) {
      if (key.required) this.error('while scanning a simple key', key.mark, "could not find expected ':'")
      key.possible = false
      return false
    }
    return true
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.mark.column
    if (this.simpleKeyAllowed) {
      const key: SimpleKey = { possible: true, required, tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead), mark: copyMark(this.mark) }
      this.removeSimpleKey()
      this.simpleKeys[this.simpleKeys.length - 1] = key
      this.simpleKeysByTok.set(key.tokenNumber, this.simpleKeys.length - 1)
    }
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1] as SimpleKey
    if (key.possible) {
      if (key.required) this.error('while scanning a simple key', key.mark, "could not find expected ':'")
      key.possible = false
      this.simpleKeysByTok.delete(key.tokenNumber)
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: this.tokensParsed + (this.tokens.length - this.tokensHead), mark: copyMark(this.mark) })
    this.flowLevel++
    if (this.flowLevel > MAX_FLOW_LEVEL) this.error('while increasing flow level', (this.simpleKeys[this.simpleKeys.length - 1] as SimpleKey).mark, `exceeded max depth of ${MAX_FLOW_LEVEL}`)
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--
      const last = this.simpleKeys.pop() as SimpleKey
      this.simpleKeysByTok.delete(last.tokenNumber)
    }
  }

  private rollIndent(column: number, number: number, type: Tok, mark: Mark): void {
    if (this.flowLevel > 0) return
    if (this.indent < column) {
      this.indents.push(this.indent)
      this.indent = column
      if (this.indents.length > MAX_INDENTS) this.error('while increasing indent level', (this.simpleKeys[this.simpleKeys.length - 1] as SimpleKey).mark, `exceeded max depth of ${MAX_INDENTS}`)
      this.insertToken(number > -1 ? number - this.tokensParsed : number, token(type, copyMark(mark), copyMark(mark)))
    }
  }

  private unrollIndent(column: number, scanMark: Mark): void {
    if (this.flowLevel > 0) return
    let blockMark = copyMark(scanMark)
    blockMark.index--
    while (this.indent > column) {
      // Reposition the end token before potential following foot comments of parent blocks.
      let stopIndex = blockMark.index
      for (let i = this.comments.length - 1; i >= 0; i--) {
        const comment = this.comments[i] as Comment
        if (comment.end.index < stopIndex) break
        if (comment.start.column === this.indent + 1) blockMark = comment.start
        stopIndex = comment.scan.index
      }
      this.insertToken(-1, token(Tok.BlockEnd, blockMark, blockMark))
      this.indent = this.indents.pop() as number
    }
  }

  private fetchStreamStart(): void {
    this.indent = -1
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: { index: 0, line: 0, column: 0 } })
    this.simpleKeysByTok = new Map()
    this.simpleKeyAllowed = true
    this.streamStartProduced = true
    this.insertToken(-1, token(Tok.StreamStart, copyMark(this.mark), copyMark(this.mark)))
  }

  private fetchStreamEnd(): void {
    if (this.mark.column !== 0) {
      this.mark.column = 0
      this.mark.line++
    }
    this.unrollIndent(-1, copyMark(this.mark))
    this.removeSimpleKey()
    this.simpleKeyAllowed = false
    this.insertToken(-1, token(Tok.StreamEnd, copyMark(this.mark), copyMark(this.mark)))
  }

  private fetchDirective(): void {
    this.unrollIndent(-1, copyMark(this.mark))
    this.removeSimpleKey()
    this.simpleKeyAllowed = false
    this.insertToken(-1, this.scanDirective())
  }

  private fetchDocumentIndicator(type: Tok): void {
    this.unrollIndent(-1, copyMark(this.mark))
    this.removeSimpleKey()
    this.simpleKeyAllowed = false
    const start = copyMark(this.mark)
    this.skip()
    this.skip()
    this.skip()
    this.insertToken(-1, token(type, start, copyMark(this.mark)))
  }

  private fetchFlowCollectionStart(type: Tok): void {
    this.saveSimpleKey()
    this.increaseFlowLevel()
    this.simpleKeyAllowed = true
    const start = copyMark(this.mark)
    this.skip()
    this.insertToken(-1, token(type, start, copyMark(this.mark)))
  }

  private fetchFlowCollectionEnd(type: Tok): void {
    this.removeSimpleKey()
    this.decreaseFlowLevel()
    this.simpleKeyAllowed = false
    const start = copyMark(this.mark)
    this.skip()
    this.insertToken(-1, token(type, start, copyMark(this.mark)))
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey()
    this.simpleKeyAllowed = true
    const start = copyMark(this.mark)
    this.skip()
    this.insertToken(-1, token(Tok.FlowEntry, start, copyMark(this.mark)))
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.error('', this.mark, 'block sequence entries are not allowed in this context')
      this.rollIndent(this.mark.column, -1, Tok.BlockSequenceStart, this.mark)
    }
    this.removeSimpleKey()
    this.simpleKeyAllowed = true
    const start = copyMark(this.mark)
    this.skip()
    this.insertToken(-1, token(Tok.BlockEntry, start, copyMark(this.mark)))
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.error('', this.mark, 'mapping keys are not allowed in this context')
      this.rollIndent(this.mark.column, -1, Tok.BlockMappingStart, this.mark)
    }
    this.removeSimpleKey()
    this.simpleKeyAllowed = this.flowLevel === 0
    const start = copyMark(this.mark)
    this.skip()
    this.insertToken(-1, token(Tok.Key, start, copyMark(this.mark)))
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1] as SimpleKey
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, token(Tok.Key, copyMark(key.mark), copyMark(key.mark)))
      this.rollIndent(key.mark.column, key.tokenNumber, Tok.BlockMappingStart, key.mark)
      key.possible = false
      this.simpleKeysByTok.delete(key.tokenNumber)
      this.simpleKeyAllowed = false
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.error('', this.mark, 'mapping values are not allowed in this context')
        this.rollIndent(this.mark.column, -1, Tok.BlockMappingStart, this.mark)
      }
      this.simpleKeyAllowed = this.flowLevel === 0
    }
    const start = copyMark(this.mark)
    this.skip()
    this.insertToken(-1, token(Tok.Value, start, copyMark(this.mark)))
  }

  private fetchAnchor(type: Tok): void {
    this.saveSimpleKey()
    this.simpleKeyAllowed = false
    this.insertToken(-1, this.scanAnchor(type))
  }

  private fetchTag(): void {
    this.saveSimpleKey()
    this.simpleKeyAllowed = false
    this.insertToken(-1, this.scanTag())
  }

  private fetchBlockScalar(literal: boolean): void {
    this.removeSimpleKey()
    this.simpleKeyAllowed = true
    this.insertToken(-1, this.scanBlockScalar(literal))
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey()
    this.simpleKeyAllowed = false
    this.insertToken(-1, this.scanFlowScalar(single))
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey()
    this.simpleKeyAllowed = false
    this.insertToken(-1, this.scanPlainScalar())
  }

  private scanToNextToken(): void {
    const scanMark = copyMark(this.mark)
    for (;;) {
      if (this.mark.column === 0 && this.pos === 0 && this.c() === 0xfeff) this.skip()
      while (this.c() === 0x20 || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.c() === 0x09)) this.skip()
      // A line comment under a sequence entry that reads as a header of the following content
      // ("- # comment" then "  - data") becomes a head comment.
      if (this.comments.length > 0 && this.tokens.length > 1) {
        const a = this.tokens[this.tokens.length - 2] as Token
        const b = this.tokens[this.tokens.length - 1] as Token
        const comment = this.comments[this.comments.length - 1] as Comment
        if (a.type === Tok.BlockSequenceStart && b.type === Tok.BlockEntry && comment.line.length > 0 && !isBreak(this.c())) {
          comment.head = comment.line
          comment.line = ''
          if (comment.start.line === this.mark.line - 1) comment.token = copyMark(this.mark)
        }
      }
      if (this.c() === 0x23) this.scanComments(scanMark)
      if (isBreak(this.c())) {
        this.skipLine()
        if (this.flowLevel === 0) this.simpleKeyAllowed = true
      } else {
        break
      }
    }
  }

  private scanDirective(): Token {
    const start = copyMark(this.mark)
    this.skip()
    const name = this.scanDirectiveName(start)
    let t: Token
    if (name === 'YAML') {
      const major = this.scanVersionDirectiveValue(start)
      t = token(Tok.VersionDirective, start, copyMark(this.mark), { major: major[0], minor: major[1] })
    } else if (name === 'TAG') {
      const [handle, prefix] = this.scanTagDirectiveValue(start)
      t = token(Tok.TagDirective, start, copyMark(this.mark), { value: handle, prefix })
    } else {
      this.error('while scanning a directive', start, 'found unknown directive name')
    }
    while (isBlank(this.c())) this.skip()
    if (this.c() === 0x23) while (!isBreakZ(this.c())) this.skip()
    if (!isBreakZ(this.c())) this.error('while scanning a directive', start, 'did not find expected comment or line break')
    if (isBreak(this.c())) this.skipLine()
    return t
  }

  private scanDirectiveName(start: Mark): string {
    let s = ''
    while (isAlpha(this.c())) s += this.read()
    if (s === '') this.error('while scanning a directive', start, 'could not find expected directive name')
    if (!isBlankZ(this.c())) this.error('while scanning a directive', start, 'found unexpected non-alphabetical character')
    return s
  }

  private scanVersionDirectiveValue(start: Mark): [number, number] {
    while (isBlank(this.c())) this.skip()
    const major = this.scanVersionDirectiveNumber(start)
    if (this.c() !== 0x2e) this.error('while scanning a %YAML directive', start, "did not find expected digit or '.' character")
    this.skip()
    return [major, this.scanVersionDirectiveNumber(start)]
  }

  private scanVersionDirectiveNumber(start: Mark): number {
    let value = 0
    let length = 0
    while (isDigit(this.c())) {
      length++
      if (length > 2) this.error('while scanning a %YAML directive', start, 'found extremely long version number')
      value = value * 10 + (this.c() - 0x30)
      this.skip()
    }
    if (length === 0) this.error('while scanning a %YAML directive', start, 'did not find expected version number')
    return value
  }

  private scanTagDirectiveValue(start: Mark): [string, string] {
    while (isBlank(this.c())) this.skip()
    const handle = this.scanTagHandle(true, start)
    if (!isBlank(this.c())) this.error('while scanning a %TAG directive', start, 'did not find expected whitespace')
    while (isBlank(this.c())) this.skip()
    const prefix = this.scanTagUri(true, '', start)
    if (!isBlankZ(this.c())) this.error('while scanning a %TAG directive', start, 'did not find expected whitespace or line break')
    return [handle, prefix]
  }

  private scanAnchor(type: Tok): Token {
    const start = copyMark(this.mark)
    this.skip()
    let s = ''
    while (isAlpha(this.c())) s += this.read()
    const end = copyMark(this.mark)
    const c = this.c()
    if (s === '' || !(isBlankZ(c) || c === 0x3f || c === 0x3a || c === 0x2c || c === 0x5d || c === 0x7d || c === 0x25 || c === 0x40 || c === 0x60)) {
      this.error(type === Tok.Anchor ? 'while scanning an anchor' : 'while scanning an alias', start, 'did not find expected alphabetic or numeric character')
    }
    return token(type, start, end, { value: s })
  }

  private scanTag(): Token {
    const start = copyMark(this.mark)
    let handle: string
    let suffix: string
    if (this.c(1) === 0x3c) {
      handle = ''
      this.skip()
      this.skip()
      suffix = this.scanTagUri(false, '', start)
      if (this.c() !== 0x3e) this.error('while scanning a tag', start, "did not find the expected '>'")
      this.skip()
    } else {
      handle = this.scanTagHandle(false, start)
      if (handle[0] === '!' && handle.length > 1 && handle[handle.length - 1] === '!') {
        suffix = this.scanTagUri(false, '', start)
      } else {
        suffix = this.scanTagUri(false, handle, start)
        handle = '!'
        if (suffix === '') [handle, suffix] = [suffix, handle]
      }
    }
    if (!isBlankZ(this.c())) this.error('while scanning a tag', start, 'did not find expected whitespace or line break')
    return token(Tok.Tag, start, copyMark(this.mark), { value: handle, suffix })
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    if (this.c() !== 0x21) this.error(directive ? 'while parsing a %TAG directive' : 'while parsing a tag', start, "did not find expected '!'")
    let s = this.read()
    while (isAlpha(this.c())) s += this.read()
    if (this.c() === 0x21) s += this.read()
    else if (directive && s !== '!') this.error('while parsing a %TAG directive', start, "did not find expected '!'")
    return s
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    let s = head.length > 1 ? head.slice(1) : ''
    let hasTag = head.length > 0
    for (;;) {
      const c = this.c()
      if (!(isAlpha(c) || ";/?:@&=+$,.!~*'()[]%".includes(String.fromCodePoint(c || 0x20)) && c !== 0)) break
      if (c === 0x25) s += this.scanUriEscapes(directive, start)
      else s += this.read()
      hasTag = true
    }
    if (!hasTag) this.error(directive ? 'while parsing a %TAG directive' : 'while parsing a tag', start, 'did not find expected tag URI')
    return s
  }

  private scanUriEscapes(directive: boolean, start: Mark): string {
    const context = directive ? 'while parsing a %TAG directive' : 'while parsing a tag'
    const bytes: number[] = []
    let w = 1024
    while (w > 0) {
      if (!(this.c() === 0x25 && isHex(this.c(1)) && isHex(this.c(2)))) this.error(context, start, 'did not find URI escaped octet')
      const octet = (asHex(this.c(1)) << 4) + asHex(this.c(2))
      if (w === 1024) {
        w = (octet & 0x80) === 0 ? 1 : (octet & 0xe0) === 0xc0 ? 2 : (octet & 0xf0) === 0xe0 ? 3 : (octet & 0xf8) === 0xf0 ? 4 : 0
        if (w === 0) this.error(context, start, 'found an incorrect leading UTF-8 octet')
      } else if ((octet & 0xc0) !== 0x80) {
        this.error(context, start, 'found an incorrect trailing UTF-8 octet')
      }
      bytes.push(octet)
      this.skip()
      this.skip()
      this.skip()
      w--
    }
    return Buffer.from(bytes).toString('utf8')
  }

  private scanBlockScalar(literal: boolean): Token {
    const start = copyMark(this.mark)
    this.skip()
    let chomping = 0
    let increment = 0
    if (this.c() === 0x2b || this.c() === 0x2d) {
      chomping = this.c() === 0x2b ? 1 : -1
      this.skip()
      if (isDigit(this.c())) {
        if (this.c() === 0x30) this.error('while scanning a block scalar', start, 'found an indentation indicator equal to 0')
        increment = this.c() - 0x30
        this.skip()
      }
    } else if (isDigit(this.c())) {
      if (this.c() === 0x30) this.error('while scanning a block scalar', start, 'found an indentation indicator equal to 0')
      increment = this.c() - 0x30
      this.skip()
      if (this.c() === 0x2b || this.c() === 0x2d) {
        chomping = this.c() === 0x2b ? 1 : -1
        this.skip()
      }
    }
    while (isBlank(this.c())) this.skip()
    if (this.c() === 0x23) {
      this.scanLineComment(start)
      while (!isBreakZ(this.c())) this.skip()
    }
    if (!isBreakZ(this.c())) this.error('while scanning a block scalar', start, 'did not find expected comment or line break')
    if (isBreak(this.c())) this.skipLine()
    const endRef = { mark: copyMark(this.mark) }
    let indent = 0
    if (increment > 0) indent = this.indent >= 0 ? this.indent + increment : increment
    let s = ''
    let leadingBreak = ''
    const trailing = { breaks: '' }
    indent = this.scanBlockScalarBreaks(indent, trailing, start, endRef)
    let leadingBlank = false
    let trailingBlank = false
    while (this.mark.column === indent && !isZ(this.c())) {
      trailingBlank = isBlank(this.c())
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.length > 0 && leadingBreak[0] === '\n') {
        if (trailing.breaks.length === 0) s += ' '
      } else {
        s += leadingBreak
      }
      leadingBreak = ''
      s += trailing.breaks
      trailing.breaks = ''
      leadingBlank = isBlank(this.c())
      while (!isBreakZ(this.c())) s += this.read()
      leadingBreak = this.readLine()
      indent = this.scanBlockScalarBreaks(indent, trailing, start, endRef)
    }
    if (chomping !== -1) s += leadingBreak
    if (chomping === 1) s += trailing.breaks
    return token(Tok.Scalar, start, endRef.mark, { value: s, style: literal ? ScalarStyle.Literal : ScalarStyle.Folded })
  }

  private scanBlockScalarBreaks(indent: number, breaks: { breaks: string }, start: Mark, endRef: { mark: Mark }): number {
    endRef.mark = copyMark(this.mark)
    let maxIndent = 0
    for (;;) {
      while ((indent === 0 || this.mark.column < indent) && isSpace(this.c())) this.skip()
      if (this.mark.column > maxIndent) maxIndent = this.mark.column
      if ((indent === 0 || this.mark.column < indent) && isTab(this.c())) {
        this.error('while scanning a block scalar', start, 'found a tab character where an indentation space is expected')
      }
      if (!isBreak(this.c())) break
      breaks.breaks += this.readLine()
      endRef.mark = copyMark(this.mark)
    }
    if (indent === 0) {
      indent = maxIndent
      if (indent < this.indent + 1) indent = this.indent + 1
      if (indent < 1) indent = 1
    }
    return indent
  }

  private isDocumentIndicator(): boolean {
    const c = this.c()
    return this.mark.column === 0 && ((c === 0x2d && this.c(1) === 0x2d && this.c(2) === 0x2d) || (c === 0x2e && this.c(1) === 0x2e && this.c(2) === 0x2e)) && isBlankZ(this.c(3))
  }

  private scanFlowScalar(single: boolean): Token {
    const start = copyMark(this.mark)
    this.skip()
    let s = ''
    let leadingBreak = ''
    let trailingBreaks = ''
    let whitespaces = ''
    for (;;) {
      if (this.isDocumentIndicator()) this.error('while scanning a quoted scalar', start, 'found unexpected document indicator')
      if (isZ(this.c())) this.error('while scanning a quoted scalar', start, 'found unexpected end of stream')
      let leadingBlanks = false
      while (!isBlankZ(this.c())) {
        const c = this.c()
        if (single && c === 0x27 && this.c(1) === 0x27) {
          s += "'"
          this.skip()
          this.skip()
        } else if (single && c === 0x27) {
          break
        } else if (!single && c === 0x22) {
          break
        } else if (!single && c === 0x5c && isBreak(this.c(1))) {
          this.skip()
          this.skipLine()
          leadingBlanks = true
          break
        } else if (!single && c === 0x5c) {
          let codeLength = 0
          switch (this.c(1)) {
            case 0x30: s += '\0'; break
            case 0x61: s += '\x07'; break
            case 0x62: s += '\x08'; break
            case 0x74:
            case 0x09: s += '\t'; break
            case 0x6e: s += '\n'; break
            case 0x76: s += '\x0b'; break
            case 0x66: s += '\x0c'; break
            case 0x72: s += '\r'; break
            case 0x65: s += '\x1b'; break
            case 0x20: s += ' '; break
            case 0x22: s += '"'; break
            case 0x27: s += "'"; break
            case 0x5c: s += '\\'; break
            case 0x4e: s += '\u0085'; break
            case 0x5f: s += '\u00a0'; break
            case 0x4c: s += '\u2028'; break
            case 0x50: s += '\u2029'; break
            case 0x78: codeLength = 2; break
            case 0x75: codeLength = 4; break
            case 0x55: codeLength = 8; break
            default:
              this.error('while parsing a quoted scalar', start, 'found unknown escape character')
          }
          this.skip()
          this.skip()
          if (codeLength > 0) {
            let value = 0
            for (let k = 0; k < codeLength; k++) {
              if (!isHex(this.c(k))) this.error('while parsing a quoted scalar', start, 'did not find expected hexdecimal number')
              value = value * 16 + asHex(this.c(k))
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) this.error('while parsing a quoted scalar', start, 'found invalid Unicode character escape code')
            s += String.fromCodePoint(value)
            for (let k = 0; k < codeLength; k++) this.skip()
          }
        } else {
          s += this.read()
        }
      }
      if (single ? this.c() === 0x27 : this.c() === 0x22) break
      while (isBlank(this.c()) || isBreak(this.c())) {
        if (isBlank(this.c())) {
          if (!leadingBlanks) whitespaces += this.read()
          else this.skip()
        } else if (!leadingBlanks) {
          whitespaces = ''
          leadingBreak = this.readLine()
          leadingBlanks = true
        } else {
          trailingBreaks += this.readLine()
        }
      }
      if (leadingBlanks) {
        if (leadingBreak.length > 0 && leadingBreak[0] === '\n') {
          s += trailingBreaks.length === 0 ? ' ' : trailingBreaks
        } else {
          s += leadingBreak + trailingBreaks
        }
        trailingBreaks = ''
        leadingBreak = ''
      } else {
        s += whitespaces
        whitespaces = ''
      }
    }
    this.skip()
    return token(Tok.Scalar, start, copyMark(this.mark), { value: s, style: single ? ScalarStyle.SingleQuoted : ScalarStyle.DoubleQuoted })
  }

  private scanPlainScalar(): Token {
    let s = ''
    let leadingBreak = ''
    let trailingBreaks = ''
    let whitespaces = ''
    let leadingBlanks = false
    const indent = this.indent + 1
    const start = copyMark(this.mark)
    let end = copyMark(this.mark)
    for (;;) {
      if (this.isDocumentIndicator()) break
      if (this.c() === 0x23) break
      while (!isBlankZ(this.c())) {
        const c = this.c()
        if ((c === 0x3a && isBlankZ(this.c(1))) || (this.flowLevel > 0 && (c === 0x2c || c === 0x3f || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d))) break
        if (leadingBlanks || whitespaces.length > 0) {
          if (leadingBlanks) {
            if (leadingBreak[0] === '\n') s += trailingBreaks.length === 0 ? ' ' : trailingBreaks
            else s += leadingBreak + trailingBreaks
            trailingBreaks = ''
            leadingBreak = ''
            leadingBlanks = false
          } else {
            s += whitespaces
            whitespaces = ''
          }
        }
        s += this.read()
        end = copyMark(this.mark)
      }
      if (!(isBlank(this.c()) || isBreak(this.c()))) break
      while (isBlank(this.c()) || isBreak(this.c())) {
        if (isBlank(this.c())) {
          if (leadingBlanks && this.mark.column < indent && isTab(this.c())) {
            this.error('while scanning a plain scalar', start, 'found a tab character that violates indentation')
          }
          if (!leadingBlanks) whitespaces += this.read()
          else this.skip()
        } else if (!leadingBlanks) {
          whitespaces = ''
          leadingBreak = this.readLine()
          leadingBlanks = true
        } else {
          trailingBreaks += this.readLine()
        }
      }
      if (this.flowLevel === 0 && this.mark.column < indent) break
    }
    if (leadingBlanks) this.simpleKeyAllowed = true
    return token(Tok.Scalar, start, end, { value: s, style: ScalarStyle.Plain })
  }

  private scanLineComment(tokenMark: Mark): void {
    if (this.newlines > 0) return
    let start: Mark = { index: 0, line: 0, column: 0 }
    let text = ''
    for (let peek = 0; peek < 512; peek++) {
      if (isBlank(this.c(peek))) continue
      if (this.c(peek) === 0x23) {
        const seen = this.mark.index + peek
        for (;;) {
          if (isBreakZ(this.c())) {
            if (this.mark.index >= seen) break
            this.skipLine()
          } else if (this.mark.index >= seen) {
            if (text.length === 0) start = copyMark(this.mark)
            text += this.read()
          } else {
            this.skip()
          }
        }
      }
      break
    }
    if (text.length > 0) this.comments.push({ scan: { index: 0, line: 0, column: 0 }, token: copyMark(tokenMark), start, end: { index: 0, line: 0, column: 0 }, head: '', line: text, foot: '' })
  }

  private scanComments(scanMarkIn: Mark): void {
    let scanMark = copyMark(scanMarkIn)
    let tok = this.tokens[this.tokens.length - 1] as Token
    if (tok.type === Tok.FlowEntry && this.tokens.length > 1) tok = this.tokens[this.tokens.length - 2] as Token
    let tokenMark = tok.start
    let start: Mark = { index: 0, line: 0, column: 0 }
    let nextIndent = this.indent < 0 ? 0 : this.indent
    let recentEmpty = false
    let firstEmpty = this.newlines <= 1
    let line = this.mark.line
    let column = this.mark.column
    let text = ''
    // The foot line is where a comment must start to still be a foot of the prior content.
    let footLine = -1
    if (scanMark.line > 0) {
      footLine = this.mark.line - this.newlines + 1
      if (this.newlines === 0 && this.mark.column > 1) footLine++
    }
    let peek = 0
    for (; peek < 512; peek++) {
      column++
      const c = this.c(peek)
      if (isBlank(c)) continue
      const closeFlow = this.flowLevel > 0 && (c === 0x5d || c === 0x7d)
      if (closeFlow || isBreakZ(c)) {
        if (closeFlow || !recentEmpty) {
          if (closeFlow || (firstEmpty && ((start.line === footLine && tok.type !== Tok.Value) || start.column - 1 < nextIndent))) {
            // The first empty line after a comment: this part is a foot of the prior token.
            if (text.length > 0) {
              if (start.column - 1 < nextIndent) tokenMark = start
              const end = { index: this.mark.index + peek, line, column }
              this.comments.push({ scan: scanMark, token: tokenMark, start, end, head: '', line: '', foot: text })
              scanMark = copyMark(end)
              tokenMark = scanMark
              text = ''
            }
          } else if (text.length > 0 && c !== 0) {
            text += '\n'
          }
        }
        if (!isBreak(c)) break
        firstEmpty = false
        recentEmpty = true
        column = 0
        line++
        continue
      }
      if (text.length > 0 && (closeFlow || (column - 1 < nextIndent && column !== start.column))) {
        // A comment at a different indentation is a foot of the preceding data.
        const end = { index: this.mark.index + peek, line, column }
        this.comments.push({ scan: scanMark, token: tokenMark, start, end, head: '', line: '', foot: text })
        scanMark = copyMark(end)
        tokenMark = scanMark
        text = ''
      }
      if (c !== 0x23) break
      if (text.length === 0) start = { index: this.mark.index + peek, line, column }
      else text += '\n'
      recentEmpty = false
      const seen = this.mark.index + peek
      for (;;) {
        if (isBreakZ(this.c())) {
          if (this.mark.index >= seen) break
          this.skipLine()
        } else if (this.mark.index >= seen) {
          text += this.read()
        } else {
          this.skip()
        }
      }
      peek = 0
      column = 0
      line = this.mark.line
      nextIndent = this.indent < 0 ? 0 : this.indent
    }
    if (text.length > 0) {
      this.comments.push({ scan: scanMark, token: start, start, end: { index: this.mark.index + peek - 1, line, column }, head: text, line: '', foot: '' })
    }
  }
}
