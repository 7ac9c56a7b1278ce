// Reads a Git checkout the way image-automation-controller's ScreeningLocalReader does:
// update.path joined safely under the root (filepath-securejoin: "..", absolute paths and
// symlinks cannot leave it), a recursive lstat walk in lexical order that does not follow
// directory symlinks, names ending in .yaml/.yml (case-sensitive) or exactly Kustomization,
// and only files whose bytes contain "$imagepolicy" with its double quotes.
//
// Beyond Flux, it notes the files that carry something marker-like but that Flux will not read
// (other names, outside update.path, under a directory symlink, without the exact token), so
// that trace can report them; documentation that shows a marker (README.md) is no near
// miss. It reads, and never writes; it never reads outside the root.

import { closeSync, type Dirent, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, type Stats } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path'
import { compareGoStrings } from '../core/go/strings.js'
import { MARKER_LIKE } from '../core/markers/marker.js'
import type { RepoSnapshot, ScannedFile, SkippedFile } from '../core/markers/trace.js'
import { CodedError } from '../core/tool-error.js'

const TOKEN = Buffer.from('"$imagepolicy"')
const MAX_SYMLINKS = 255
// Files that show markers to people, not to Flux: never a near miss.
const DOCUMENTATION = /\.(md|markdown|txt|rst|adoc)$/i

export interface RepoScan extends RepoSnapshot {
  /** The directory file paths are relative to (update.path, or its directory for a file). */
  base: string
  /** update.path resolved under the root. */
  updatePath: string
  /** Flux's own run error for this tree (a missing update.path, an unreadable file). */
  runError?: string
}

/** filepath-securejoin's SecureJoin: `unsafe` resolved under `root` as if root were "/". */
export function secureJoin(root: string, unsafe: string): string {
  let resolved = ''
  let pending = unsafe.split(/[\\/]+/)
  let links = 0
  while (pending.length > 0) {
    const part = pending.shift() as string
    if (part === '' || part === '.') continue
    if (part === '..') {
      resolved = dirname(resolved === '' ? '/' : resolved)
      if (resolved === '/' || resolved === '.') resolved = ''
      continue
    }
    const candidate = resolved + '/' + part
    let st: Stats | undefined
    try {
      st = lstatSync(join(root, candidate))
    } catch {
      st = undefined
    }
    if (st?.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) throw new CodedError('ERR_USAGE', `too many symlinks resolving ${unsafe} under ${root}`)
      const target = readlinkSync(join(root, candidate))
      if (isAbsolute(target)) resolved = ''
      pending = [...target.split(/[\\/]+/), ...pending]
      continue
    }
    resolved = candidate
  }
  return join(root, resolved)
}

function isEligibleName(name: string): boolean {
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? name.slice(dot) : ''
  return ext === '.yaml' || ext === '.yml' || name === 'Kustomization'
}

function within(root: string, p: string): boolean {
  const rel = relative(root, p)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

function markerLike(buf: Buffer): boolean {
  return (buf.includes('magepolicy') || buf.includes('magePolicy') || buf.includes('MAGEPOLICY')) && MARKER_LIKE.test(buf.toString('utf8'))
}

export interface ScanOptions {
  /** Also note marked files elsewhere in the checkout (default true). */
  outside?: boolean
  /** Called with every file read under update.path, its path relative to the scan's base and its bytes (valid during the call only). */
  onFile?: (path: string, bytes: Buffer) => void
}

/** Scans `root` for what the automation with update.path `updatePath` would read. */
export function scanRepository(root: string, updatePath: string | undefined, opts: ScanOptions = {}): RepoScan {
  const outside = opts.outside ?? true
  const onFile = opts.onFile
  let rootReal: string
  try {
    rootReal = realpathSync(root)
  } catch {
    throw new CodedError('ERR_FILE_READ', `cannot read ${root}: no such directory`)
  }
  const target = secureJoin(rootReal, updatePath ?? '')
  const scan: RepoScan = { files: [], skipped: [], base: target, updatePath: target }
  let targetStat: Stats
  try {
    targetStat = lstatSync(target)
  } catch {
    scan.runError = `failed to apply policies: walking path for files: lstat ${target}: no such file or directory`
    scan.base = rootReal
    if (outside) walk(rootReal, rootReal, scan, { outside: true, target, root: rootReal })
    return scan
  }
  if (!targetStat.isDirectory()) {
    scan.base = dirname(target)
    visitFile(target, targetStat.isSymbolicLink(), scan, { outside: false, target, root: rootReal, onFile })
  } else {
    walk(target, target, scan, { outside: false, target, root: rootReal, onFile })
  }
  // Files elsewhere in the checkout that carry markers Flux will never see.
  if (outside && target !== rootReal) walk(rootReal, rootReal, scan, { outside: true, target, root: rootReal })
  return scan
}

interface WalkMode {
  /** Scanning outside update.path, only for near misses. */
  outside: boolean
  target: string
  /** The checkout root (real path); nothing outside it is read. */
  root: string
  onFile?: ScanOptions['onFile']
}

// Go's filepath.Walk visits names in byte order and does not follow directory symlinks.
// Directory entries carry their type, so a regular file costs no lstat.
function walk(dir: string, root: string, scan: RepoScan, mode: WalkMode): void {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return
  }
  entries.sort((a, b) => compareGoStrings(a.name, b.name))
  for (const e of entries) {
    const p = join(dir, e.name)
    if (mode.outside && (p === mode.target || e.name === '.git')) continue
    if (e.isDirectory()) walk(p, root, scan, mode)
    else visitFile(p, e.isSymbolicLink(), scan, mode)
  }
}

// One buffer, grown as needed, serves every read: most files are screened out unread as text.
let shared = Buffer.allocUnsafe(1 << 16)

function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r')
  try {
    let length = 0
    for (;;) {
      if (length === shared.length) {
        const bigger = Buffer.allocUnsafe(shared.length * 2)
        shared.copy(bigger)
        shared = bigger
      }
      const n = readSync(fd, shared, length, shared.length - length, null)
      if (n === 0) return shared.subarray(0, length)
      length += n
    }
  } finally {
    closeSync(fd)
  }
}

function visitFile(p: string, isSymlink: boolean, scan: RepoScan, mode: WalkMode): void {
  const rel = (): string => relative(scan.base, p).split(sep).join('/')
  const eligible = isEligibleName(basename(p))
  if (!eligible && DOCUMENTATION.test(p)) return
  if (isSymlink) {
    let real: string
    try {
      real = realpathSync(p)
    } catch {
      return // dangling: Flux skips it without a word
    }
    // Flux would read through the link in its own clone; we never read outside the root.
    if (!within(mode.root, real)) return
    let rst: Stats
    try {
      rst = lstatSync(real)
    } catch {
      return
    }
    if (rst.isDirectory()) {
      if (!mode.outside) noteSymlinkedDirectory(p, real, rel(), scan, mode.root)
      return
    }
  }
  let buf: Buffer
  try {
    buf = readWhole(p)
  } catch (e) {
    if (!mode.outside && eligible && !isSymlink) scan.runError ??= `failed to apply policies: reading YAML file: ${(e as Error).message}`
    return
  }
  const token = buf.includes(TOKEN)
  if (!mode.outside) mode.onFile?.(rel(), buf)
  if (mode.outside) {
    if (token || markerLike(buf)) scan.skipped.push(skipped(rel(), buf, 'FIA320', `the file is outside update.path (${relative(scan.base, mode.target) || '.'}), which is the only directory Flux scans`))
    return
  }
  if (!eligible) {
    if (token || markerLike(buf)) scan.skipped.push(skipped(rel(), buf, 'FIA321', `Flux reads only files named *.yaml, *.yml (lower case) or Kustomization; "${basename(p)}" is skipped`))
    return
  }
  if (!token) {
    if (markerLike(buf)) scan.skipped.push(skipped(rel(), buf, 'FIA325', 'the file never contains "$imagepolicy" with its double quotes, so Flux does not even parse it'))
    return
  }
  const file: ScannedFile = { path: rel(), text: buf.toString('utf8') }
  scan.files.push(file)
}

function noteSymlinkedDirectory(link: string, real: string, rel: string, scan: RepoScan, root: string): void {
  const inner: RepoScan = { files: [], skipped: [], base: real, updatePath: real }
  walk(real, real, inner, { outside: false, target: real, root })
  for (const f of inner.files) {
    scan.skipped.push({ path: `${rel}/${f.path}`, text: f.text, code: 'FIA324', why: `${basename(link)} is a symlink to a directory, and Flux's walk does not follow directory symlinks` })
  }
}

function skipped(path: string, buf: Buffer, code: SkippedFile['code'], why: string): SkippedFile {
  return { path, text: buf.toString('utf8'), code, why }
}
