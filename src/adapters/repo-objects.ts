// Reads the Flux image objects of a directory tree for lint: every *.yaml / *.yml file (any
// case, .git and node_modules skipped) that mentions the image API is parsed, and each
// ImageRepository, ImagePolicy and ImageUpdateAutomation document is kept with its file and
// the line of its first key. Reads only; symlinks are not followed out of the tree.

import { type Dirent, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import { isMap, LineCounter, parseAllDocuments } from 'yaml'
import { compareGoStrings } from '../core/go/strings.js'
import { IMAGE_KINDS, type ImageKind, type LintObject, type UnparsableFile } from '../core/lint/types.js'
import { CodedError } from '../core/tool-error.js'

const API_GROUP = 'image.toolkit.fluxcd.io'
const SKIP_DIRS = new Set(['.git', 'node_modules'])

export interface RepositoryObjects {
  root: string
  objects: LintObject[]
  unparsable: UnparsableFile[]
  /** Texts of the files that hold objects (or fail to parse), by relative path. */
  texts: Map<string, string>
  filesRead: number
}

export function readRepositoryObjects(path: string, defaultNamespace: string): RepositoryObjects {
  let root: string
  let isDir: boolean
  try {
    root = realpathSync(path)
    isDir = statSync(root).isDirectory()
  } catch {
    throw new CodedError('ERR_FILE_READ', `cannot read ${path}: no such file or directory`)
  }
  const out: RepositoryObjects = { root: isDir ? root : join(root, '..'), objects: [], unparsable: [], texts: new Map(), filesRead: 0 }
  const files: string[] = []
  if (isDir) walk(root, files)
  else files.push(root)
  for (const file of files) {
    let buf: Buffer
    try {
      buf = readFileSync(file)
    } catch {
      continue
    }
    out.filesRead++
    if (!buf.includes(API_GROUP)) continue
    const text = buf.toString('utf8')
    const rel = relative(out.root, file).split(sep).join('/')
    readObjects(rel, text, defaultNamespace, out)
  }
  return out
}

function walk(dir: string, files: string[]): void {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  entries.sort((a, b) => compareGoStrings(a.name, b.name))
  for (const e of entries) {
    const p = join(dir, e.name)
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, files)
    } else if (e.isFile() && /\.ya?ml$/i.test(basename(p))) files.push(p)
  }
}

function readObjects(file: string, text: string, defaultNamespace: string, out: RepositoryObjects): void {
  const lineCounter = new LineCounter()
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false })
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const err = doc.errors[0]
    if (err) {
      out.unparsable.push({ file, ...(err.linePos?.[0]?.line ? { line: err.linePos[0].line } : {}), message: err.message.split('\n')[0] ?? err.message })
      out.texts.set(file, text)
      return
    }
    if (!isMap(doc.contents)) continue
    const o = doc.toJS() as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; labels?: Record<string, unknown> }; spec?: unknown }
    if (typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith(API_GROUP + '/')) continue
    if (!IMAGE_KINDS.includes(o.kind as ImageKind)) continue
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
