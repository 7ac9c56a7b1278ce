// yaml.v3 v3.0.4's emitter (emitterc.go) as the encoder drives it: unicode output, no width
// limit, LF breaks, the configured indentation and yaml.v3's compact-sequence option. Every
// rule that decides a byte of Flux's output lives here: where indentation breaks, when a
// scalar must be quoted, which block-scalar indicators are written, where comments go.

import { isBlank, isBlankZ, isBreak, isPrintable, isSpace, toCodePoints } from './chars.js'
import { Ev, type Event } from './parser.js'
import { ScalarStyle } from './scanner.js'

const enum ES {
  StreamStart,
  FirstDocumentStart,
  DocumentStart,
  DocumentContent,
  DocumentEnd,
  FlowSequenceFirstItem,
  FlowSequenceTrailItem,
  FlowSequenceItem,
  FlowMappingFirstKey,
  FlowMappingTrailKey,
  FlowMappingKey,
  FlowMappingSimpleValue,
  FlowMappingValue,
  BlockSequenceFirstItem,
  BlockSequenceItem,
  BlockMappingFirstKey,
  BlockMappingKey,
  BlockMappingSimpleValue,
  BlockMappingValue,
  End,
}

const DEFAULT_TAG_DIRECTIVES = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
]

export class EmitterError extends Error {}

export class Emitter {
  private out: string[] = []
  bestIndent = 2
  private readonly bestWidth = 2 ** 31 - 1
  compactSequenceIndent = false

  private events: Event[] = []
  private eventsHead = 0
  private state = ES.StreamStart
  private states: ES[] = []
  private indent = -1
  private indents: number[] = []
  private tagDirectives: { handle: string; prefix: string }[] = []
  private flowLevel = 0
  private rootContext = false
  private mappingContext = false
  private simpleKeyContext = false
  private column = 0
  private whitespace = true
  private indention = true
  openEnded = false
  private footIndent = -1

  private anchor: { value: string; alias: boolean } | undefined
  private tagHandle = ''
  private tagSuffix = ''
  private scalar = { value: [] as number[], multiline: false, flowPlainAllowed: false, blockPlainAllowed: false, singleQuotedAllowed: false, blockAllowed: false, style: ScalarStyle.Any }

  private headComment = ''
  private lineComment = ''
  private footComment = ''
  private tailComment = ''
  private keyLineComment = ''

  output(): string {
    return this.out.join('')
  }

  emit(event: Event): void {
    this.events.push(event)
    while (!this.needMoreEvents()) {
      const e = this.events[this.eventsHead] as Event
      this.analyzeEvent(e)
      this.stateMachine(e)
      this.eventsHead++
    }
  }

  private needMoreEvents(): boolean {
    if (this.eventsHead === this.events.length) return true
    const head = (this.events[this.eventsHead] as Event).type
    const accumulate = head === Ev.DocumentStart ? 1 : head === Ev.SequenceStart ? 2 : head === Ev.MappingStart ? 3 : -1
    if (accumulate < 0) return false
    if (this.events.length - this.eventsHead > accumulate) return false
    let level = 0
    for (let i = this.eventsHead; i < this.events.length; i++) {
      const t = (this.events[i] as Event).type
      if (t === Ev.StreamStart || t === Ev.DocumentStart || t === Ev.SequenceStart || t === Ev.MappingStart) level++
      else if (t === Ev.StreamEnd || t === Ev.DocumentEnd || t === Ev.SequenceEnd || t === Ev.MappingEnd) level--
      if (level === 0) return false
    }
    return true
  }

  // ---- low-level writers ----

  private put(ch: string): void {
    this.out.push(ch)
    this.column++
  }

  private putBreak(): void {
    this.out.push('\n')
    this.column = 0
    this.indention = true
  }

  private write(c: number): void {
    this.out.push(String.fromCodePoint(c))
    this.column++
  }

  private writeAll(s: string): void {
    for (const ch of s) {
      this.out.push(ch)
      this.column++
    }
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) {
      this.putBreak()
      return
    }
    this.write(c)
    this.column = 0
    this.indention = true
  }

  private increaseIndent(flow: boolean, indentless: boolean, compactSeq = false): void {
    this.indents.push(this.indent)
    if (this.indent < 0) {
      this.indent = flow ? this.bestIndent : 0
    } else if (!indentless) {
      if (this.states[this.states.length - 1] === ES.BlockSequenceItem) {
        // The first indent inside a sequence just skips the "- " indicator.
        this.indent += 2
      } else {
        this.indent = this.bestIndent * Math.floor((this.indent + this.bestIndent) / this.bestIndent)
        if (compactSeq) this.indent -= 2
      }
    }
  }

  private popIndent(): void {
    this.indent = this.indents.pop() as number
  }

  private popState(): void {
    this.state = this.states.pop() as ES
  }

  private stateMachine(e: Event): void {
    switch (this.state) {
      case ES.StreamStart:
        return this.emitStreamStart(e)
      case ES.FirstDocumentStart:
        return this.emitDocumentStart(e, true)
      case ES.DocumentStart:
        return this.emitDocumentStart(e, false)
      case ES.DocumentContent:
        return this.emitDocumentContent(e)
      case ES.DocumentEnd:
        return this.emitDocumentEnd(e)
      case ES.FlowSequenceFirstItem:
        return this.emitFlowSequenceItem(e, true, false)
      case ES.FlowSequenceTrailItem:
        return this.emitFlowSequenceItem(e, false, true)
      case ES.FlowSequenceItem:
        return this.emitFlowSequenceItem(e, false, false)
      case ES.FlowMappingFirstKey:
        return this.emitFlowMappingKey(e, true, false)
      case ES.FlowMappingTrailKey:
        return this.emitFlowMappingKey(e, false, true)
      case ES.FlowMappingKey:
        return this.emitFlowMappingKey(e, false, false)
      case ES.FlowMappingSimpleValue:
        return this.emitFlowMappingValue(e, true)
      case ES.FlowMappingValue:
        return this.emitFlowMappingValue(e, false)
      case ES.BlockSequenceFirstItem:
        return this.emitBlockSequenceItem(e, true)
      case ES.BlockSequenceItem:
        return this.emitBlockSequenceItem(e, false)
      case ES.BlockMappingFirstKey:
        return this.emitBlockMappingKey(e, true)
      case ES.BlockMappingKey:
        return this.emitBlockMappingKey(e, false)
      case ES.BlockMappingSimpleValue:
        return this.emitBlockMappingValue(e, true)
      case ES.BlockMappingValue:
        return this.emitBlockMappingValue(e, false)
      case ES.End:
        throw new EmitterError('expected nothing after STREAM-END')
    }
  }

  private emitStreamStart(e: Event): void {
    if (e.type !== Ev.StreamStart) throw new EmitterError('expected STREAM-START')
    if (this.bestIndent < 2 || this.bestIndent > 9) this.bestIndent = 2
    this.indent = -1
    this.column = 0
    this.whitespace = true
    this.indention = true
    this.footIndent = -1
    this.state = ES.FirstDocumentStart
  }

  private emitDocumentStart(e: Event, first: boolean): void {
    if (e.type === Ev.DocumentStart) {
      for (const d of DEFAULT_TAG_DIRECTIVES) if (!this.tagDirectives.some((x) => x.handle === d.handle)) this.tagDirectives.push(d)
      const implicit = first ? e.implicit : false
      if (!implicit) {
        this.writeIndent()
        this.writeIndicator('---', true, false, false)
        this.writeIndent()
      }
      if (this.headComment.length > 0) {
        this.processHeadComment()
        this.putBreak()
      }
      this.state = ES.DocumentContent
      return
    }
    if (e.type === Ev.StreamEnd) {
      if (this.openEnded) {
        this.writeIndicator('...', true, false, false)
        this.writeIndent()
      }
      this.state = ES.End
      return
    }
    throw new EmitterError('expected DOCUMENT-START or STREAM-END')
  }

  private emitDocumentContent(e: Event): void {
    this.states.push(ES.DocumentEnd)
    this.processHeadComment()
    this.emitNode(e, true, false, false)
    this.processLineComment()
    this.processFootComment()
  }

  private emitDocumentEnd(e: Event): void {
    if (e.type !== Ev.DocumentEnd) throw new EmitterError('expected DOCUMENT-END')
    // Force document foot separation.
    this.footIndent = 0
    this.processFootComment()
    this.footIndent = -1
    this.writeIndent()
    if (!e.implicit) {
      this.writeIndicator('...', true, false, false)
      this.writeIndent()
    }
    this.state = ES.DocumentStart
    this.tagDirectives = []
  }

  private emitFlowSequenceItem(e: Event, first: boolean, trail: boolean): void {
    if (first) {
      this.writeIndicator('[', true, true, false)
      this.increaseIndent(true, false)
      this.flowLevel++
    }
    if (e.type === Ev.SequenceEnd) {
      this.flowLevel--
      this.popIndent()
      if (this.column === 0) this.writeIndent()
      this.writeIndicator(']', false, false, false)
      this.processLineComment()
      this.processFootComment()
      this.popState()
      return
    }
    if (!first && !trail) this.writeIndicator(',', false, false, false)
    this.processHeadComment()
    if (this.column === 0) this.writeIndent()
    if (this.column > this.bestWidth) this.writeIndent()
    const commented = this.lineComment.length + this.footComment.length + this.tailComment.length > 0
    this.states.push(commented ? ES.FlowSequenceTrailItem : ES.FlowSequenceItem)
    this.emitNode(e, false, false, false)
    if (this.lineComment.length + this.footComment.length + this.tailComment.length > 0) this.writeIndicator(',', false, false, false)
    this.processLineComment()
    this.processFootComment()
  }

  private emitFlowMappingKey(e: Event, first: boolean, trail: boolean): void {
    if (first) {
      this.writeIndicator('{', true, true, false)
      this.increaseIndent(true, false)
      this.flowLevel++
    }
    if (e.type === Ev.MappingEnd) {
      if (this.headComment.length + this.footComment.length + this.tailComment.length > 0 && !first && !trail) this.writeIndicator(',', false, false, false)
      this.processHeadComment()
      this.flowLevel--
      this.popIndent()
      this.writeIndicator('}', false, false, false)
      this.processLineComment()
      this.processFootComment()
      this.popState()
      return
    }
    if (!first && !trail) this.writeIndicator(',', false, false, false)
    this.processHeadComment()
    if (this.column === 0) this.writeIndent()
    if (this.column > this.bestWidth) this.writeIndent()
    if (this.checkSimpleKey()) {
      this.states.push(ES.FlowMappingSimpleValue)
      this.emitNode(e, false, true, true)
      return
    }
    this.writeIndicator('?', true, false, false)
    this.states.push(ES.FlowMappingValue)
    this.emitNode(e, false, true, false)
  }

  private emitFlowMappingValue(e: Event, simple: boolean): void {
    if (simple) {
      this.writeIndicator(':', false, false, false)
    } else {
      if (this.column > this.bestWidth) this.writeIndent()
      this.writeIndicator(':', true, false, false)
    }
    const commented = this.lineComment.length + this.footComment.length + this.tailComment.length > 0
    this.states.push(commented ? ES.FlowMappingTrailKey : ES.FlowMappingKey)
    this.emitNode(e, false, true, false)
    if (this.lineComment.length + this.footComment.length + this.tailComment.length > 0) this.writeIndicator(',', false, false, false)
    this.processLineComment()
    this.processFootComment()
  }

  private emitBlockSequenceItem(e: Event, first: boolean): void {
    if (first) {
      const seq = this.mappingContext && (this.column === 0 || !this.indention) && this.compactSequenceIndent
      this.increaseIndent(false, false, seq)
    }
    if (e.type === Ev.SequenceEnd) {
      this.popIndent()
      this.popState()
      return
    }
    this.processHeadComment()
    this.writeIndent()
    this.writeIndicator('-', true, false, true)
    this.states.push(ES.BlockSequenceItem)
    this.emitNode(e, false, false, false)
    this.processLineComment()
    this.processFootComment()
  }

  private emitBlockMappingKey(e: Event, first: boolean): void {
    if (first) this.increaseIndent(false, false)
    this.processHeadComment()
    if (e.type === Ev.MappingEnd) {
      this.popIndent()
      this.popState()
      return
    }
    this.writeIndent()
    if (this.lineComment.length > 0) {
      // A line comment on the key: kept and written after the value's indicator.
      this.keyLineComment = this.lineComment
      this.lineComment = ''
    }
    if (this.checkSimpleKey()) {
      this.states.push(ES.BlockMappingSimpleValue)
      this.emitNode(e, false, true, true)
      return
    }
    this.writeIndicator('?', true, false, true)
    this.states.push(ES.BlockMappingValue)
    this.emitNode(e, false, true, false)
  }

  private emitBlockMappingValue(e: Event, simple: boolean): void {
    if (simple) {
      this.writeIndicator(':', false, false, false)
    } else {
      this.writeIndent()
      this.writeIndicator(':', true, false, true)
    }
    if (this.keyLineComment.length > 0) {
      if (e.type === Ev.Scalar) {
        if (this.lineComment.length === 0) {
          this.lineComment = this.keyLineComment
          this.keyLineComment = ''
        }
      } else if (!e.flow && (e.type === Ev.MappingStart || e.type === Ev.SequenceStart)) {
        // An indented block follows: write the key's comment right now.
        ;[this.lineComment, this.keyLineComment] = [this.keyLineComment, this.lineComment]
        this.processLineComment()
        ;[this.lineComment, this.keyLineComment] = [this.keyLineComment, this.lineComment]
      }
    }
    this.states.push(ES.BlockMappingKey)
    this.emitNode(e, false, true, false)
    this.processLineComment()
    this.processFootComment()
  }

  private emitNode(e: Event, root: boolean, mapping: boolean, simpleKey: boolean): void {
    this.rootContext = root
    this.mappingContext = mapping
    this.simpleKeyContext = simpleKey
    switch (e.type) {
      case Ev.Alias:
        this.processAnchor()
        this.popState()
        return
      case Ev.Scalar:
        this.selectScalarStyle(e)
        this.processAnchor()
        this.processTag()
        this.increaseIndent(true, false)
        this.processScalar()
        this.popIndent()
        this.popState()
        return
      case Ev.SequenceStart:
        this.processAnchor()
        this.processTag()
        this.state = this.flowLevel > 0 || e.flow || this.checkEmpty(Ev.SequenceStart, Ev.SequenceEnd) ? ES.FlowSequenceFirstItem : ES.BlockSequenceFirstItem
        return
      case Ev.MappingStart:
        this.processAnchor()
        this.processTag()
        this.state = this.flowLevel > 0 || e.flow || this.checkEmpty(Ev.MappingStart, Ev.MappingEnd) ? ES.FlowMappingFirstKey : ES.BlockMappingFirstKey
        return
      default:
        throw new EmitterError(`expected SCALAR, SEQUENCE-START, MAPPING-START, or ALIAS, but got ${e.type}`)
    }
  }

  private checkEmpty(start: Ev, end: Ev): boolean {
    if (this.events.length - this.eventsHead < 2) return false
    return (this.events[this.eventsHead] as Event).type === start && (this.events[this.eventsHead + 1] as Event).type === end
  }

  private checkSimpleKey(): boolean {
    const e = this.events[this.eventsHead] as Event
    let length = 0
    const anchor = this.anchor?.value.length ?? 0
    switch (e.type) {
      case Ev.Alias:
        length += anchor
        break
      case Ev.Scalar:
        if (this.scalar.multiline) return false
        length += anchor + utf8Length(this.tagHandle) + utf8Length(this.tagSuffix) + utf8LengthCps(this.scalar.value)
        break
      case Ev.SequenceStart:
        if (!this.checkEmpty(Ev.SequenceStart, Ev.SequenceEnd)) return false
        length += anchor + utf8Length(this.tagHandle) + utf8Length(this.tagSuffix)
        break
      case Ev.MappingStart:
        if (!this.checkEmpty(Ev.MappingStart, Ev.MappingEnd)) return false
        length += anchor + utf8Length(this.tagHandle) + utf8Length(this.tagSuffix)
        break
      default:
        return false
    }
    return length <= 128
  }

  private selectScalarStyle(e: Event): void {
    const noTag = this.tagHandle.length === 0 && this.tagSuffix.length === 0
    if (noTag && !e.implicit && !e.quotedImplicit) throw new EmitterError('neither tag nor implicit flags are specified')
    let style = e.style === ScalarStyle.Any ? ScalarStyle.Plain : e.style
    const sd = this.scalar
    if (this.simpleKeyContext && sd.multiline) style = ScalarStyle.DoubleQuoted
    if (style === ScalarStyle.Plain) {
      if ((this.flowLevel > 0 && !sd.flowPlainAllowed) || (this.flowLevel === 0 && !sd.blockPlainAllowed)) style = ScalarStyle.SingleQuoted
      if (sd.value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = ScalarStyle.SingleQuoted
      if (noTag && !e.implicit) style = ScalarStyle.SingleQuoted
    }
    if (style === ScalarStyle.SingleQuoted && !sd.singleQuotedAllowed) style = ScalarStyle.DoubleQuoted
    if ((style === ScalarStyle.Literal || style === ScalarStyle.Folded) && (!sd.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext)) style = ScalarStyle.DoubleQuoted
    if (noTag && !e.quotedImplicit && style !== ScalarStyle.Plain) this.tagHandle = '!'
    sd.style = style
  }

  private processAnchor(): void {
    if (!this.anchor) return
    this.writeIndicator(this.anchor.alias ? '*' : '&', true, false, false)
    this.writeAll(this.anchor.value)
    this.whitespace = false
    this.indention = false
  }

  private processTag(): void {
    if (this.tagHandle.length === 0 && this.tagSuffix.length === 0) return
    if (this.tagHandle.length > 0) {
      this.writeTagHandle(this.tagHandle)
      if (this.tagSuffix.length > 0) this.writeTagContent(this.tagSuffix, false)
    } else {
      this.writeIndicator('!<', true, false, false)
      this.writeTagContent(this.tagSuffix, false)
      this.writeIndicator('>', false, false, false)
    }
  }

  private processScalar(): void {
    const v = this.scalar.value
    switch (this.scalar.style) {
      case ScalarStyle.Plain:
        return this.writePlainScalar(v, !this.simpleKeyContext)
      case ScalarStyle.SingleQuoted:
        return this.writeSingleQuotedScalar(v, !this.simpleKeyContext)
      case ScalarStyle.DoubleQuoted:
        return this.writeDoubleQuotedScalar(v, !this.simpleKeyContext)
      case ScalarStyle.Literal:
        return this.writeLiteralScalar(v)
      case ScalarStyle.Folded:
        return this.writeFoldedScalar(v)
      default:
        throw new EmitterError('unknown scalar style')
    }
  }

  private processHeadComment(): void {
    if (this.tailComment.length > 0) {
      this.writeIndent()
      this.writeComment(this.tailComment)
      this.tailComment = ''
      this.footIndent = Math.max(this.indent, 0)
    }
    if (this.headComment.length === 0) return
    this.writeIndent()
    this.writeComment(this.headComment)
    this.headComment = ''
  }

  private processLineComment(linebreak = false): void {
    if (this.lineComment.length === 0) {
      if (linebreak) this.putBreak()
      return
    }
    if (!this.whitespace) this.put(' ')
    this.writeComment(this.lineComment)
    this.lineComment = ''
  }

  private processFootComment(): void {
    if (this.footComment.length === 0) return
    this.writeIndent()
    this.writeComment(this.footComment)
    this.footComment = ''
    this.footIndent = Math.max(this.indent, 0)
  }

  private analyzeEvent(e: Event): void {
    this.anchor = undefined
    this.tagHandle = ''
    this.tagSuffix = ''
    this.scalar.value = []
    if (e.headComment.length > 0) this.headComment = e.headComment
    if (e.lineComment.length > 0) this.lineComment = e.lineComment
    if (e.footComment.length > 0) this.footComment = e.footComment
    if (e.tailComment.length > 0) this.tailComment = e.tailComment
    switch (e.type) {
      case Ev.Alias:
        this.analyzeAnchor(e.anchor, true)
        break
      case Ev.Scalar:
        if (e.anchor.length > 0) this.analyzeAnchor(e.anchor, false)
        if (e.tag.length > 0 && !e.implicit && !e.quotedImplicit) this.analyzeTag(e.tag)
        this.analyzeScalar(toCodePoints(e.value))
        break
      case Ev.SequenceStart:
      case Ev.MappingStart:
        if (e.anchor.length > 0) this.analyzeAnchor(e.anchor, false)
        if (e.tag.length > 0 && !e.implicit) this.analyzeTag(e.tag)
        break
    }
  }

  private analyzeAnchor(anchor: string, alias: boolean): void {
    const what = alias ? 'alias' : 'anchor'
    if (anchor.length === 0) throw new EmitterError(`${what} value must not be empty`)
    if (!/^[0-9A-Za-z_-]+$/.test(anchor)) throw new EmitterError(`${what} value must contain alphanumerical characters only`)
    this.anchor = { value: anchor, alias }
  }

  private analyzeTag(tag: string): void {
    for (const d of this.tagDirectives) {
      if (tag.startsWith(d.prefix)) {
        this.tagHandle = d.handle
        this.tagSuffix = tag.slice(d.prefix.length)
        return
      }
    }
    this.tagSuffix = tag
  }

  private analyzeScalar(value: number[]): void {
    const sd = this.scalar
    sd.value = value
    if (value.length === 0) {
      sd.multiline = false
      sd.flowPlainAllowed = false
      sd.blockPlainAllowed = true
      sd.singleQuotedAllowed = true
      sd.blockAllowed = false
      return
    }
    let blockIndicators = false
    let flowIndicators = false
    let lineBreaks = false
    let specialCharacters = false
    let tabCharacters = false
    let leadingSpace = false
    let leadingBreak = false
    let trailingSpace = false
    let trailingBreak = false
    let breakSpace = false
    let spaceBreak = false
    let previousSpace = false
    let previousBreak = false
    const at = (i: number): number => (i < value.length ? (value[i] as number) : 0)
    if (value.length >= 3 && ((at(0) === 0x2d && at(1) === 0x2d && at(2) === 0x2d) || (at(0) === 0x2e && at(1) === 0x2e && at(2) === 0x2e))) {
      blockIndicators = true
      flowIndicators = true
    }
    let precededByWhitespace = true
    for (let i = 0; i < value.length; i++) {
      const c = value[i] as number
      const followedByWhitespace = i + 1 >= value.length || isBlankZ(at(i + 1))
      const ch = String.fromCodePoint(c)
      if (i === 0) {
        if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
          flowIndicators = true
          blockIndicators = true
        } else if (ch === '?' || ch === ':') {
          flowIndicators = true
          if (followedByWhitespace) blockIndicators = true
        } else if (ch === '-' && followedByWhitespace) {
          flowIndicators = true
          blockIndicators = true
        }
      } else if (',?[]{}'.includes(ch)) {
        flowIndicators = true
      } else if (ch === ':') {
        flowIndicators = true
        if (followedByWhitespace) blockIndicators = true
      } else if (ch === '#' && precededByWhitespace) {
        flowIndicators = true
        blockIndicators = true
      }
      if (c === 0x09) tabCharacters = true
      else if (!isPrintable(c)) specialCharacters = true
      if (isSpace(c)) {
        if (i === 0) leadingSpace = true
        if (i + 1 === value.length) trailingSpace = true
        if (previousBreak) breakSpace = true
        previousSpace = true
        previousBreak = false
      } else if (isBreak(c)) {
        lineBreaks = true
        if (i === 0) leadingBreak = true
        if (i + 1 === value.length) trailingBreak = true
        if (previousSpace) spaceBreak = true
        previousSpace = false
        previousBreak = true
      } else {
        previousSpace = false
        previousBreak = false
      }
      precededByWhitespace = isBlankZ(c)
    }
    sd.multiline = lineBreaks
    sd.flowPlainAllowed = true
    sd.blockPlainAllowed = true
    sd.singleQuotedAllowed = true
    sd.blockAllowed = true
    if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
      sd.flowPlainAllowed = false
      sd.blockPlainAllowed = false
    }
    if (trailingSpace) sd.blockAllowed = false
    if (breakSpace) {
      sd.flowPlainAllowed = false
      sd.blockPlainAllowed = false
      sd.singleQuotedAllowed = false
    }
    if (spaceBreak || tabCharacters || specialCharacters) {
      sd.flowPlainAllowed = false
      sd.blockPlainAllowed = false
      sd.singleQuotedAllowed = false
    }
    if (spaceBreak || specialCharacters) sd.blockAllowed = false
    if (lineBreaks) {
      sd.flowPlainAllowed = false
      sd.blockPlainAllowed = false
    }
    if (flowIndicators) sd.flowPlainAllowed = false
    if (blockIndicators) sd.blockPlainAllowed = false
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0)
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak()
    if (this.footIndent === indent) this.putBreak()
    while (this.column < indent) this.put(' ')
    this.whitespace = true
    this.footIndent = -1
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ')
    this.writeAll(indicator)
    this.whitespace = isWhitespace
    this.indention = this.indention && isIndention
    this.openEnded = false
  }

  private writeTagHandle(value: string): void {
    if (!this.whitespace) this.put(' ')
    this.writeAll(value)
    this.whitespace = false
    this.indention = false
  }

  private writeTagContent(value: string, needWhitespace: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ')
    for (const ch of value) {
      const c = ch.codePointAt(0) as number
      if (";/?:@&=+$,_.~*'()[]".includes(ch) || /^[0-9A-Za-z_-]$/.test(ch)) {
        this.write(c)
      } else {
        for (const octet of Buffer.from(ch, 'utf8')) this.writeAll('%' + octet.toString(16).toUpperCase().padStart(2, '0'))
      }
    }
    this.whitespace = false
    this.indention = false
  }

  private writePlainScalar(value: number[], allowBreaks: boolean): void {
    if (value.length > 0 && !this.whitespace) this.put(' ')
    let spaces = false
    let breaks = false
    for (let i = 0; i < value.length; i++) {
      const c = value[i] as number
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && !isSpace(value[i + 1] ?? 0)) {
          this.writeIndent()
        } else {
          this.write(c)
        }
        spaces = true
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak()
        this.writeBreak(c)
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.write(c)
        this.indention = false
        spaces = false
        breaks = false
      }
    }
    if (value.length > 0) this.whitespace = false
    this.indention = false
    if (this.rootContext) this.openEnded = true
  }

  private writeSingleQuotedScalar(value: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false)
    let spaces = false
    let breaks = false
    for (let i = 0; i < value.length; i++) {
      const c = value[i] as number
      if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < value.length - 1 && !isSpace(value[i + 1] ?? 0)) {
          this.writeIndent()
        } else {
          this.write(c)
        }
        spaces = true
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak()
        this.writeBreak(c)
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        if (c === 0x27) this.put("'")
        this.write(c)
        this.indention = false
        spaces = false
        breaks = false
      }
    }
    this.writeIndicator("'", false, false, false)
    this.whitespace = false
    this.indention = false
  }

  private writeDoubleQuotedScalar(value: number[], allowBreaks: boolean): void {
    let spaces = false
    this.writeIndicator('"', true, false, false)
    // yaml.v3's is_bom looks at the value's first three bytes, whatever the position.
    const startsWithBom = value[0] === 0xfeff
    for (let i = 0; i < value.length; i++) {
      const c = value[i] as number
      if (!isPrintable(c) || startsWithBom || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put('\\')
        const short: Record<number, string> = { 0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' }
        const s = short[c]
        if (s !== undefined) {
          this.put(s)
        } else {
          const [letter, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8]
          this.put(letter)
          this.writeAll(c.toString(16).toUpperCase().padStart(width, '0'))
        }
        spaces = false
      } else if (isSpace(c)) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < value.length - 1) {
          this.writeIndent()
          if (isSpace(value[i + 1] ?? 0)) this.put('\\')
        } else {
          this.write(c)
        }
        spaces = true
      } else {
        this.write(c)
        spaces = false
      }
    }
    this.writeIndicator('"', false, false, false)
    this.whitespace = false
    this.indention = false
  }

  private writeBlockScalarHints(value: number[]): void {
    if (isSpace(value[0] ?? 0) || isBreak(value[0] ?? 0)) this.writeIndicator(String(this.bestIndent), false, false, false)
    this.openEnded = false
    let chomp = ''
    if (value.length === 0) {
      chomp = '-'
    } else {
      let i = value.length - 1
      if (!isBreak(value[i] as number)) {
        chomp = '-'
      } else if (i === 0) {
        chomp = '+'
        this.openEnded = true
      } else {
        i--
        if (isBreak(value[i] as number)) {
          chomp = '+'
          this.openEnded = true
        }
      }
    }
    if (chomp !== '') this.writeIndicator(chomp, false, false, false)
  }

  private writeLiteralScalar(value: number[]): void {
    this.writeIndicator('|', true, false, false)
    this.writeBlockScalarHints(value)
    this.processLineComment(true)
    this.whitespace = true
    let breaks = true
    for (const c of value) {
      if (isBreak(c)) {
        this.writeBreak(c)
        breaks = true
      } else {
        if (breaks) this.writeIndent()
        this.write(c)
        this.indention = false
        breaks = false
      }
    }
  }

  private writeFoldedScalar(value: number[]): void {
    this.writeIndicator('>', true, false, false)
    this.writeBlockScalarHints(value)
    this.processLineComment(true)
    this.whitespace = true
    let breaks = true
    let leadingSpaces = true
    for (let i = 0; i < value.length; i++) {
      const c = value[i] as number
      if (isBreak(c)) {
        if (!breaks && !leadingSpaces && c === 0x0a) {
          // yaml.v3 scans from the start of the value here (k starts at 0), not from i.
          let k = 0
          while (isBreak(value[k] ?? 0)) k++
          if (!isBlankZ(value[k] ?? 0)) this.putBreak()
        }
        this.writeBreak(c)
        breaks = true
      } else {
        if (breaks) {
          this.writeIndent()
          leadingSpaces = isBlank(c)
        }
        if (!breaks && isSpace(c) && !isSpace(value[i + 1] ?? 0) && this.column > this.bestWidth) {
          this.writeIndent()
        } else {
          this.write(c)
        }
        this.indention = false
        breaks = false
      }
    }
  }

  private writeComment(comment: string): void {
    let breaks = false
    let pound = false
    for (const ch of comment) {
      const c = ch.codePointAt(0) as number
      if (isBreak(c)) {
        this.writeBreak(c)
        breaks = true
        pound = false
      } else {
        if (breaks) this.writeIndent()
        if (!pound) {
          if (c !== 0x23) {
            this.put('#')
            this.put(' ')
          }
          pound = true
        }
        this.write(c)
        this.indention = false
        breaks = false
      }
    }
    if (!breaks) this.putBreak()
    this.whitespace = true
  }
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8')
}

function utf8LengthCps(cps: number[]): number {
  let n = 0
  for (const c of cps) n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
  return n
}
