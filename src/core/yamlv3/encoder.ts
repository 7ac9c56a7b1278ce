// yaml.v3 v3.0.4's Encoder for *yaml.Node values (encode.go): which tags are dropped, which
// styles are forced, and the order in which comments reach the emitter (a key's foot comment
// travels as the next key's tail).

import { Emitter } from './emitter.js'
import { Kind, longTag, MAP_TAG, resolveTag, SEQ_TAG, shortTag, STR_TAG, Style, type YNode } from './node.js'
import { Ev, newEvent } from './parser.js'
import { ScalarStyle } from './scanner.js'

export class Encoder {
  private readonly emitter = new Emitter()
  private started = false

  constructor(indent = 4) {
    this.emitter.bestIndent = indent
  }

  /** yaml.Encoder.CompactSeqIndent / DefaultSeqIndent. */
  setCompactSeqIndent(compact: boolean): void {
    this.emitter.compactSequenceIndent = compact
  }

  /** Encoder.Encode(node): a document node as is, anything else wrapped in a document. */
  encode(node: YNode): void {
    if (!this.started) {
      this.emitter.emit(newEvent(Ev.StreamStart))
      this.started = true
    }
    if (node.kind === Kind.Document) {
      this.node(node, '')
    } else {
      this.emitter.emit(newEvent(Ev.DocumentStart, { implicit: true }))
      this.node(node, '')
      this.emitter.emit(newEvent(Ev.DocumentEnd, { implicit: true }))
    }
  }

  /** Encoder.Close: the stream end, never a final "...". */
  close(): string {
    if (this.started) {
      this.emitter.openEnded = false
      this.emitter.emit(newEvent(Ev.StreamEnd))
    }
    return this.emitter.output()
  }

  private node(node: YNode, tail: string): void {
    // A tag that was not asked for explicitly, and that the value resolves to anyway, is dropped.
    let tag = node.tag
    const stag = shortTag(tag)
    let forceQuoting = false
    if (tag !== '' && (node.style & Style.Tagged) === 0) {
      if (node.kind === Kind.Scalar) {
        if (stag === STR_TAG && (node.style & (Style.SingleQuoted | Style.DoubleQuoted | Style.Literal | Style.Folded)) !== 0) {
          tag = ''
        } else {
          const rtag = resolveTag(node.value)
          if (rtag === stag) {
            tag = ''
          } else if (stag === STR_TAG) {
            tag = ''
            forceQuoting = true
          }
        }
      } else {
        const rtag = node.kind === Kind.Mapping ? MAP_TAG : node.kind === Kind.Sequence ? SEQ_TAG : ''
        if (rtag === stag) tag = ''
      }
    }
    const e = this.emitter
    switch (node.kind) {
      case Kind.Document:
        e.emit(newEvent(Ev.DocumentStart, { implicit: true, headComment: node.headComment }))
        for (const c of node.content) this.node(c, '')
        e.emit(newEvent(Ev.DocumentEnd, { implicit: true, footComment: node.footComment }))
        return
      case Kind.Sequence:
        e.emit(newEvent(Ev.SequenceStart, { anchor: node.anchor, tag: longTag(tag), implicit: tag === '', flow: (node.style & Style.Flow) !== 0, headComment: node.headComment }))
        for (const c of node.content) this.node(c, '')
        e.emit(newEvent(Ev.SequenceEnd, { lineComment: node.lineComment, footComment: node.footComment }))
        return
      case Kind.Mapping: {
        e.emit(newEvent(Ev.MappingStart, { anchor: node.anchor, tag: longTag(tag), implicit: tag === '', flow: (node.style & Style.Flow) !== 0, tailComment: tail, headComment: node.headComment }))
        // A key's foot comment is held back and sent as the next key's tail, once the whole
        // value has been streamed; the last one goes with the mapping end.
        let keyTail = ''
        for (let i = 0; i + 1 < node.content.length; i += 2) {
          let k = node.content[i] as YNode
          const foot = k.footComment
          if (foot !== '') k = { ...k, footComment: '' }
          this.node(k, keyTail)
          keyTail = foot
          this.node(node.content[i + 1] as YNode, '')
        }
        e.emit(newEvent(Ev.MappingEnd, { tailComment: keyTail, lineComment: node.lineComment, footComment: node.footComment }))
        return
      }
      case Kind.Alias:
        e.emit(newEvent(Ev.Alias, { anchor: node.value, headComment: node.headComment, lineComment: node.lineComment, footComment: node.footComment }))
        return
      case Kind.Scalar: {
        let style = ScalarStyle.Plain
        if (node.style & Style.DoubleQuoted) style = ScalarStyle.DoubleQuoted
        else if (node.style & Style.SingleQuoted) style = ScalarStyle.SingleQuoted
        else if (node.style & Style.Literal) style = ScalarStyle.Literal
        else if (node.style & Style.Folded) style = ScalarStyle.Folded
        else if (node.value.includes('\n')) style = ScalarStyle.Literal
        else if (forceQuoting) style = ScalarStyle.DoubleQuoted
        const implicit = tag === ''
        e.emit(newEvent(Ev.Scalar, { anchor: node.anchor, tag: implicit ? '' : longTag(tag), value: node.value, implicit, quotedImplicit: implicit, style, headComment: node.headComment, lineComment: node.lineComment, footComment: node.footComment, tailComment: tail }))
        return
      }
      default:
        // A zero node encodes as null.
        e.emit(newEvent(Ev.Scalar, { value: 'null', implicit: true, quotedImplicit: true, style: ScalarStyle.Plain }))
    }
  }
}

