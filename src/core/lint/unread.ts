// What the walk of the linted directory did not read. The walk reads the whole directory as
// an automation at its root would; an entry Flux reads (FIA327, FIA344) is reported as such
// only when some automation's update.path covers it, or, when the directory holds no
// automation, as if one were at its root (as markers are judged).

import type { Finding } from '../findings/types.js'
import { unreadFindings } from '../markers/unread.js'
import type { LintInput } from './types.js'

export function lintUnread(input: Pick<LintInput, 'scans' | 'unread'>): Finding[] {
  if (input.scans.length === 0) return unreadFindings(input.unread)
  const under = (prefix: string, path: string): string => (prefix === '' ? path : path === '.' ? prefix : `${prefix}/${path}`)
  const read = new Set(input.scans.flatMap((s) => s.unread.filter((u) => u.fluxReads).map((u) => under(s.prefix, u.path))))
  return unreadFindings(input.unread.map((u) => (u.fluxReads && !read.has(u.path) ? { ...u, fluxReads: false } : u)))
}
