// Temporary trees for marker tests: copies of the upstream vectors (read from ../shared,
// never copied into the repository) and small trees written from a table.

import { execFileSync } from 'node:child_process'
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'

export const VECTORS = fileURLToPath(new URL('../../../shared/vectors/flux-update-testdata/', import.meta.url))

export function tempDir(prefix = 'fia-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/**
 * Copies a vector directory. The shared copy stores setters/original/test.yaml as a file
 * holding its link target; upstream it is a dangling symlink, so it is recreated as one.
 */
export function copyVector(rel: string): string {
  const to = join(tempDir(), 'tree')
  cpSync(join(VECTORS, rel), to, { recursive: true })
  const link = join(to, 'test.yaml')
  try {
    if (rel.endsWith('setters/original') && !lstatSync(link).isSymbolicLink()) {
      const target = readFileSync(link, 'utf8').trim()
      unlinkSync(link)
      symlinkSync(target, link)
    }
  } catch {
    // no test.yaml in this vector
  }
  return to
}

/** Writes files from a table ({path: content}); a value { link } makes a symlink, { fifo: true } a FIFO. */
export function writeTree(files: Record<string, string | { link: string } | { fifo: true }>): string {
  const root = join(tempDir(), 'repo')
  mkdirSync(root, { recursive: true })
  for (const [path, content] of Object.entries(files)) {
    const p = join(root, path)
    mkdirSync(dirname(p), { recursive: true })
    if (typeof content === 'string') writeFileSync(p, content)
    else if ('fifo' in content) execFileSync('mkfifo', [p])
    else symlinkSync(content.link, p)
  }
  return root
}

/** Every file under dir, relative, with its bytes (symlinks as "-> target"). */
export function listTree(dir: string): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      const st = lstatSync(p)
      if (st.isDirectory()) walk(p)
      else out.set(relative(dir, p), st.isSymbolicLink() ? `-> ${p}` : readFileSync(p, 'utf8'))
    }
  }
  walk(dir)
  return out
}

/** A hash of every path, mode, mtime and content under dir. */
export function hashTree(dir: string): string {
  const h = createHash('sha256')
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      const st = lstatSync(p)
      h.update(`${relative(dir, p)}\0${st.mode}\0${st.mtimeMs}\0`)
      if (st.isDirectory()) walk(p)
      else if (st.isFile()) h.update(readFileSync(p))
    }
  }
  walk(dir)
  return h.digest('hex')
}

/**
 * Every entry under dir, directories included, with its type, mode, owner, inode and bytes
 * but no times: what a rolled-back write must leave exactly as it found (creating and
 * removing an entry changes a directory's mtime, which nothing can set back exactly).
 */
export function snapshotTree(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      const st = lstatSync(p)
      const what = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? `-> ${readlinkSync(p)}` : st.isFile() ? readFileSync(p, 'utf8') : 'special'
      out.push(`${relative(dir, p)} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ino=${st.ino} ${what}`)
      if (st.isDirectory()) walk(p)
    }
  }
  walk(dir)
  return out
}
