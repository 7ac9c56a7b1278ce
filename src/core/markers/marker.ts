// The marker grammar, as kyaml's FieldMeta.Read and processShortHand apply it: leading '#'
// characters are stripped (white space is not), the rest must unmarshal with Go's
// encoding/json into a map of string to string, and the "$imagepolicy" key names the setter.

export type MarkerParse =
  | { ok: true; setter: string }
  /** Looks like a marker, but Flux will not read it; `code` says why. */
  | { ok: false; code: MarkerSyntaxCode; why: string }
  /** An ordinary comment. */
  | { ok: false; code: undefined; why: string }

export type MarkerSyntaxCode = 'FIA309' | 'FIA310' | 'FIA311' | 'FIA312' | 'FIA313' | 'FIA314'

const TOKEN = '$imagepolicy'

// An attempt at a marker, as people get it wrong: after the '#'s, an object naming
// imagepolicy in any case or quoting, or an "$imagepolicy:" key. Prose that mentions image
// policies ("# ImagePolicy for podinfo", "# we use $imagepolicy markers") is no attempt.
const ATTEMPT = '#+(?:[ \\t]*#)*[ \\t]*(?:\\{[^\\n]*imagepolicy|["\']?\\$?imagepolicy["\']?[ \\t]*:)'

/** Whether a comment (with its '#') is shaped like an attempt at a marker, to report near misses. */
export function mentionsImagePolicy(comment: string): boolean {
  return COMMENT_ATTEMPT.test(comment)
}
const COMMENT_ATTEMPT = new RegExp(`^${ATTEMPT}`, 'im')

/** Text holding a marker attempt in a comment; code and prose ("ImagePolicy") do not. */
export const MARKER_LIKE = new RegExp(ATTEMPT, 'i')

export function parseMarker(comment: string): MarkerParse {
  const body = comment.replace(/^#+/, '')
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return { ok: false, ...whyNotJson(comment, body) }
  }
  // Go: null leaves the map nil (no error, no setter); any other non-object fails.
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return notMarker(comment, 'the comment is JSON but not an object')
  const entries = Object.entries(parsed as Record<string, unknown>)
  // map[string]string: a number, bool, object or array anywhere fails the whole unmarshal;
  // null sets the zero value "".
  const bad = entries.find(([, v]) => v !== null && typeof v !== 'string')
  if (bad) return { ok: false, code: 'FIA312', why: `the value of "${bad[0]}" is not a JSON string, so Go cannot read the comment as a map of strings` }
  const value = (parsed as Record<string, string | null>)[TOKEN]
  if (value === undefined || value === null || value === '') {
    const near = entries.find(([k]) => k.toLowerCase().replace(/^\$/, '') === 'imagepolicy')
    if (near && near[0] !== TOKEN) return { ok: false, code: 'FIA313', why: `the key is "${near[0]}"; Flux reads only "${TOKEN}" (exact spelling and case)` }
    if (value === '' || value === null) return notMarker(comment, 'the setter name is empty')
    return notMarker(comment, `no "${TOKEN}" key`)
  }
  return { ok: true, setter: value }
}

function notMarker(comment: string, why: string): MarkerParse {
  return mentionsImagePolicy(comment) ? { ok: false, code: 'FIA313', why } : { ok: false, code: undefined, why }
}

function whyNotJson(comment: string, body: string): { code: MarkerSyntaxCode | undefined; why: string } {
  if (!mentionsImagePolicy(comment)) return { code: undefined, why: 'not JSON' }
  if (comment.includes('\n')) return { code: 'FIA314', why: 'the marker is part of a head comment of several lines, which Flux reads as one text' }
  if (/^\s*#/.test(body)) return { code: 'FIA311', why: 'a second "#" follows the first after white space ("# # {…}"); only leading "#" characters are stripped' }
  if (/'\$?imagepolicy'|\{\s*'/i.test(body)) return { code: 'FIA309', why: 'single quotes are not JSON; use double quotes' }
  const close = body.lastIndexOf('}')
  if (close >= 0 && body.slice(close + 1).trim() !== '') {
    try {
      JSON.parse(body.slice(0, close + 1))
      return { code: 'FIA310', why: `text after the closing brace ("${body.slice(close + 1).trim()}") makes it invalid JSON` }
    } catch {
      // fall through
    }
  }
  return { code: 'FIA310', why: 'the comment is not valid JSON' }
}
