// Every file flux-imgauto writes goes through writeAll: preview --out, scaffold --out and
// scaffold --insert. A write set is written all or none, never through a symlink out of
// bounds, and an existing file keeps its inode (mode, owner, hard links). In three steps:
//
// 1. plan, with no side effect: each target's real path (symlinks resolved, the deepest
//    existing ancestor for a new file) must lie inside the directory the caller permits and
//    outside the one it forbids; it must not sit on a kernel filesystem (proc, sysfs, …);
//    an existing target must be a regular file whose mode lets someone write it.
// 2. stage: missing directories are made one level at a time (Node's recursive mkdir loops
//    forever under /proc), new files are written to exclusive temporary names beside their
//    target, and every existing target is opened and read, its bytes kept for the rollback.
// 3. commit: each temporary file is hard-linked to its name (which fails, never clobbers,
//    should the name have appeared since) and each existing file is rewritten through the
//    descriptor opened in step 2 (write, then truncate): the same inode, so its mode, owner
//    and other names stay as they were, which a temp file and a rename would all lose.
//
// Any failure undoes what was done — originals written back with their times, new names and
// temporary files removed, the directories this run made removed deepest first — and ends
// in ERR_FILE_WRITE (exit 2). A read-only file is one whose mode grants write to nobody
// (no bit of 0222): it is refused even when running as root, which the kernel would let
// write anything; when the kernel refuses (another user's file, a read-only mount) that is
// reported the same way.

import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  futimesSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  type Stats,
  statfsSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join, resolve, sep } from 'node:path'
import { CodedError } from '../core/tool-error.js'

export interface FileWrite {
  /** The path as the user named it; messages use it. */
  path: string
  content: string
  /** The directory the file's real path must lie inside. */
  within: string
  /** A directory its real path must not lie inside (preview: the checkout). */
  outside?: string
  /**
   * What may be at `path` already: nothing (scaffold --out never overwrites); anything
   * regular with a single name (preview --out rewrites its own earlier output, and a second
   * name could be a file of the checkout); or the text the caller read from it (--insert,
   * whose other names, hard links included, are meant to see the edit).
   */
  existing: 'absent' | 'any' | { text: string }
}

/** Kernel filesystems (statfs f_type, linux/magic.h): files there are not files to write. */
const KERNEL_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x1cd1, 'devpts'],
  [0x62656570, 'configfs'],
  [0xcafe4a11, 'bpf'],
  [0xde5e81e4, 'efivarfs'],
  [0x6165676c, 'pstore'],
])

/**
 * The real path of `path`: symlinks resolved as far as the path exists, the missing rest
 * appended. Throws ERR_FILE_WRITE for a dangling symlink or a path the kernel will not resolve.
 */
export function realPathOf(path: string): string {
  return locate(path).real
}

interface Located {
  real: string
  /** The real path of the deepest existing ancestor (the target's own when it exists). */
  base: string
  /** The directories to make under base, outermost first (none when the target exists). */
  missing: string[]
  /** The target's when it exists, else the deepest existing ancestor's. */
  stat: Stats
  exists: boolean
}

function locate(path: string): Located {
  const abs = resolve(path)
  const tail: string[] = []
  for (let p = abs; ; p = dirname(p)) {
    try {
      const base = realpathSync(p)
      const stat = statSync(base)
      if (p === abs) return { real: base, base, missing: [], stat, exists: true }
      if (!stat.isDirectory()) throw refusal(path, `${p} is not a directory`)
      return { real: join(base, ...tail), base, missing: tail.slice(0, -1).map((_, i) => join(base, ...tail.slice(0, i + 1))), stat, exists: false }
    } catch (e) {
      if (e instanceof CodedError) throw e
      const code = (e as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw refusal(path, errnoText(e))
      if (code === 'ENOENT' && isSymlink(p)) throw refusal(path, `${p} is a symlink to nothing`)
      if (p === dirname(p)) throw refusal(path, errnoText(e))
      tail.unshift(basename(p))
    }
  }
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink()
  } catch {
    return false
  }
}

/** Whether the path `p` is `dir` or lies under it (both absolute, normalised). */
export const inside = (p: string, dir: string): boolean => p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep)

interface Plan {
  write: FileWrite
  at: Located
  data: Buffer
}

function plan(w: FileWrite): Plan {
  const at = locate(w.path)
  const within = realPathOf(w.within)
  if (!inside(at.real, within)) throw refusal(w.path, `its real path ${at.real} is outside ${w.within}`)
  if (w.outside !== undefined && inside(at.real, realPathOf(w.outside))) throw refusal(w.path, `its real path ${at.real} is inside ${w.outside}`)
  const fs = KERNEL_FILESYSTEMS.get(statfsSync(at.base).type)
  if (fs !== undefined) throw refusal(w.path, `${at.base} is on ${fs}, a kernel filesystem`)
  if (at.exists) checkExisting(w, at.stat)
  else if (typeof w.existing === 'object') throw refusal(w.path, 'it no longer exists')
  else if ((at.stat.mode & 0o222) === 0) throw refusal(w.path, `${at.base} is read-only (mode ${octal(at.stat.mode)})`)
  return { write: w, at, data: Buffer.from(w.content, 'utf8') }
}

function checkExisting(w: FileWrite, st: Stats): void {
  if (!st.isFile()) throw refusal(w.path, 'it is not a regular file')
  if ((st.mode & 0o222) === 0) throw refusal(w.path, `it is read-only (mode ${octal(st.mode)})`)
  if (w.existing === 'any' && st.nlink > 1) throw refusal(w.path, `it has ${st.nlink} hard links, and another name could be outside ${w.within}`)
}

interface Edit {
  plan: Plan
  fd: number
  original: Buffer
  stat: Stats
  edited: boolean
}

export function writeAll(writes: readonly FileWrite[]): void {
  const existing = writes.filter((w) => w.existing === 'absent' && exists(w.path))
  if (existing.length > 0) throw new CodedError('ERR_FILE_EXISTS', `${existing.map((w) => w.path).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`)
  const plans = writes.map(plan)
  const seen = new Map<string, string>()
  for (const p of plans) {
    // Two names for one file (a symlink, a hard link) would make the second write undo the first.
    const key = p.at.exists ? `${p.at.stat.dev}:${p.at.stat.ino}` : p.at.real
    const other = seen.get(key)
    if (other !== undefined) throw refusal(p.write.path, `it is the same file as ${other}`)
    seen.set(key, p.write.path)
  }

  const madeDirs: string[] = []
  const temps = new Map<Plan, string>()
  const linked: string[] = []
  const edits: Edit[] = []
  let current: Plan | undefined
  try {
    for (const p of plans) {
      current = p
      if (p.at.exists) edits.push(openForEdit(p))
      else temps.set(p, stage(p, madeDirs))
    }
    for (const [p, tmp] of temps) {
      current = p
      linkSync(tmp, p.at.real)
      linked.push(p.at.real)
      unlinkSync(tmp)
      temps.delete(p)
    }
    for (const e of edits) {
      current = e.plan
      e.edited = true
      rewrite(e.fd, e.plan.data)
    }
  } catch (e) {
    const failure = e instanceof CodedError ? e : refusal(current?.write.path ?? '', errnoText(e))
    rollback(edits, linked, [...temps.values()], madeDirs)
    throw failure
  } finally {
    for (const e of edits) closeSync(e.fd)
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/** Makes the missing directories one level at a time, and writes the content to a temporary name. */
function stage(p: Plan, madeDirs: string[]): string {
  for (const d of p.at.missing) {
    if (madeDirs.includes(d)) continue
    mkdirSync(d)
    madeDirs.push(d)
  }
  // Not named after the target: a name near the 255-byte limit would leave no room for a suffix.
  const tmp = join(dirname(p.at.real), `.flux-imgauto-${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
  const fd = openSync(tmp, 'wx')
  try {
    writeFully(fd, p.data)
    fsyncSync(fd)
  } catch (e) {
    closeSync(fd)
    unlinkSync(tmp)
    throw e
  }
  closeSync(fd)
  return tmp
}

/** Opens an existing file for the in-place rewrite and checks it is still the file planned. */
function openForEdit(p: Plan): Edit {
  // O_NONBLOCK: a FIFO swapped in since the plan must not block the open; O_NOFOLLOW: nor a symlink.
  const fd = openSync(p.at.real, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY)
  try {
    const st = fstatSync(fd)
    if (st.dev !== p.at.stat.dev || st.ino !== p.at.stat.ino) throw refusal(p.write.path, 'it was replaced while being written')
    checkExisting(p.write, st)
    const original = readFileSync(fd)
    const want = p.write.existing
    if (typeof want === 'object' && original.toString('utf8') !== want.text) throw refusal(p.write.path, 'it changed since it was read')
    return { plan: p, fd, original, stat: st, edited: false }
  } catch (e) {
    closeSync(fd)
    throw e
  }
}

function rewrite(fd: number, data: Buffer): void {
  writeFully(fd, data)
  ftruncateSync(fd, data.length)
  fsyncSync(fd)
}

function writeFully(fd: number, data: Buffer): void {
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at, at)
}

/** Best effort: each step is tried whatever became of the one before. */
function rollback(edits: Edit[], linked: string[], temps: string[], madeDirs: string[]): void {
  const attempt = (f: () => void): void => {
    try {
      f()
    } catch {
      // nothing more can be done for this one; the others are still undone
    }
  }
  for (const e of edits.filter((x) => x.edited)) {
    attempt(() => rewrite(e.fd, e.original))
    // Its times too (to the microsecond Node can set), so make and git's stat check see no change.
    attempt(() => futimesSync(e.fd, e.stat.atimeMs / 1000, e.stat.mtimeMs / 1000))
  }
  for (const f of [...linked, ...temps]) attempt(() => unlinkSync(f))
  for (const d of [...madeDirs].reverse()) attempt(() => rmdirSync(d))
}

function refusal(path: string, reason: string): CodedError {
  return new CodedError('ERR_FILE_WRITE', `cannot write ${path}: ${reason}; nothing was written`)
}

/** The system's words ("permission denied", "file too large"), without the code and the call. */
function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException
  if (err.code === 'EEXIST') return 'a file appeared there while writing'
  return err.message.replace(/^E[A-Z0-9]+: /, '').replace(/, [a-z]+( '.*')?$/, '')
}

function octal(mode: number): string {
  return '0' + (mode & 0o7777).toString(8).padStart(3, '0')
}
