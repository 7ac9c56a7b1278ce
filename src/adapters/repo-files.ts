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
//
// It opens regular files only, and never waits on one: a FIFO, socket or device is skipped by
// its directory entry's type, and a file is opened O_NONBLOCK|O_NOFOLLOW and fstat'ed before
// it is read, so one swapped for a FIFO or a symlink after the listing is not read either. It
// never enters .git: Flux's clone keeps no YAML there, and a local one can hold gigabytes of
// packs. It reads a file Flux reads up to MAX_FLUX_FILE_BYTES and any other up to
// MAX_SCREEN_BYTES. What it does not read is reported (core/markers/unread.ts), with Flux's own
// run error where Flux's walk would fail on it.

import { closeSync, constants, type Dirent, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, type Stats } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path'
import { compareGoStrings } from '../core/go/strings.js'
import { MARKER_LIKE } from '../core/markers/marker.js'
import type { RepoSnapshot, ScannedFile, SkippedFile } from '../core/markers/trace.js'
import { MAX_FLUX_FILE_BYTES, MAX_SCREEN_BYTES, type UnreadEntry } from '../core/markers/unread.js'
import { CodedError } from '../core/tool-error.js'

const TOKEN = Buffer.from('"$imagepolicy"')
const MAX_SYMLINKS = 255
// Files that show markers to people, not to Flux: never a near miss.
const DOCUMENTATION = /\.(md|markdown|txt|rst|adoc)$/i
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW

// Go's texts for the errno values a walk meets (syscall.Errno.Error), for Flux's messages.
const GO_ERRNO: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error',
  ENXIO: 'no such device or address',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in system',
  ENAMETOOLONG: 'file name too long',
}

function goErrno(e: unknown): string {
  const err = e as NodeJS.ErrnoException
  return (err.code !== undefined ? GO_ERRNO[err.code] : undefined) ?? err.message
}

/** Go's os.IsNotExist, as filepath-securejoin widens it: the path, or a parent, is not there. */
function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

export interface RepoScan extends RepoSnapshot {
  /** The checkout root, as a real path. */
  root: string
  /** The directory file paths are relative to (update.path, or its directory for a file). */
  base: string
  /** update.path resolved under the root. */
  updatePath: string
  /** Flux's own run error for this tree (a missing update.path, an unreadable directory). */
  runError?: string
  /** What the walk did not read, and why. */
  unread: UnreadEntry[]
}

/** filepath-securejoin's error, in its words, and where it stopped. */
export class SecureJoinError extends Error {
  constructor(
    message: string,
    /** The path it could not lstat, and why; none for a symlink loop. */
    readonly unreadable?: { path: string; detail: string },
  ) {
    super(message)
  }
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
    // securejoin names the path root + "/" + the cleaned "/a/b", hence its double slash.
    let st: Stats | undefined
    try {
      st = lstatSync(join(root, candidate))
    } catch (e) {
      // A missing component counts as a plain one; any other error ends the join.
      if (!isMissing(e)) throw new SecureJoinError(`lstat ${root}/${candidate}: ${goErrno(e)}`, { path: join(root, candidate), detail: goErrno(e) })
      st = undefined
    }
    if (st?.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) throw new SecureJoinError(`SecureJoin ${root}/${unsafe}: ${GO_ERRNO.ELOOP}`)
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
  /** Called with every file the walk reads, inside update.path or not, its path relative to the root. */
  onAnyFile?: (path: string, bytes: Buffer) => void
}

/** Scans `root` for what the automation with update.path `updatePath` would read. */
export function scanRepository(root: string, updatePath: string | undefined, opts: ScanOptions = {}): RepoScan {
  const outside = opts.outside ?? true
  let rootReal: string
  try {
    rootReal = realpathSync(root)
  } catch {
    throw new CodedError('ERR_FILE_READ', `cannot read ${root}: no such directory`)
  }
  const scan: RepoScan = { root: rootReal, files: [], skipped: [], unread: [], base: rootReal, updatePath: rootReal }
  const around = (target: string, targetIsFile = false): RepoScan => {
    if (outside) walk(rootReal, scan, { outside: true, target, root: rootReal, ...(updatePath ? { updatePath } : {}), targetIsFile, ...(opts.onAnyFile ? { onAnyFile: opts.onAnyFile } : {}) })
    return scan
  }
  let target: string
  try {
    target = secureJoin(rootReal, updatePath ?? '')
  } catch (e) {
    if (!(e instanceof SecureJoinError)) throw e
    scan.runError = `failed to apply policies: failed to secure join manifest path: ${e.message}`
    if (e.unreadable !== undefined) scan.unread.push({ path: relTo(scan, e.unreadable.path), reason: 'unreadable', detail: e.unreadable.detail, fluxReads: true, fluxError: scan.runError })
    return around(join(rootReal, join('/', updatePath ?? '')))
  }
  scan.base = scan.updatePath = target
  let targetStat: Stats
  try {
    targetStat = lstatSync(target)
  } catch (e) {
    // filepath.Walk lstats its root first.
    scan.runError = `failed to apply policies: walking path for files: lstat ${target}: ${goErrno(e)}`
    scan.base = rootReal
    if (!isMissing(e)) scan.unread.push({ path: relTo(scan, target), reason: 'unreadable', detail: goErrno(e), fluxReads: true, fluxError: scan.runError })
    return around(target)
  }
  const mode: WalkMode = { outside: false, target, root: rootReal, ...(opts.onFile ? { onFile: opts.onFile } : {}), ...(opts.onAnyFile ? { onAnyFile: opts.onAnyFile } : {}) }
  // An update.path inside .git reads nothing: Flux's clone keeps no YAML there.
  if (inGitDirectory(rootReal, target)) return around(target)
  if (targetStat.isDirectory()) walk(target, scan, mode)
  else {
    scan.base = dirname(target)
    visitFile(target, targetStat, scan, mode)
  }
  // Files elsewhere in the checkout that carry markers Flux will never see.
  return target === rootReal ? scan : around(target, !targetStat.isDirectory())
}

interface WalkMode {
  /** Scanning outside update.path, only for near misses. */
  outside: boolean
  target: string
  /** The checkout root (real path); nothing outside it is read. */
  root: string
  /** spec.update.path as the automation writes it, for messages. */
  updatePath?: string
  /** update.path names a file, not a directory. */
  targetIsFile?: boolean
  /** Walking a symlinked directory's target, whose own directory symlinks are not noted again. */
  viaLink?: boolean
  onFile?: ScanOptions['onFile']
  onAnyFile?: ScanOptions['onAnyFile']
}

function relTo(scan: RepoScan, p: string): string {
  return relative(scan.base, p).split(sep).join('/') || '.'
}

function inGitDirectory(root: string, p: string): boolean {
  return relative(root, p).split(sep).includes('.git')
}

/** "a FIFO" for a FIFO, socket or device; undefined for a file, directory or symlink. */
function specialKind(t: Dirent | Stats): string | undefined {
  if (t.isFIFO()) return 'a FIFO'
  if (t.isSocket()) return 'a socket'
  if (t.isCharacterDevice()) return 'a character device'
  if (t.isBlockDevice()) return 'a block device'
  return undefined
}

// Go's filepath.Walk visits names in byte order and does not follow directory symlinks.
// Directory entries carry their type, so a regular file costs no lstat.
function walk(dir: string, scan: RepoScan, mode: WalkMode): void {
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch (e) {
    noteUnreadable(dir, e, true, false, scan, mode)
    return
  }
  entries.sort((a, b) => compareGoStrings(a.name, b.name))
  for (const e of entries) {
    if (e.name === '.git') continue
    const p = join(dir, e.name)
    if (mode.outside && p === mode.target) continue
    if (e.isDirectory()) walk(p, scan, mode)
    else visitFile(p, e, scan, mode)
  }
}

// Flux's walk lists a directory (open, readdir), lstats every entry before it looks at its
// name, and reads a file with a name it reads; its run error names the step that failed.
function noteUnreadable(p: string, e: unknown, isDirectory: boolean, eligible: boolean, scan: RepoScan, mode: WalkMode): void {
  // Gone, or swapped for a symlink (O_NOFOLLOW), since the listing: nothing to read, nothing to say.
  if (isMissing(e) || (e as NodeJS.ErrnoException).code === 'ELOOP') return
  let step = `open ${p}: ${goErrno(e)}`
  let walkFails = isDirectory
  try {
    lstatSync(p)
  } catch (le) {
    if (isMissing(le)) return
    // Listed but not searchable: Flux's lstat fails on every entry, whatever its name.
    step = `lstat ${p}: ${goErrno(le)}`
    walkFails = true
  }
  const entry: UnreadEntry = { path: relTo(scan, p), reason: 'unreadable', detail: goErrno(e), fluxReads: !mode.outside && (walkFails || eligible) }
  if (entry.fluxReads) {
    entry.fluxError = `failed to apply policies: ${walkFails ? 'walking path for files' : 'reading YAML file'}: ${step}`
    scan.runError ??= entry.fluxError
  }
  scan.unread.push(entry)
}

// One buffer, grown as needed, serves every read: most files are screened out unread as text.
let shared = Buffer.allocUnsafe(1 << 16)

type FileRead = { bytes: Buffer } | { special: string } | { size: number }

/** A regular file's bytes, or what it is instead, or its size when it is over `limit`. */
function readRegular(path: string, limit: number): FileRead {
  const fd = openSync(path, OPEN_FLAGS)
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) return { special: specialKind(st) ?? 'not a regular file' }
    if (st.size > limit) return { size: st.size }
    // The size fstat gives is what is read: no read past it, and no extra read to find the end.
    if (shared.length < st.size) shared = Buffer.allocUnsafe(Math.max(st.size, Math.min(shared.length * 2, limit)))
    let length = 0
    while (length < st.size) {
      const n = readSync(fd, shared, length, st.size - length, null)
      if (n === 0) break
      length += n
    }
    return { bytes: shared.subarray(0, length) }
  } finally {
    closeSync(fd)
  }
}

function visitFile(p: string, type: Dirent | Stats, scan: RepoScan, mode: WalkMode): void {
  const rel = (): string => relTo(scan, p)
  const eligible = isEligibleName(basename(p))
  if (!eligible && DOCUMENTATION.test(p)) return
  const fluxReads = !mode.outside && eligible
  const special = specialKind(type)
  if (special !== undefined) {
    scan.unread.push({ path: rel(), reason: 'special', detail: special, fluxReads })
    return
  }
  let from = p
  if (type.isSymbolicLink()) {
    let real: string
    try {
      real = realpathSync(p)
    } catch {
      return // dangling, or a loop: Flux skips it without a word
    }
    // Flux would read through the link in its own clone; we never read outside the root, nor in .git.
    if (!within(mode.root, real) || inGitDirectory(mode.root, real)) return
    let rst: Stats
    try {
      rst = lstatSync(real)
    } catch {
      return
    }
    if (rst.isDirectory()) {
      if (!mode.outside && !mode.viaLink) noteSymlinkedDirectory(p, real, rel(), scan, mode.root)
      return
    }
    // A link to a FIFO or a device: the entry itself is reported where it lies.
    if (!rst.isFile()) return
    from = real
  }
  let read: FileRead
  try {
    read = readRegular(from, fluxReads ? MAX_FLUX_FILE_BYTES : MAX_SCREEN_BYTES)
  } catch (e) {
    // Flux skips a symlink it cannot read; its target is reported where it lies.
    if (!type.isSymbolicLink()) noteUnreadable(p, e, false, eligible, scan, mode)
    return
  }
  if ('special' in read) {
    scan.unread.push({ path: rel(), reason: 'special', detail: read.special, fluxReads })
    return
  }
  if ('size' in read) {
    // Over the bound: a file Flux reads is reported; one read only for near misses is not screened.
    if (fluxReads) scan.unread.push({ path: rel(), reason: 'too-large', detail: String(read.size), fluxReads })
    return
  }
  const buf = read.bytes
  const token = buf.includes(TOKEN)
  if (!mode.outside) mode.onFile?.(rel(), buf)
  mode.onAnyFile?.(relative(mode.root, p).split(sep).join('/'), buf)
  if (mode.outside) {
    if (token || markerLike(buf)) scan.skipped.push(skipped(rel(), buf, 'FIA320', `the file is outside update.path (${mode.updatePath ?? '.'}), which is the only ${mode.targetIsFile ? 'file' : 'directory'} Flux scans`))
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

// What Flux would find under a directory symlink if it followed it; it does not (FIA324).
function noteSymlinkedDirectory(link: string, real: string, rel: string, scan: RepoScan, root: string): void {
  const inner: RepoScan = { root, files: [], skipped: [], unread: [], base: real, updatePath: real }
  walk(real, inner, { outside: false, target: real, root, viaLink: true })
  for (const f of inner.files) {
    scan.skipped.push({ path: `${rel}/${f.path}`, text: f.text, code: 'FIA324', why: `${basename(link)} is a symlink to a directory, and Flux's walk does not follow directory symlinks` })
  }
}

function skipped(path: string, buf: Buffer, code: SkippedFile['code'], why: string): SkippedFile {
  return { path, text: buf.toString('utf8'), code, why }
}
