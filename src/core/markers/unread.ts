// What the checkout walk did not read, as findings. Flux's walk (ScreeningLocalReader, a
// filepath.Walk) lstats every entry under update.path, lists every directory and reads every
// file whose name it reads: one it cannot read fails the whole run (FIA344), with the message
// Flux gives. The rest is flux-imgauto's own skip, said as such: a FIFO, socket or device
// (FIA326: Git cannot store one, so Flux's clone never has it), a file Flux reads that is
// larger than flux-imgauto reads (FIA327), an entry Flux never reads that cannot be read
// here (FIA328).

import { finding } from '../findings/catalogue.js'
import type { Finding } from '../findings/types.js'

const MIB = 1024 * 1024
/** flux-imgauto reads a file Flux reads up to this size; Flux reads it whole, however large. */
export const MAX_FLUX_FILE_BYTES = 64 * MIB
/** Other files are read only to look for near misses, and only up to this size. */
export const MAX_SCREEN_BYTES = 4 * MIB

export interface UnreadEntry {
  /** Relative to the scan's base, with "/"; "." for the base itself. */
  path: string
  reason: 'special' | 'too-large' | 'unreadable'
  /** What it is ("a FIFO"), its size in bytes, or the error ("permission denied"). */
  detail: string
  /** Flux's walk reads it: a directory, or a file with a name Flux reads, under update.path. */
  fluxReads: boolean
  /** The run error Flux gives on it, for an unreadable entry Flux reads. */
  fluxError?: string
}

export function unreadFindings(entries: readonly UnreadEntry[]): Finding[] {
  const out: Finding[] = []
  for (const u of entries) {
    let f: Finding
    if (u.reason === 'special') {
      f = finding('FIA326', `${u.path} is ${u.detail}, not a regular file: Git cannot store one, so Flux's clone never has it; flux-imgauto does not open it`)
    } else if (u.reason === 'too-large') {
      if (!u.fluxReads) continue
      f = finding('FIA327', `${u.path} is ${u.detail} bytes (${(Number(u.detail) / MIB).toFixed(1)} MiB): Flux reads it whole, but flux-imgauto reads at most ${MAX_FLUX_FILE_BYTES / MIB} MiB of a file, so markers in it are not traced`)
    } else if (u.fluxReads && u.fluxError !== undefined) {
      f = finding('FIA344', u.fluxError)
    } else {
      f = finding('FIA328', `${u.path} cannot be read here (${u.detail}), so it is not screened for near misses; Flux does not read it`)
    }
    f.location = { file: u.path }
    out.push(f)
  }
  return out
}
