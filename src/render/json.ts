// The JSON envelope as JSON.stringify(value, null, 2) writes it, byte for byte, but in pieces
// of about a megabyte: the result for 3 million tags is more text than one string may hold
// (V8 caps a string at 2^29 - 24 characters), and a piece can be written as soon as it is made.

const PIECE = 1 << 20
/** Array items serialised by one JSON.stringify call: a generator step per item costs more. */
const BATCH = 256

/** The JSON text of `value` (2-space indentation) in pieces, ending with a newline. */
export function* jsonPieces(value: unknown): Generator<string> {
  let buffer = ''
  for (const part of parts(value, '', '')) {
    buffer += part
    if (buffer.length >= PIECE) {
      yield buffer
      buffer = ''
    }
  }
  yield buffer + '\n'
}

// What JSON.stringify leaves out of an object and writes as null in an array.
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol'

function* parts(input: unknown, key: string, indent: string): Generator<string> {
  let value = input
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') value = (value as { toJSON: (k: string) => unknown }).toJSON(key)
  if (value === null || typeof value !== 'object' || flat(value)) {
    // A scalar, or an array or object of scalars: JSON.stringify itself, re-indented.
    const text = JSON.stringify(value, null, 2) ?? 'null'
    yield indent === '' ? text : text.replaceAll('\n', '\n' + indent)
    return
  }
  const inner = indent + '  '
  if (Array.isArray(value)) {
    yield '['
    for (let from = 0; from < value.length; from += BATCH) {
      yield (from === 0 ? '\n' : ',\n') + inner
      const batch = value.slice(from, from + BATCH)
      if (batch.some((item) => item !== null && typeof item === 'object' && typeof (item as { toJSON?: unknown }).toJSON === 'function')) {
        // toJSON receives its index as key: these items one by one.
        for (let i = 0; i < batch.length; i++) {
          if (i > 0) yield ',\n' + inner
          const item: unknown = batch[i]
          if (omitted(item)) yield 'null'
          else yield* parts(item, String(from + i), inner)
        }
        continue
      }
      // A few hundred items in one JSON.stringify call, its brackets cut off, re-indented.
      const text = JSON.stringify(batch, null, 2)
      const items = text.slice(4, -2)
      yield indent === '' ? items : items.replaceAll('\n', '\n' + indent)
    }
    yield '\n' + indent + ']'
    return
  }
  let first = true
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k]
    if (omitted(v)) continue
    yield (first ? '{\n' : ',\n') + inner + JSON.stringify(k) + ': '
    first = false
    yield* parts(v, k, inner)
  }
  yield first ? '{}' : '\n' + indent + '}'
}

// An array or plain object holding no object (nor anything with toJSON): small enough, or at
// least flat enough, for one JSON.stringify call.
function flat(value: object): boolean {
  if (Array.isArray(value)) {
    if (value.length > 1000) return false
    return value.every((v) => v === null || typeof v !== 'object')
  }
  const keys = Object.keys(value)
  if (keys.length > 1000) return false
  return keys.every((k) => {
    const v = (value as Record<string, unknown>)[k]
    return v === null || typeof v !== 'object'
  })
}
