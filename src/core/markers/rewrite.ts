// What Flux writes for a changed file: the file read by kyaml, the marked values set, and
// every resource re-encoded through yaml.v3 (src/core/yamlv3). The reformat list names the
// lines of the original that Flux's encoder changes beyond the values themselves.

import { lineChanges } from '../diff.js'
import { fluxUpdate } from '../yamlv3/flux-update.js'
import { isYaml11NonString } from '../yamlv3/yaml11.js'
import type { ScalarSite } from './yaml-file.js'

export interface Reformat {
  /** 1-based line in the original file. */
  line: number
  what: string
}

export interface Rewrite {
  text: string
  /** True when `text` is what Flux writes, byte for byte. */
  exact: boolean
  /** Lines Flux also changes and that `text` reproduces. */
  normalised: Reformat[]
  /** Lines Flux also changes and that `text` does not reproduce. */
  unreproduced: Reformat[]
}

export interface RewrittenFile {
  /** Relative to update.path, like the source file's path. */
  path: string
  /** The file's current content ('' when Flux creates it). */
  original: string
  rewrite: Rewrite
}

export type RewriteOutcome = { ok: true; files: RewrittenFile[] } | { ok: false; message: string; line?: number }

/**
 * The files Flux writes for the file at `path` when its marked values are set: `sets` holds
 * every site a setter touches (changed or not, since Flux formats each one).
 */
export function rewriteFile(raw: string, path: string, sets: readonly { site: ScalarSite; next: string }[]): RewriteOutcome {
  const update = fluxUpdate(raw, path, sets.map((s) => ({ line: s.site.line, column: s.site.column, end: s.site.end, value: s.next })), isYaml11NonString)
  if (!update.ok) return update
  const files = update.outputs.map(({ path: out, text }) => {
    const original = out === path ? raw : ''
    return { path: out, original, rewrite: { text, exact: true, normalised: out === path ? reformats(raw, text, sets) : [], unreproduced: [] } }
  })
  return { ok: true, files }
}

// The original lines Flux's encoder changes, leaving out a marked line whose only change is
// its value (a new line of the same change starts with the same text before the value).
function reformats(raw: string, text: string, sets: readonly { site: ScalarSite; next: string }[]): Reformat[] {
  const out: Reformat[] = []
  if (raw.startsWith('\uFEFF')) out.push({ line: 1, what: 'the UTF-8 byte order mark is dropped' })
  if (raw.includes('\r\n')) out.push({ line: 1, what: 'CRLF line endings become LF' })
  const original = raw.replace(/^\uFEFF/, '').replaceAll('\r\n', '\n')
  const lines = original.split('\n')
  const valueColumn = new Map(sets.map((s) => [s.site.line, s.site.column]))
  const { removed, addedAfter } = lineChanges(original, text)
  for (const r of removed) {
    const old = lines[r.line - 1] ?? ''
    const column = valueColumn.get(r.line)
    if (column !== undefined && r.added.some((l) => l.slice(0, column - 1) === old.slice(0, column - 1))) continue
    out.push({ line: r.line, what: describe(old, r.replacement) })
  }
  for (const line of addedAfter) out.push({ line: Math.max(line, 1), what: 'yaml.v3 writes an extra line after it' })
  if (!original.endsWith('\n') && original !== '') out.push({ line: lines.length, what: 'a final newline is added' })
  return out.sort((a, b) => a.line - b.line)
}

function describe(old: string, replacement: string | undefined): string {
  if (old.trim() === '') return 'the blank line is dropped'
  if (/^(---|\.\.\.)(\s|$)/.test(old)) return `the "${old.slice(0, 3)}" line is dropped`
  if (replacement === undefined) return 'yaml.v3 writes it differently (joined, re-indented or dropped)'
  if (replacement.trimStart() === old.trimStart()) return 'yaml.v3 re-indents it'
  return 'yaml.v3 writes it differently'
}
