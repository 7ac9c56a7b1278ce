// Writes a set of files all or nothing: every file goes to a temporary name beside its
// target first, and only when all are written are they renamed into place. A file may
// replace an existing one only when it says so (an edit); new files never do.

import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { CodedError } from '../core/tool-error.js'

export function writeAll(files: readonly { path: string; content: string; replace?: boolean }[]): void {
  const existing = files.filter((f) => !f.replace && existsSync(f.path))
  if (existing.length > 0) throw new CodedError('ERR_FILE_EXISTS', `${existing.map((f) => f.path).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written`)
  const temps: string[] = []
  try {
    for (const f of files) {
      mkdirSync(dirname(f.path), { recursive: true })
      const tmp = `${f.path}.flux-imgauto-${process.pid}.tmp`
      writeFileSync(tmp, f.content, { flag: 'wx' })
      temps.push(tmp)
    }
  } catch (e) {
    for (const t of temps) rmSync(t, { force: true })
    throw new CodedError('ERR_FILE_WRITE', `cannot write ${(e as Error).message.replace(/\.flux-imgauto-\d+\.tmp/, '')}; nothing was written`)
  }
  files.forEach((f, i) => renameSync(temps[i] as string, f.path))
}
