// preview --out on hostile trees: symlinks into the checkout, hard links, read-only and
// special paths, writes that fail half-way. Whatever happens, the checkout is not touched
// and --out holds either every file or exactly what it held before.
//
// The tests run as root, which the kernel lets write any file whatever its mode; preview
// refuses by the mode bits itself (a file or directory with no write bit for anyone), so the
// read-only cases hold for root too. Writes that fail part-way are made real with a file-size
// limit (ulimit -f): the write past the limit fails with EFBIG, as on a full disk.

import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { hashTree, snapshotTree, tempDir, writeTree } from '../support/tree.js'

const M = '# {"$imagepolicy": "flux-system:app"}'
const POLICIES = 'fixtures/markers/app-policies.yaml'
const MARKED = `image: ghcr.io/org/app:1.0.0 ${M}\n`
const WRITTEN = `image: ghcr.io/org/app:1.2.0 ${M}\n`
const HINT = '  hint: Check the path named (its symlinks, its mode, its filesystem); nothing was written.\n'

/** A checkout with three files preview changes: a/f.yaml, b/f.yaml, c/f.yaml. */
function checkout(c = MARKED): string {
  return writeTree({ 'a/f.yaml': MARKED, 'b/f.yaml': MARKED, 'c/f.yaml': c })
}

/** A file of `size` bytes that preview changes: the marked line, then one long comment. */
function padded(size: number): string {
  return MARKED + '#'.repeat(size - MARKED.length - 1) + '\n'
}

describe('preview --out writes', () => {
  it('writes the changed files, and rewrites its own earlier output in place, keeping its mode', async () => {
    const root = checkout()
    const out = join(tempDir(), 'out')
    expect((await runCli(['preview', root, '--policies-file', POLICIES, '--out', out])).code).toBe(0)
    expect(['a', 'b', 'c'].map((d) => readFileSync(join(out, d, 'f.yaml'), 'utf8'))).toEqual([WRITTEN, WRITTEN, WRITTEN])
    const mine = join(out, 'a/f.yaml')
    writeFileSync(mine, 'stale\n')
    chmodSync(mine, 0o600)
    const inode = statSync(mine).ino
    const again = await runCli(['preview', root, '--policies-file', POLICIES, '--out', out])
    expect(again.stderr).toBe('')
    expect(readFileSync(mine, 'utf8')).toBe(WRITTEN)
    expect([statSync(mine).mode & 0o777, statSync(mine).ino]).toEqual([0o600, inode])
  })
})

describe('preview --out never writes into the checkout', () => {
  it('refuses an --out that is a symlink to the checkout', async () => {
    const root = checkout()
    const link = join(tempDir(), 'out')
    symlinkSync(root, link)
    const before = hashTree(root)
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--out', link])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(`error ERR_USAGE: --out ${link} is inside ${root} (its real path is ${root}); preview never writes into the checkout`)
    expect(hashTree(root)).toBe(before)
  })

  it('refuses an --out inside the real checkout when PATH is given through a symlink', async () => {
    const root = checkout()
    const link = join(tempDir(), 'checkout')
    symlinkSync(root, link)
    const before = hashTree(root)
    const r = await runCli(['preview', link, '--policies-file', POLICIES, '--out', join(root, 'out')])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(`error ERR_USAGE: --out ${join(root, 'out')} is inside ${link}; preview never writes into the checkout`)
    expect(hashTree(root)).toBe(before)
  })

  it('refuses a directory symlink under --out that leads into the checkout, writing nothing', async () => {
    const root = checkout()
    const out = join(tempDir(), 'out')
    mkdirSync(out)
    symlinkSync(join(root, 'b'), join(out, 'b'))
    const [before, outBefore] = [hashTree(root), snapshotTree(out)]
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error ERR_FILE_WRITE: cannot write ${out}/b/f.yaml: its real path ${root}/b/f.yaml is outside ${out}; nothing was written\n${HINT}`)
    expect([hashTree(root), snapshotTree(out)]).toEqual([before, outBefore])
  })

  it('refuses a file under --out that is a hard link (its other name could be a file of the checkout)', async () => {
    const root = checkout()
    const out = join(tempDir(), 'out')
    mkdirSync(join(out, 'c'), { recursive: true })
    linkSync(join(root, 'c/f.yaml'), join(out, 'c/f.yaml'))
    const [before, outBefore] = [hashTree(root), snapshotTree(out)]
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(`error ERR_FILE_WRITE: cannot write ${out}/c/f.yaml: it has 2 hard links, and another name could be outside ${out}; nothing was written`)
    expect([hashTree(root), snapshotTree(out)]).toEqual([before, outBefore])
  })
})

describe('preview --out writes all files or none', () => {
  it.each([
    ['a read-only directory', (out: string) => mkdirSync(join(out, 'c'), { mode: 0o555 }), '(out)/c is read-only (mode 0555)'],
    ['a read-only file', (out: string) => {
      mkdirSync(join(out, 'c'))
      writeFileSync(join(out, 'c/f.yaml'), 'old\n', { mode: 0o444 })
    }, 'it is read-only (mode 0444)'],
    ['a regular file where a directory must be', (out: string) => writeFileSync(join(out, 'c'), ''), '(out)/c is not a directory'],
    ['a FIFO', (out: string) => {
      mkdirSync(join(out, 'c'))
      execFileSync('mkfifo', [join(out, 'c/f.yaml')])
    }, 'it is not a regular file'],
    ['a dangling symlink', (out: string) => {
      mkdirSync(join(out, 'c'))
      symlinkSync('nowhere', join(out, 'c/f.yaml'))
    }, '(out)/c/f.yaml is a symlink to nothing'],
  ])('one unwritable target among three (%s): nothing written, exit 2', async (_, prepare, reason) => {
    const root = checkout()
    const out = join(tempDir(), 'out')
    mkdirSync(out)
    prepare(out)
    const [before, outBefore] = [hashTree(root), snapshotTree(out)]
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error ERR_FILE_WRITE: cannot write ${out}/c/f.yaml: ${reason.replace('(out)', out)}; nothing was written\n${HINT}`)
    expect([hashTree(root), snapshotTree(out)]).toEqual([before, outBefore])
  })

  it('removes the temporary files and the directories it made when a write fails while staging', async () => {
    const root = checkout(padded(20 * 1024))
    const parent = tempDir()
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--out', join(parent, 'out/new')], { fileSizeLimit: 16 })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error ERR_FILE_WRITE: cannot write ${join(parent, 'out/new')}/c/f.yaml: file too large; nothing was written\n${HINT}`)
    expect(readdirSync(parent)).toEqual([])
  })

  it('undoes the files already in place when a write fails while committing', async () => {
    // a/ and b/ are new, c/f.yaml exists (small): the new files are linked into place first,
    // then c is rewritten in place and fails past the limit; everything is put back.
    const root = checkout(padded(20 * 1024))
    const out = join(tempDir(), 'out')
    mkdirSync(join(out, 'c'), { recursive: true })
    writeFileSync(join(out, 'c/f.yaml'), 'an earlier preview\n')
    const [before, outBefore] = [hashTree(root), snapshotTree(out)]
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--out', out], { fileSizeLimit: 16 })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error ERR_FILE_WRITE: cannot write ${out}/c/f.yaml: file too large; nothing was written\n${HINT}`)
    expect([hashTree(root), snapshotTree(out)]).toEqual([before, outBefore])
  })
})

describe('preview --out on kernel filesystems', () => {
  it.each([
    ['/proc/x', '/proc is on proc, a kernel filesystem'],
    ['/sys/x', '/sys is on sysfs, a kernel filesystem'],
  ])('%s fails at once with ERR_FILE_WRITE (Node\'s recursive mkdir would loop forever)', async (out, reason) => {
    const r = await runCli(['preview', checkout(), '--policies-file', POLICIES, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error ERR_FILE_WRITE: cannot write ${out}/a/f.yaml: ${reason}; nothing was written\n${HINT}`)
    expect(existsSync(out)).toBe(false)
  }, 30_000)
})
