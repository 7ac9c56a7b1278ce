// Marker tracing, as a pure function of a repository snapshot: for every marker and near
// miss, where it is, what Flux will do with it and why.

import type { ObjectId, ParseOutcome, ScalarSite, YamlFile } from './yaml-file.js'
import { parseYamlFile } from './yaml-file.js'
import { MARKER_LIKE, mentionsImagePolicy, parseMarker } from './marker.js'
import { buildSetters, type LabelSelector, type PolicyLike, type Setter, type SetterSet } from './setters.js'
import { parseImage } from '../registry/image.js'
import { newVersion } from '../semver/version.js'

/** A file Flux reads: named .yaml/.yml/Kustomization, under update.path, with the token. */
export interface ScannedFile {
  /** Relative to update.path (or its directory when update.path is a file), with "/". */
  path: string
  text: string
}

/** A file Flux does not read but that mentions image policies: a likely near miss. */
export interface SkippedFile {
  path: string
  text: string
  code: 'FIA320' | 'FIA321' | 'FIA324' | 'FIA325'
  why: string
}

export interface RepoSnapshot {
  files: ScannedFile[]
  skipped: SkippedFile[]
}

export interface AutomationLike {
  namespace: string
  name?: string
  policySelector?: LabelSelector
}

export type MarkerStatus = 'update' | 'current' | 'ignored'

export interface Reason {
  code: string
  message: string
}

export interface MarkerEntry {
  file: string
  line: number
  column: number
  object?: ObjectId
  /** The field the marker sits on, e.g. spec.template.spec.containers[0].image */
  field?: string
  marker: string
  setter?: string
  policy?: string
  current?: string
  next?: string
  status: MarkerStatus
  reason?: Reason
  warnings: Reason[]
}

export interface FileTrace {
  path: string
  parsed?: YamlFile
  /** Sites Flux will set, in traversal order, with the value it writes. */
  writes: { site: ScalarSite; setter: Setter; next: string }[]
  /** Every site a setter touches, changed or not: Flux formats each one when it writes the file. */
  sets: { site: ScalarSite; next: string }[]
}

export interface TraceResult {
  entries: MarkerEntry[]
  files: FileTrace[]
  setters: SetterSet
}

/** Fields that hold a whole image reference (the full setter's place). */
export const IMAGE_FIELD = /^(image|.*Image)$/
const TAG_FIELD = /^(tag|newTag|imageTag)$/

/**
 * `parsed` keeps each file's parse, by text, for a caller that traces one checkout for several
 * automations (lint): each file is then parsed once, not once per trace.
 */
export function traceMarkers(automation: AutomationLike, policies: readonly PolicyLike[], repo: RepoSnapshot, parsed?: Map<string, ParseOutcome>): TraceResult {
  const setters = buildSetters(automation.namespace, automation.policySelector, policies)
  const entries: MarkerEntry[] = []
  const files: FileTrace[] = []
  for (const f of repo.files) {
    let outcome = parsed?.get(f.text)
    if (!outcome) {
      outcome = parseYamlFile(f.text, f.path)
      parsed?.set(f.text, outcome)
    }
    if (!outcome.ok) {
      for (const m of rawMarkers(f.text)) {
        entries.push({ file: f.path, ...m, status: 'ignored', reason: { code: 'FIA322', message: `Flux cannot parse this file, so it skips all of it without a word: ${outcome.message}${outcome.line ? ` (line ${outcome.line})` : ''}` }, warnings: [] })
      }
      files.push({ path: f.path, writes: [], sets: [] })
      continue
    }
    const yf = outcome.file
    const trace: FileTrace = { path: f.path, parsed: yf, writes: [], sets: [] }
    files.push(trace)
    const listDocs = new Set(yf.docs.flatMap((d, i) => (d.isList ? [i] : [])))
    const attached = new Set<number>() // comment lines that belong to a scalar value
    for (const s of yf.scalars) {
      for (const c of [s.lineComment, s.headComment]) if (c) for (let l = c.line; l < c.line + c.lines; l++) attached.add(l)
      const effective = s.lineComment ?? s.headComment
      if (!effective) continue
      if (s.role === 'key') {
        if (mentionsImagePolicy(effective.text)) entries.push(keyNearMiss(f.path, s, effective === s.lineComment))
        continue
      }
      // A head comment with a marker, shadowed by a non-empty line comment on the value.
      if (s.lineComment && s.headComment && mentionsImagePolicy(s.headComment.text) && !mentionsImagePolicy(s.lineComment.text)) {
        entries.push(base(f.path, s, s.headComment.text, yf, 'ignored', { code: 'FIA315', message: `the value's own line comment (${s.lineComment.text}) comes first; Flux reads only the first non-empty comment` }))
      }
      const parsed = parseMarker(effective.text)
      if (!parsed.ok) {
        if (parsed.code) entries.push(base(f.path, s, effective.text, yf, 'ignored', { code: parsed.code, message: parsed.why }))
        continue
      }
      const setter = setters.setters.get(parsed.setter)
      if (!setter) {
        entries.push(base(f.path, s, effective.text, yf, 'ignored', unknownSetter(parsed.setter, automation.namespace, setters), parsed.setter))
        continue
      }
      const next = setter.value
      const status: MarkerStatus = next === s.value ? 'current' : 'update'
      const entry = base(f.path, s, effective.text, yf, status, undefined, parsed.setter)
      entry.policy = `${setter.policy.namespace}/${setter.policy.name}`
      entry.next = next
      entry.warnings = fieldWarnings(s, setter)
      if (status === 'update') entry.warnings.push(...changeWarnings(s, setter))
      // kyaml unwraps a single-document List: its items lose their file and Flux writes them,
      // all of them, to new files at kyaml's default paths; the List file itself stays.
      if (listDocs.has(s.doc)) entry.warnings.push({ code: 'FIA323', message: 'a kind: List file: Flux unwraps its items and writes each of them to a new file, <namespace>/<kind>_<name>.yaml, not back here' })
      entries.push(entry)
      trace.sets.push({ site: s, next })
      if (status === 'update') trace.writes.push({ site: s, setter, next })
    }
    // Marker-like comments that no scalar value owns: above keys handled above; the rest
    // sit after collections, or stand apart from any node.
    for (const c of yf.comments) {
      if (attached.has(c.line) || !mentionsImagePolicy(c.text)) continue
      const onCollection = yf.collectionLineComments.has(c.line)
      entries.push({
        file: f.path,
        line: c.line,
        column: c.column,
        marker: c.text,
        status: 'ignored',
        reason: onCollection
          ? { code: 'FIA316', message: 'the comment follows a mapping or sequence, not a single value; a marker can only replace a scalar' }
          : { code: 'FIA317', message: 'the comment is attached to no value (a blank line, or the end of a block, separates it)' },
        warnings: [],
      })
    }
  }
  for (const s of repo.skipped) {
    for (const m of rawMarkers(s.text)) entries.push({ file: s.path, ...m, status: 'ignored', reason: { code: s.code, message: s.why }, warnings: [] })
  }
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column))
  return { entries, files, setters }
}

function base(file: string, s: ScalarSite, marker: string, yf: YamlFile, status: MarkerStatus, reason?: Reason, setter?: string): MarkerEntry {
  const e: MarkerEntry = { file, line: s.line, column: s.column, object: yf.docs[s.doc]?.id as ObjectId, field: s.path, marker, current: s.value, status, warnings: [] }
  if (setter !== undefined) e.setter = setter
  if (reason) e.reason = reason
  return e
}

function keyNearMiss(file: string, s: ScalarSite, onLine: boolean): MarkerEntry {
  const c = (onLine ? s.lineComment : s.headComment) as NonNullable<ScalarSite['lineComment']>
  return {
    file,
    line: c.line,
    column: c.column,
    field: s.path,
    marker: c.text,
    status: 'ignored',
    reason: onLine
      ? { code: 'FIA307', message: `the marker is on the line of the key "${s.value}" and its value is not; yaml.v3 gives the comment to the key, and keys are never set. Put the marker after the value, on its line` }
      : { code: 'FIA308', message: `the marker is above the key "${s.value}"; a head comment belongs to the key, and keys are never set. Put the marker after the value, on its line` },
    warnings: [],
  }
}

function unknownSetter(name: string, namespace: string, setters: SetterSet): Reason {
  const parts = name.split(':')
  if (parts.length === 1) {
    const hint = name.includes('/') ? `; write "${name.replace('/', ':')}" (":" separates namespace and name)` : `; write "${namespace}:${name}"`
    return { code: 'FIA301', message: `the setter "${name}" has no namespace part; every setter starts with "<automation namespace>:"${hint}` }
  }
  if (name !== name.trim()) return { code: 'FIA301', message: `the setter "${name}" has white space around it; Flux compares setter names exactly` }
  const [ns, policy, suffix] = parts as [string, string, string | undefined]
  if (ns !== namespace) {
    return { code: 'FIA302', message: `the marker names namespace "${ns}" but the automation lists policies in its own namespace "${namespace}" only` }
  }
  if (parts.length > 3 || (suffix !== undefined && !['tag', 'name', 'digest'].includes(suffix))) {
    return { code: 'FIA303', message: `unknown setter suffix ":${parts.slice(2).join(':')}"; the suffixes are :tag, :name and :digest (or none for the full image)` }
  }
  const why = setters.unusable.get(policy)
  if (why === 'selector') return { code: 'FIA305', message: `ImagePolicy ${namespace}/${policy} exists but the automation's policySelector excludes it` }
  if (why === 'no-latest-ref') return { code: 'FIA306', message: `ImagePolicy ${namespace}/${policy} has not selected a tag yet: its status has no latestRef (nor, on Flux ≤ 2.5, latestImage)` }
  return { code: 'FIA304', message: `there is no ImagePolicy ${namespace}/${policy}` }
}

function fieldWarnings(s: ScalarSite, setter: Setter): Reason[] {
  const out: Reason[] = []
  const key = s.key ?? ''
  if (setter.kind === 'image' && TAG_FIELD.test(key)) {
    out.push({ code: 'FIA330', message: `the full-image setter writes "${setter.value}" into ${key}; use the ":tag" setter for a tag field` })
  }
  if (setter.kind === 'tag' && IMAGE_FIELD.test(key)) {
    out.push({ code: 'FIA331', message: `the ":tag" setter writes only "${setter.value}" into ${key}, dropping the image name; use the full setter "${setter.policy.namespace}:${setter.policy.name}"` })
  }
  if (setter.kind === 'digest' && !setter.ref.digest) {
    out.push({ code: 'FIA332', message: `ImagePolicy ${setter.policy.namespace}/${setter.policy.name} reflects no digest, so Flux writes an empty string here; set spec.digestReflectionPolicy: IfNotPresent (or Always)` })
  }
  return out
}

/**
 * What a pending write changes beyond a newer tag: another registry or repository (the
 * policy scans a different image than the field holds), or a version going down or across
 * a major.
 */
function changeWarnings(s: ScalarSite, setter: Setter): Reason[] {
  const out: Reason[] = []
  const current = s.value
  const now = splitImage(current)
  const next = splitImage(setter.value)
  // Only a value that reads as an image name; a full setter on a tag field is FIA330's.
  const isName = (setter.kind === 'image' && !TAG_FIELD.test(s.key ?? '')) || setter.kind === 'name'
  if (isName && parseImage(now.name).ok && canonicalName(now.name) !== canonicalName(next.name)) {
    out.push({ code: 'FIA334', message: `Flux would rewrite the image name ${now.name} to ${next.name}: ImagePolicy ${setter.policy.namespace}/${setter.policy.name} tracks another ${registryOf(now.name) === registryOf(next.name) ? 'repository' : 'registry'}` })
  }
  const tags: [string | undefined, string | undefined] = setter.kind === 'tag' ? [current, setter.value] : setter.kind === 'image' ? [now.tag, next.tag] : [undefined, undefined]
  if (tags[0] !== undefined && tags[1] !== undefined) {
    const a = newVersion(tags[0])
    const b = newVersion(tags[1])
    if (a.ok && b.ok) {
      if (b.version.lessThan(a.version)) out.push({ code: 'FIA335', message: `a downgrade: ${tags[0]} → ${tags[1]}` })
      else if (String(b.version.major) !== String(a.version.major)) out.push({ code: 'FIA335', message: `a major version jump: ${tags[0]} → ${tags[1]}` })
    }
  }
  return out
}

// name[:tag][@digest], the tag's colon being the last one after the last slash.
function splitImage(ref: string): { name: string; tag?: string } {
  const noDigest = ref.split('@')[0] as string
  const colon = noDigest.lastIndexOf(':')
  if (colon > noDigest.lastIndexOf('/')) return { name: noDigest.slice(0, colon), tag: noDigest.slice(colon + 1) }
  return { name: noDigest }
}

// Docker Hub names compared as Flux reads them: nginx, docker.io/library/nginx and
// index.docker.io/library/nginx are one image.
function canonicalName(name: string): string {
  const parsed = parseImage(name)
  return parsed.ok ? parsed.name.canonical : name
}

function registryOf(name: string): string {
  const parsed = parseImage(name)
  return parsed.ok ? parsed.name.registry : name
}

/** Lines that carry something marker-like in a file Flux will not read or cannot parse. */
function rawMarkers(text: string): { line: number; column: number; marker: string }[] {
  const out: { line: number; column: number; marker: string }[] = []
  text.split('\n').forEach((l, i) => {
    const at = l.search(MARKER_LIKE)
    if (at < 0) return
    const hash = l.lastIndexOf('#', at)
    out.push({ line: i + 1, column: (hash >= 0 ? hash : at) + 1, marker: l.slice(hash >= 0 ? hash : at).replace(/\r$/, '').trim() })
  })
  return out
}
