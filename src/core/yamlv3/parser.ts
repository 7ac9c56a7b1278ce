// yaml.v3 v3.0.4's parser (parserc.go) and node composer (decode.go's parser): events with the
// scanner's comments folded in, then the Node tree with yaml.v3's own comment moves (a key's
// foot comment goes to the previous key, a value's foot to its key, a block mapping's foot to
// its last key). decodeFirst is what kyaml's ByteReader gets from Decoder.Decode(&node).

import { toCodePoints, isAllowedInStream } from './chars.js'
import { Kind, MAP_TAG, MERGE_TAG, newNode, resolveTag, SEQ_TAG, shortTag, STR_TAG, Style, type YNode } from './node.js'
import { type Mark, ScalarStyle, Scanner, Tok, type Token, YamlError } from './scanner.js'
import { limitReason, YamlLimitError, YAML_LIMITS } from '../yaml/limits.js'

export const enum Ev {
  StreamStart,
  StreamEnd,
  DocumentStart,
  DocumentEnd,
  Alias,
  Scalar,
  SequenceStart,
  SequenceEnd,
  MappingStart,
  MappingEnd,
}

export interface Event {
  type: Ev
  start: Mark
  end: Mark
  anchor: string
  tag: string
  value: string
  implicit: boolean
  quotedImplicit: boolean
  /** Scalar style, or for collections: true when flow. */
  style: ScalarStyle
  flow: boolean
  headComment: string
  lineComment: string
  footComment: string
  tailComment: string
}

export function newEvent(type: Ev, init: Partial<Event> = {}): Event {
  const zero = { index: 0, line: 0, column: 0 }
  return { type, start: zero, end: zero, anchor: '', tag: '', value: '', implicit: false, quotedImplicit: false, style: ScalarStyle.Any, flow: false, headComment: '', lineComment: '', footComment: '', tailComment: '', ...init }
}

const enum St {
  StreamStart,
  ImplicitDocumentStart,
  DocumentStart,
  DocumentContent,
  DocumentEnd,
  BlockNode,
  BlockNodeOrIndentlessSequence,
  FlowNode,
  BlockSequenceFirstEntry,
  BlockSequenceEntry,
  IndentlessSequenceEntry,
  BlockMappingFirstKey,
  BlockMappingKey,
  BlockMappingValue,
  FlowSequenceFirstEntry,
  FlowSequenceEntry,
  FlowSequenceEntryMappingKey,
  FlowSequenceEntryMappingValue,
  FlowSequenceEntryMappingEnd,
  FlowMappingFirstKey,
  FlowMappingKey,
  FlowMappingValue,
  FlowMappingEmptyValue,
  End,
}

interface TagDirective {
  handle: string
  prefix: string
}

const DEFAULT_TAG_DIRECTIVES: TagDirective[] = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
]

export class Parser {
  private readonly scanner: Scanner
  private state = St.StreamStart
  private states: St[] = []
  private marks: Mark[] = []
  private tagDirectives: TagDirective[] = []
  private headComment = ''
  private lineComment = ''
  private footComment = ''
  private stemComment: string | undefined
  done = false

  constructor(codePoints: number[]) {
    this.scanner = new Scanner(codePoints)
  }

  private peekToken(): Token {
    const s = this.scanner
    if (!s.tokenAvailable) s.fetchMoreTokens()
    const t = s.tokens[s.tokensHead] as Token
    this.unfoldComments(t)
    return t
  }

  private unfoldComments(t: Token): void {
    const s = this.scanner
    while (s.commentsHead < s.comments.length && t.start.index >= (s.comments[s.commentsHead] as { token: Mark }).token.index) {
      const c = s.comments[s.commentsHead] as { head: string; foot: string; line: string }
      if (c.head.length > 0) {
        if (t.type === Tok.BlockEnd) break // no heads on ends: keep it for a follow-up token
        if (this.headComment.length > 0) this.headComment += '\n'
        this.headComment += c.head
      }
      if (c.foot.length > 0) {
        if (this.footComment.length > 0) this.footComment += '\n'
        this.footComment += c.foot
      }
      if (c.line.length > 0) {
        if (this.lineComment.length > 0) this.lineComment += '\n'
        this.lineComment += c.line
      }
      c.head = c.foot = c.line = ''
      s.commentsHead++
    }
  }

  private skipToken(): void {
    const s = this.scanner
    s.tokenAvailable = false
    s.tokensParsed++
    s.streamEndProduced = (s.tokens[s.tokensHead] as Token).type === Tok.StreamEnd
    s.tokensHead++
  }

  private error(problem: string, mark: Mark, context = '', contextMark?: Mark): never {
    throw new YamlError('parser', problem, mark, context, contextMark ?? { index: 0, line: 0, column: 0 })
  }

  private pop(): void {
    this.state = this.states.pop() as St
  }

  private setEventComments(e: Event): void {
    e.headComment = this.headComment
    e.lineComment = this.lineComment
    e.footComment = this.footComment
    this.headComment = this.lineComment = this.footComment = ''
    this.stemComment = undefined
  }

  /** The next event, or undefined after the stream end. */
  next(): Event | undefined {
    if (this.done || this.state === St.End) return undefined
    const e = this.stateMachine()
    if (e.type === Ev.StreamEnd) this.done = true
    return e
  }

  private stateMachine(): Event {
    switch (this.state) {
      case St.StreamStart:
        return this.parseStreamStart()
      case St.ImplicitDocumentStart:
        return this.parseDocumentStart(true)
      case St.DocumentStart:
        return this.parseDocumentStart(false)
      case St.DocumentContent:
        return this.parseDocumentContent()
      case St.DocumentEnd:
        return this.parseDocumentEnd()
      case St.BlockNode:
        return this.parseNode(true, false)
      case St.BlockNodeOrIndentlessSequence:
        return this.parseNode(true, true)
      case St.FlowNode:
        return this.parseNode(false, false)
      case St.BlockSequenceFirstEntry:
        return this.parseBlockSequenceEntry(true)
      case St.BlockSequenceEntry:
        return this.parseBlockSequenceEntry(false)
      case St.IndentlessSequenceEntry:
        return this.parseIndentlessSequenceEntry()
      case St.BlockMappingFirstKey:
        return this.parseBlockMappingKey(true)
      case St.BlockMappingKey:
        return this.parseBlockMappingKey(false)
      case St.BlockMappingValue:
        return this.parseBlockMappingValue()
      case St.FlowSequenceFirstEntry:
        return this.parseFlowSequenceEntry(true)
      case St.FlowSequenceEntry:
        return this.parseFlowSequenceEntry(false)
      case St.FlowSequenceEntryMappingKey:
        return this.parseFlowSequenceEntryMappingKey()
      case St.FlowSequenceEntryMappingValue:
        return this.parseFlowSequenceEntryMappingValue()
      case St.FlowSequenceEntryMappingEnd:
        return this.parseFlowSequenceEntryMappingEnd()
      case St.FlowMappingFirstKey:
        return this.parseFlowMappingKey(true)
      case St.FlowMappingKey:
        return this.parseFlowMappingKey(false)
      case St.FlowMappingValue:
        return this.parseFlowMappingValue(false)
      case St.FlowMappingEmptyValue:
        return this.parseFlowMappingValue(true)
      default:
        throw new Error('invalid parser state')
    }
  }

  private parseStreamStart(): Event {
    const t = this.peekToken()
    if (t.type !== Tok.StreamStart) this.error('did not find expected <stream-start>', t.start)
    this.state = St.ImplicitDocumentStart
    this.skipToken()
    return newEvent(Ev.StreamStart, { start: t.start, end: t.end })
  }

  private parseDocumentStart(implicit: boolean): Event {
    let t = this.peekToken()
    if (!implicit) {
      while (t.type === Tok.DocumentEnd) {
        this.skipToken()
        t = this.peekToken()
      }
    }
    if (implicit && t.type !== Tok.VersionDirective && t.type !== Tok.TagDirective && t.type !== Tok.DocumentStart && t.type !== Tok.StreamEnd) {
      this.processDirectives()
      this.states.push(St.DocumentEnd)
      this.state = St.BlockNode
      // The head comment up to the last blank line belongs to the document.
      let headComment = ''
      const hc = this.headComment
      for (let i = hc.length - 1; i > 0; i--) {
        if (hc[i] === '\n') {
          if (i === hc.length - 1) {
            headComment = hc.slice(0, i)
            this.headComment = hc.slice(i + 1)
            break
          } else if (hc[i - 1] === '\n') {
            headComment = hc.slice(0, i - 1)
            this.headComment = hc.slice(i + 1)
            break
          }
        }
      }
      return newEvent(Ev.DocumentStart, { start: t.start, end: t.end, headComment, implicit: true })
    }
    if (t.type !== Tok.StreamEnd) {
      const start = t.start
      this.processDirectives()
      t = this.peekToken()
      if (t.type !== Tok.DocumentStart) this.error('did not find expected <document start>', t.start)
      this.states.push(St.DocumentEnd)
      this.state = St.DocumentContent
      const end = t.end
      this.skipToken()
      return newEvent(Ev.DocumentStart, { start, end, implicit: false })
    }
    this.state = St.End
    this.skipToken()
    return newEvent(Ev.StreamEnd, { start: t.start, end: t.end })
  }

  private parseDocumentContent(): Event {
    const t = this.peekToken()
    if (t.type === Tok.VersionDirective || t.type === Tok.TagDirective || t.type === Tok.DocumentStart || t.type === Tok.DocumentEnd || t.type === Tok.StreamEnd) {
      this.pop()
      return emptyScalar(t.start)
    }
    return this.parseNode(true, false)
  }

  private parseDocumentEnd(): Event {
    const t = this.peekToken()
    const start = t.start
    let end = t.start
    let implicit = true
    if (t.type === Tok.DocumentEnd) {
      end = t.end
      this.skipToken()
      implicit = false
    }
    this.tagDirectives = []
    this.state = St.DocumentStart
    const e = newEvent(Ev.DocumentEnd, { start, end, implicit })
    this.setEventComments(e)
    if (e.headComment.length > 0 && e.footComment.length === 0) {
      e.footComment = e.headComment
      e.headComment = ''
    }
    return e
  }

  private parseNode(block: boolean, indentlessSequence: boolean): Event {
    let t = this.peekToken()
    if (t.type === Tok.Alias) {
      this.pop()
      const e = newEvent(Ev.Alias, { start: t.start, end: t.end, anchor: t.value })
      this.setEventComments(e)
      this.skipToken()
      return e
    }
    let start = t.start
    let end = t.start
    let tagToken = false
    let tagHandle = ''
    let tagSuffix = ''
    let anchor = ''
    let tagMark = t.start
    if (t.type === Tok.Anchor) {
      anchor = t.value
      start = t.start
      end = t.end
      this.skipToken()
      t = this.peekToken()
      if (t.type === Tok.Tag) {
        tagToken = true
        tagHandle = t.value
        tagSuffix = t.suffix
        tagMark = t.start
        end = t.end
        this.skipToken()
        t = this.peekToken()
      }
    } else if (t.type === Tok.Tag) {
      tagToken = true
      tagHandle = t.value
      tagSuffix = t.suffix
      start = t.start
      tagMark = t.start
      end = t.end
      this.skipToken()
      t = this.peekToken()
      if (t.type === Tok.Anchor) {
        anchor = t.value
        end = t.end
        this.skipToken()
        t = this.peekToken()
      }
    }
    let tag = ''
    if (tagToken) {
      if (tagHandle === '') {
        tag = tagSuffix
      } else {
        const d = this.tagDirectives.find((x) => x.handle === tagHandle)
        if (d) tag = d.prefix + tagSuffix
        if (tag === '') this.error('found undefined tag handle', tagMark, 'while parsing a node', start)
      }
    }
    const implicit = tag === ''
    if (indentlessSequence && t.type === Tok.BlockEntry) {
      end = t.end
      this.state = St.IndentlessSequenceEntry
      return newEvent(Ev.SequenceStart, { start, end, anchor, tag, implicit })
    }
    if (t.type === Tok.Scalar) {
      let plainImplicit = false
      let quotedImplicit = false
      end = t.end
      if ((tag === '' && t.style === ScalarStyle.Plain) || tag === '!') plainImplicit = true
      else if (tag === '') quotedImplicit = true
      this.pop()
      const e = newEvent(Ev.Scalar, { start, end, anchor, tag, value: t.value, implicit: plainImplicit, quotedImplicit, style: t.style })
      this.setEventComments(e)
      this.skipToken()
      return e
    }
    if (t.type === Tok.FlowSequenceStart) {
      this.state = St.FlowSequenceFirstEntry
      const e = newEvent(Ev.SequenceStart, { start, end: t.end, anchor, tag, implicit, flow: true })
      this.setEventComments(e)
      return e
    }
    if (t.type === Tok.FlowMappingStart) {
      this.state = St.FlowMappingFirstKey
      const e = newEvent(Ev.MappingStart, { start, end: t.end, anchor, tag, implicit, flow: true })
      this.setEventComments(e)
      return e
    }
    if (block && (t.type === Tok.BlockSequenceStart || t.type === Tok.BlockMappingStart)) {
      const seq = t.type === Tok.BlockSequenceStart
      this.state = seq ? St.BlockSequenceFirstEntry : St.BlockMappingFirstKey
      const e = newEvent(seq ? Ev.SequenceStart : Ev.MappingStart, { start, end: t.end, anchor, tag, implicit })
      if (this.stemComment !== undefined) {
        e.headComment = this.stemComment
        this.stemComment = undefined
      }
      return e
    }
    if (anchor.length > 0 || tag.length > 0) {
      this.pop()
      return newEvent(Ev.Scalar, { start, end, anchor, tag, implicit, quotedImplicit: false, style: ScalarStyle.Plain })
    }
    this.error('did not find expected node content', t.start, block ? 'while parsing a block node' : 'while parsing a flow node', start)
  }

  private parseBlockSequenceEntry(first: boolean): Event {
    if (first) {
      this.marks.push(this.peekToken().start)
      this.skipToken()
    }
    let t = this.peekToken()
    if (t.type === Tok.BlockEntry) {
      const mark = t.end
      const priorHeadLen = this.headComment.length
      this.skipToken()
      this.splitStemComment(priorHeadLen)
      t = this.peekToken()
      if (t.type !== Tok.BlockEntry && t.type !== Tok.BlockEnd) {
        this.states.push(St.BlockSequenceEntry)
        return this.parseNode(true, false)
      }
      this.state = St.BlockSequenceEntry
      return emptyScalar(mark)
    }
    if (t.type === Tok.BlockEnd) {
      this.pop()
      this.marks.pop()
      this.skipToken()
      return newEvent(Ev.SequenceEnd, { start: t.start, end: t.end })
    }
    const contextMark = this.marks.pop() as Mark
    this.error("did not find expected '-' indicator", t.start, 'while parsing a block collection', contextMark)
  }

  private parseIndentlessSequenceEntry(): Event {
    let t = this.peekToken()
    if (t.type === Tok.BlockEntry) {
      const mark = t.end
      const priorHeadLen = this.headComment.length
      this.skipToken()
      this.splitStemComment(priorHeadLen)
      t = this.peekToken()
      if (t.type !== Tok.BlockEntry && t.type !== Tok.Key && t.type !== Tok.Value && t.type !== Tok.BlockEnd) {
        this.states.push(St.IndentlessSequenceEntry)
        return this.parseNode(true, false)
      }
      this.state = St.IndentlessSequenceEntry
      return emptyScalar(mark)
    }
    this.pop()
    return newEvent(Ev.SequenceEnd, { start: t.start, end: t.start })
  }

  private splitStemComment(stemLen: number): void {
    if (stemLen === 0) return
    const t = this.peekToken()
    if (t.type !== Tok.BlockSequenceStart && t.type !== Tok.BlockMappingStart) return
    this.stemComment = this.headComment.slice(0, stemLen)
    this.headComment = this.headComment.length === stemLen ? '' : this.headComment.slice(stemLen + 1)
  }

  private parseBlockMappingKey(first: boolean): Event {
    if (first) {
      this.marks.push(this.peekToken().start)
      this.skipToken()
    }
    let t = this.peekToken()
    if (t.type === Tok.Key) {
      const mark = t.end
      this.skipToken()
      t = this.peekToken()
      if (t.type !== Tok.Key && t.type !== Tok.Value && t.type !== Tok.BlockEnd) {
        this.states.push(St.BlockMappingValue)
        return this.parseNode(true, true)
      }
      this.state = St.BlockMappingValue
      return emptyScalar(mark)
    }
    if (t.type === Tok.BlockEnd) {
      this.pop()
      this.marks.pop()
      const e = newEvent(Ev.MappingEnd, { start: t.start, end: t.end })
      this.setEventComments(e)
      this.skipToken()
      return e
    }
    const contextMark = this.marks.pop() as Mark
    this.error('did not find expected key', t.start, 'while parsing a block mapping', contextMark)
  }

  private parseBlockMappingValue(): Event {
    let t = this.peekToken()
    if (t.type === Tok.Value) {
      const mark = t.end
      this.skipToken()
      t = this.peekToken()
      if (t.type !== Tok.Key && t.type !== Tok.Value && t.type !== Tok.BlockEnd) {
        this.states.push(St.BlockMappingKey)
        return this.parseNode(true, true)
      }
      this.state = St.BlockMappingKey
      return emptyScalar(mark)
    }
    this.state = St.BlockMappingKey
    return emptyScalar(t.start)
  }

  private parseFlowSequenceEntry(first: boolean): Event {
    if (first) {
      this.marks.push(this.peekToken().start)
      this.skipToken()
    }
    let t = this.peekToken()
    if (t.type !== Tok.FlowSequenceEnd) {
      if (!first) {
        if (t.type === Tok.FlowEntry) {
          this.skipToken()
          t = this.peekToken()
        } else {
          const contextMark = this.marks.pop() as Mark
          this.error("did not find expected ',' or ']'", t.start, 'while parsing a flow sequence', contextMark)
        }
      }
      if (t.type === Tok.Key) {
        this.state = St.FlowSequenceEntryMappingKey
        const e = newEvent(Ev.MappingStart, { start: t.start, end: t.end, implicit: true, flow: true })
        this.skipToken()
        return e
      } else if (t.type !== Tok.FlowSequenceEnd) {
        this.states.push(St.FlowSequenceEntry)
        return this.parseNode(false, false)
      }
    }
    this.pop()
    this.marks.pop()
    const e = newEvent(Ev.SequenceEnd, { start: t.start, end: t.end })
    this.setEventComments(e)
    this.skipToken()
    return e
  }

  private parseFlowSequenceEntryMappingKey(): Event {
    const t = this.peekToken()
    if (t.type !== Tok.Value && t.type !== Tok.FlowEntry && t.type !== Tok.FlowSequenceEnd) {
      this.states.push(St.FlowSequenceEntryMappingValue)
      return this.parseNode(false, false)
    }
    const mark = t.end
    this.skipToken()
    this.state = St.FlowSequenceEntryMappingValue
    return emptyScalar(mark)
  }

  private parseFlowSequenceEntryMappingValue(): Event {
    // yaml.v3 shadows the token here: an empty value takes the ':' token's mark.
    const t = this.peekToken()
    if (t.type === Tok.Value) {
      this.skipToken()
      const next = this.peekToken()
      if (next.type !== Tok.FlowEntry && next.type !== Tok.FlowSequenceEnd) {
        this.states.push(St.FlowSequenceEntryMappingEnd)
        return this.parseNode(false, false)
      }
    }
    this.state = St.FlowSequenceEntryMappingEnd
    return emptyScalar(t.start)
  }

  private parseFlowSequenceEntryMappingEnd(): Event {
    const t = this.peekToken()
    this.state = St.FlowSequenceEntry
    return newEvent(Ev.MappingEnd, { start: t.start, end: t.start })
  }

  private parseFlowMappingKey(first: boolean): Event {
    if (first) {
      this.marks.push(this.peekToken().start)
      this.skipToken()
    }
    let t = this.peekToken()
    if (t.type !== Tok.FlowMappingEnd) {
      if (!first) {
        if (t.type === Tok.FlowEntry) {
          this.skipToken()
          t = this.peekToken()
        } else {
          const contextMark = this.marks.pop() as Mark
          this.error("did not find expected ',' or '}'", t.start, 'while parsing a flow mapping', contextMark)
        }
      }
      if (t.type === Tok.Key) {
        this.skipToken()
        t = this.peekToken()
        if (t.type !== Tok.Value && t.type !== Tok.FlowEntry && t.type !== Tok.FlowMappingEnd) {
          this.states.push(St.FlowMappingValue)
          return this.parseNode(false, false)
        }
        this.state = St.FlowMappingValue
        return emptyScalar(t.start)
      } else if (t.type !== Tok.FlowMappingEnd) {
        this.states.push(St.FlowMappingEmptyValue)
        return this.parseNode(false, false)
      }
    }
    this.pop()
    this.marks.pop()
    const e = newEvent(Ev.MappingEnd, { start: t.start, end: t.end })
    this.setEventComments(e)
    this.skipToken()
    return e
  }

  private parseFlowMappingValue(empty: boolean): Event {
    let t = this.peekToken()
    if (empty) {
      this.state = St.FlowMappingKey
      return emptyScalar(t.start)
    }
    if (t.type === Tok.Value) {
      this.skipToken()
      t = this.peekToken()
      if (t.type !== Tok.FlowEntry && t.type !== Tok.FlowMappingEnd) {
        this.states.push(St.FlowMappingKey)
        return this.parseNode(false, false)
      }
    }
    this.state = St.FlowMappingKey
    return emptyScalar(t.start)
  }

  private processDirectives(): void {
    let t = this.peekToken()
    let version = false
    while (t.type === Tok.VersionDirective || t.type === Tok.TagDirective) {
      if (t.type === Tok.VersionDirective) {
        if (version) this.error('found duplicate %YAML directive', t.start)
        if (t.major !== 1 || t.minor !== 1) this.error('found incompatible YAML document', t.start)
        version = true
      } else {
        const value = { handle: t.value, prefix: t.prefix }
        this.appendTagDirective(value, false, t.start)
      }
      this.skipToken()
      t = this.peekToken()
    }
    for (const d of DEFAULT_TAG_DIRECTIVES) this.appendTagDirective(d, true, t.start)
  }

  private appendTagDirective(value: TagDirective, allowDuplicates: boolean, mark: Mark): void {
    if (this.tagDirectives.some((d) => d.handle === value.handle)) {
      if (allowDuplicates) return
      this.error('found duplicate %TAG directive', mark)
    }
    this.tagDirectives.push({ ...value })
  }
}

function emptyScalar(mark: Mark): Event {
  return newEvent(Ev.Scalar, { start: mark, end: mark, implicit: true, style: ScalarStyle.Plain })
}

/** decode.go's parser: events to Nodes, with its comment moves. */
class Composer {
  private event: Event | undefined
  private anchors = new Map<string, YNode>()
  // The tool's YAML limits (../yaml/limits.ts), not yaml.v3's: its own nesting bound (10,000)
  // is past what this recursive composer's stack holds.
  private depth = 0
  private aliases = 0

  constructor(private readonly parser: Parser) {}

  private peek(): Event {
    if (!this.event) this.event = this.parser.next()
    if (!this.event) throw new YamlError('parser', 'attempted to go past the end of stream; corrupted value?', { index: 0, line: 0, column: 0 })
    return this.event
  }

  private expect(type: Ev): Event {
    const e = this.peek()
    if (e.type === Ev.StreamEnd) throw new ComposeError('attempted to go past the end of stream; corrupted value?')
    if (e.type !== type) throw new ComposeError(`expected ${type} event but got ${e.type}`)
    this.event = undefined
    return e
  }

  start(): void {
    this.expect(Ev.StreamStart)
  }

  parse(): YNode | undefined {
    const e = this.peek()
    switch (e.type) {
      case Ev.Scalar:
        return this.scalar()
      case Ev.Alias:
        return this.alias()
      case Ev.MappingStart:
        return this.mapping()
      case Ev.SequenceStart:
        return this.sequence()
      case Ev.DocumentStart:
        return this.document()
      case Ev.StreamEnd:
        return undefined
      default:
        throw new Error(`internal error: unexpected event ${e.type}`)
    }
  }

  private node(kind: Kind, defaultTag: string, tag: string, value: string): YNode {
    const e = this.peek()
    let style = 0
    if (tag !== '' && tag !== '!') {
      tag = shortTag(tag)
      style = Style.Tagged
    } else if (defaultTag !== '') {
      tag = defaultTag
    } else if (kind === Kind.Scalar) {
      tag = resolveTag(value)
    }
    return newNode(kind, {
      tag,
      value,
      style,
      line: e.start.line + 1,
      column: e.start.column + 1,
      start: e.start,
      end: e.end,
      headComment: e.headComment,
      lineComment: e.lineComment,
      footComment: e.footComment,
    })
  }

  private child(parent: YNode): YNode {
    const c = this.parse() as YNode
    parent.content.push(c)
    return c
  }

  private document(): YNode {
    const n = this.node(Kind.Document, '', '', '')
    this.expect(Ev.DocumentStart)
    this.child(n)
    if (this.peek().type === Ev.DocumentEnd) n.footComment = this.peek().footComment
    const end = this.expect(Ev.DocumentEnd)
    n.end = end.end
    return n
  }

  private alias(): YNode {
    const e = this.peek()
    if (++this.aliases > YAML_LIMITS.aliases) throw new YamlLimitError(limitReason.aliases(), e.start.line + 1)
    const n = this.node(Kind.Alias, '', '', e.anchor)
    n.alias = this.anchors.get(n.value)
    if (!n.alias) throw new ComposeError(`unknown anchor '${n.value}' referenced`)
    this.expect(Ev.Alias)
    return n
  }

  private scalar(): YNode {
    const e = this.peek()
    if (e.value.length > YAML_LIMITS.scalar) throw new YamlLimitError(limitReason.scalar(e.value.length), e.start.line + 1)
    const nodeStyle = e.style === ScalarStyle.DoubleQuoted ? Style.DoubleQuoted : e.style === ScalarStyle.SingleQuoted ? Style.SingleQuoted : e.style === ScalarStyle.Literal ? Style.Literal : e.style === ScalarStyle.Folded ? Style.Folded : 0
    let defaultTag = ''
    if (nodeStyle === 0) {
      if (e.value === '<<') defaultTag = MERGE_TAG
    } else {
      defaultTag = STR_TAG
    }
    const n = this.node(Kind.Scalar, defaultTag, e.tag, e.value)
    n.style |= nodeStyle
    this.anchor(n, e.anchor)
    this.expect(Ev.Scalar)
    return n
  }

  private nest(e: Event): void {
    if (++this.depth > YAML_LIMITS.depth) throw new YamlLimitError(limitReason.depth(), e.start.line + 1)
  }

  private anchor(n: YNode, anchor: string): void {
    if (anchor !== '') {
      n.anchor = anchor
      this.anchors.set(anchor, n)
    }
  }

  private sequence(): YNode {
    const e = this.peek()
    this.nest(e)
    const n = this.node(Kind.Sequence, SEQ_TAG, e.tag, '')
    if (e.flow) n.style |= Style.Flow
    this.anchor(n, e.anchor)
    this.expect(Ev.SequenceStart)
    while (this.peek().type !== Ev.SequenceEnd) this.child(n)
    const end = this.peek()
    n.lineComment = end.lineComment
    n.footComment = end.footComment
    n.end = end.end
    this.expect(Ev.SequenceEnd)
    this.depth--
    return n
  }

  private mapping(): YNode {
    const e = this.peek()
    this.nest(e)
    const n = this.node(Kind.Mapping, MAP_TAG, e.tag, '')
    const block = !e.flow
    if (e.flow) n.style |= Style.Flow
    this.anchor(n, e.anchor)
    this.expect(Ev.MappingStart)
    while (this.peek().type !== Ev.MappingEnd) {
      const k = this.child(n)
      if (block && k.footComment !== '') {
        if (n.content.length > 2) {
          ;(n.content[n.content.length - 3] as YNode).footComment = k.footComment
          k.footComment = ''
        }
      }
      const v = this.child(n)
      if (k.footComment === '' && v.footComment !== '') {
        k.footComment = v.footComment
        v.footComment = ''
      }
    }
    const end = this.peek()
    n.lineComment = end.lineComment
    n.footComment = end.footComment
    n.end = end.end
    if ((n.style & Style.Flow) === 0 && n.footComment !== '' && n.content.length > 1) {
      ;(n.content[n.content.length - 2] as YNode).footComment = n.footComment
      n.footComment = ''
    }
    this.expect(Ev.MappingEnd)
    this.depth--
    return n
  }
}

class ComposeError extends Error {}

export type DecodeOutcome = { ok: true; node: YNode | undefined } | { ok: false; message: string; line?: number }

/**
 * yaml.NewDecoder(text).Decode(&node): the first document of the stream (undefined at EOF),
 * or yaml.v3's error text ("yaml: line N: …"). Past the tool's YAML limits it throws
 * YamlLimitError (with the line in `text`).
 */
export function decodeFirst(text: string): DecodeOutcome {
  const cps = toCodePoints(text)
  let start = 0
  if (cps[0] === 0xfeff) start = 1
  for (let i = start; i < cps.length; i++) {
    if (!isAllowedInStream(cps[i] as number)) return { ok: false, message: 'yaml: control characters are not allowed' }
  }
  const composer = new Composer(new Parser(start ? cps.slice(1) : cps))
  try {
    composer.start()
    return { ok: true, node: composer.parse() }
  } catch (e) {
    if (e instanceof YamlError) {
      const message = e.goMessage()
      const m = /^yaml: line (\d+):/.exec(message)
      return m ? { ok: false, message, line: Number(m[1]) } : { ok: false, message }
    }
    if (e instanceof ComposeError) return { ok: false, message: `yaml: ${e.message}` }
    throw e
  }
}
