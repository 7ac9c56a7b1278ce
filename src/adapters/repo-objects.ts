// The Flux image objects of a directory tree, for lint. The marker scan's walk hands every
// file it reads to `collect`, so the tree is read once: each *.yaml / *.yml file (any case)
// that mentions the image API is parsed, and every ImageRepository, ImagePolicy and
// ImageUpdateAutomation document is kept with its file and the line of its first key.

import { realpathSync, statSync } from 'node:fs'
import { basename, dirname, posix } from 'node:path'
import { type Document, isMap, LineCounter } from 'yaml'
import { type GitRepositoryRef, IMAGE_KINDS, type Layout, type ImageKind, type LintObject, type UnparsableFile } from '../core/lint/types.js'
import { describeIssue, type FieldIssue, fieldIssues } from '../core/objects/schema.js'
import { CodedError } from '../core/tool-error.js'
import { toPlain, yamlDocuments } from '../core/yaml/read.js'

const API_GROUP = 'image.toolkit.fluxcd.io'
const SOURCE_GROUP = 'source.toolkit.fluxcd.io'
const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io'
const KUSTOMIZATION_FILE = /^(kustomization\.ya?ml|Kustomization)$/

export interface RepositoryObjects {
  objects: LintObject[]
  unparsable: UnparsableFile[]
  /** Texts of the files that hold objects (or fail to parse), by relative path. */
  texts: Map<string, string>
  /** The GitRepositories of the tree: what each reconciles. */
  gitRepositories: GitRepositoryRef[]
  /** The directories Flux Kustomizations apply, and kustomize overlays with the directories they build on. */
  layout: Layout
  filesRead: number
}

/** The directory lint scans, and the file within it when PATH names one. */
export function lintTarget(path: string): { root: string; file?: string } {
  try {
    const real = realpathSync(path)
    return statSync(real).isDirectory() ? { root: real } : { root: dirname(real), file: basename(real) }
  } catch {
    throw new CodedError('ERR_FILE_READ', `cannot read ${path}: no such file or directory`)
  }
}

/** `only`: parse just the files that contain `screen` and whose text matches `pattern` (cheap checks before the YAML parser). */
export function objectCollector(defaultNamespace: string, only?: { screen: string; pattern: RegExp }): { read: RepositoryObjects; collect: (path: string, bytes: Buffer) => void } {
  const read: RepositoryObjects = { objects: [], unparsable: [], texts: new Map(), gitRepositories: [], layout: { kustomizationPaths: [], overlays: [] }, filesRead: 0 }
  const collect = (path: string, bytes: Buffer): void => {
    read.filesRead++
    if (only && !(bytes.includes(only.screen) && only.pattern.test(bytes.toString('latin1')))) return
    if (/\.ya?ml$/i.test(path) && (bytes.includes(API_GROUP) || bytes.includes(SOURCE_GROUP) || bytes.includes(KUSTOMIZE_GROUP))) readObjects(path, bytes.toString('utf8'), defaultNamespace, read)
    if (KUSTOMIZATION_FILE.test(basename(path))) readOverlay(path, bytes.toString('utf8'), read)
  }
  return { read, collect }
}

function readObjects(file: string, text: string, defaultNamespace: string, out: RepositoryObjects): void {
  const lineCounter = new LineCounter()
  for (const doc of yamlDocuments(text, { source: file, lineCounter, uniqueKeys: false })) {
    const err = doc.errors[0]
    if (err) {
      out.unparsable.push({ file, ...(err.linePos?.[0]?.line ? { line: err.linePos[0].line } : {}), message: err.message.split('\n')[0] ?? err.message })
      out.texts.set(file, text)
      return
    }
    if (!isMap(doc.contents)) continue
    const o = toPlain(doc, file) as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; labels?: Record<string, unknown> }; spec?: unknown }
    if (typeof o.apiVersion === 'string' && o.apiVersion.startsWith(SOURCE_GROUP + '/') && o.kind === 'GitRepository') {
      const spec = (o.spec ?? {}) as { url?: unknown; ref?: { branch?: unknown } }
      out.gitRepositories.push({
        file,
        line: lineCounter.linePos(doc.contents.range[0]).line,
        namespace: typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : defaultNamespace,
        name: String(o.metadata?.name ?? ''),
        ...(typeof spec.url === 'string' ? { url: spec.url } : {}),
        ...(typeof spec.ref?.branch === 'string' ? { branch: spec.ref.branch } : {}),
      })
      continue
    }
    if (typeof o.apiVersion === 'string' && o.apiVersion.startsWith(KUSTOMIZE_GROUP + '/') && o.kind === 'Kustomization') {
      const path = (o.spec as { path?: unknown } | undefined)?.path
      if (typeof path === 'string') out.layout.kustomizationPaths.push(cleanPath(path))
      continue
    }
    if (typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith(API_GROUP + '/')) continue
    if (typeof o.kind !== 'string' && o.kind !== undefined) {
      out.unparsable.push({ code: 'FIA509', file, line: fieldLine(doc, lineCounter, ['kind']), message: `kind must be a string, not ${Array.isArray(o.kind) ? 'a list' : typeof o.kind}` })
      out.texts.set(file, text)
      continue
    }
    if (!IMAGE_KINDS.includes(o.kind as ImageKind)) continue
    // A field of the wrong type: the API server refuses the manifest, and the rules never see it.
    const issues = fieldIssues(o)
    if (issues.length > 0) {
      const first = issues[0] as FieldIssue
      out.unparsable.push({ code: 'FIA509', file, line: fieldLine(doc, lineCounter, first.path), message: `${o.kind} ${String(o.metadata?.name ?? '')}: ${issues.slice(0, 3).map(describeIssue).join('; ')}${issues.length > 3 ? `; and ${issues.length - 3} more` : ''}` })
      out.texts.set(file, text)
      continue
    }
    const labels: Record<string, string> = {}
    for (const [k, v] of Object.entries(o.metadata?.labels ?? {})) labels[k] = String(v)
    out.objects.push({
      file,
      line: lineCounter.linePos(doc.contents.range[0]).line,
      apiVersion: o.apiVersion,
      kind: o.kind as ImageKind,
      name: String(o.metadata?.name ?? ''),
      namespace: typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : defaultNamespace,
      labels,
      spec: o.spec !== null && typeof o.spec === 'object' ? (o.spec as Record<string, unknown>) : {},
    })
    out.texts.set(file, text)
  }
}

/** The line of the node at `path` in a parsed document (the document's own line when absent). */
export function fieldLine(doc: Document.Parsed, lineCounter: LineCounter, path: readonly (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined
    if (node?.range) return lineCounter.linePos(node.range[0]).line
  }
  return lineCounter.linePos(doc.contents?.range[0] ?? 0).line
}


/** A path relative to the tree, cleaned ("./apps/" → "apps", "." → ""). */
function cleanPath(p: string): string {
  const c = posix.normalize('/' + p).slice(1).replace(/\/+$/, '')
  return c
}

// A kustomization file's local directories (resources, bases, components): what it builds on.
function readOverlay(file: string, text: string, out: RepositoryObjects): void {
  // Not an object of Flux's: one that breaks the YAML limits is simply no overlay.
  let doc: unknown
  try {
    const first = yamlDocuments(text, { source: file, uniqueKeys: false }).next().value
    if (!first || first.errors.length > 0) return
    doc = toPlain(first, file)
  } catch {
    return
  }
  if (doc === null || typeof doc !== 'object') return
  const d = doc as { resources?: unknown; bases?: unknown; components?: unknown }
  const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file)
  const refs = [d.resources, d.bases, d.components]
    .flatMap((l) => (Array.isArray(l) ? l : []))
    .filter((r): r is string => typeof r === 'string' && !/^[a-z]+:\/\/|^github\.com\/|\.ya?ml$|\.json$/i.test(r))
    .map((r) => cleanPath(posix.join(dir, r)))
  if (refs.length > 0) out.layout.overlays.push({ dir, bases: refs })
}
