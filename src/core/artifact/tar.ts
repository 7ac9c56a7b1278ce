// A minimal, refusing reader for the tar archives source-controller serves (internal/controller/
// storage.go Archive: Go's archive/tar over a filepath.Walk, regular files and directories
// only — symlinks and every other kind of file are left out). So anything else in an artifact
// is refused rather than guessed at: links, devices, FIFOs, absolute names, "..", and entries
// over the size limits. Reads USTAR headers (name + prefix), PAX extended headers (path, size)
// and GNU long names, which Go's writer may emit for long paths. Pure: bytes in, entries out.

export interface TarLimits {
  /** Most regular files and directories. */
  maxEntries: number
  /** Most bytes of one file. */
  maxEntryBytes: number
}

export interface TarEntry {
  /** The cleaned relative path ("a/b.yaml"), never absolute, never with "..". */
  path: string
  type: 'file' | 'dir'
  data: Uint8Array
}

export class TarError extends Error {}

const BLOCK = 512

const TYPE_NAMES: Record<string, string> = { '1': 'a hard link', '2': 'a symbolic link', '3': 'a character device', '4': 'a block device', '6': 'a FIFO' }

export function readTar(buf: Uint8Array, limits: TarLimits): TarEntry[] {
  const entries: TarEntry[] = []
  let offset = 0
  let longName: string | undefined
  let pax: Record<string, string> = {}
  while (offset + BLOCK <= buf.length) {
    const h = buf.subarray(offset, offset + BLOCK)
    if (h.every((b) => b === 0)) return entries
    if (!checksumOk(h)) throw new TarError(`the header at byte ${offset} has a bad checksum: not a tar archive, or a damaged one`)
    const type = String.fromCharCode(h[156] as number)
    const size = pax.size !== undefined ? Number(pax.size) : numeric(h.subarray(124, 136))
    if (!Number.isSafeInteger(size) || size < 0) throw new TarError(`the header at byte ${offset} has an unreadable size`)
    const magic = ascii(h.subarray(257, 263))
    const prefix = magic.startsWith('ustar') ? cString(h.subarray(345, 500)) : ''
    const headerName = (prefix ? prefix + '/' : '') + cString(h.subarray(0, 100))
    const name = pax.path ?? longName ?? headerName
    const dataStart = offset + BLOCK
    const dataEnd = dataStart + size
    if (type === 'x' || type === 'g' || type === 'L') {
      if (size > 1024 * 1024) throw new TarError(`an extended header of ${size} bytes for "${printable(name)}" is larger than 1 MiB`)
      if (dataEnd > buf.length) throw new TarError('the archive ends inside an entry')
      const data = buf.subarray(dataStart, dataEnd)
      if (type === 'x') pax = parsePax(data)
      else if (type === 'L') longName = cString(data)
      offset = dataStart + padded(size)
      continue
    }
    longName = undefined
    pax = {}
    const kind = type === '0' || type === '\0' || type === '7' ? 'file' : type === '5' ? 'dir' : undefined
    if (kind === undefined) throw new TarError(`entry "${printable(name)}" is ${TYPE_NAMES[type] ?? `of type '${printable(type)}'`}; source-controller archives hold regular files and directories only`)
    const path = safePath(name)
    if (kind === 'file' && size > limits.maxEntryBytes) throw new TarError(`entry "${path}" is ${size} bytes, more than the limit of ${limits.maxEntryBytes}`)
    if (dataEnd > buf.length) throw new TarError(`the archive ends inside entry "${path}"`)
    if (entries.length >= limits.maxEntries) throw new TarError(`the archive holds more than ${limits.maxEntries} entries`)
    if (path !== '') entries.push({ path, type: kind, data: kind === 'file' ? buf.subarray(dataStart, dataEnd) : new Uint8Array() })
    offset = dataStart + padded(size)
  }
  // Go's writer ends with two zero blocks; an archive cut short is refused rather than read in part.
  throw new TarError('the archive ends without its end-of-archive blocks (truncated)')
}

/** The name cleaned to a relative path; "" for the root ("." or "./"). Refuses what would leave it. */
function safePath(name: string): string {
  if (name.includes('\0')) throw new TarError(`entry "${printable(name)}" has a NUL in its name`)
  if (name.startsWith('/')) throw new TarError(`entry "${printable(name)}" has an absolute path`)
  const parts = name.split('/').filter((p) => p !== '' && p !== '.')
  if (parts.includes('..')) throw new TarError(`entry "${printable(name)}" leads out of the archive ("..")`)
  return parts.join('/')
}

function checksumOk(h: Uint8Array): boolean {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number)
  return numeric(h.subarray(148, 156)) === sum
}

// Octal digits, space/NUL padded; or GNU base-256 when the high bit of the first byte is set.
function numeric(field: Uint8Array): number {
  if (((field[0] as number) & 0x80) !== 0) {
    let n = (field[0] as number) & 0x7f
    for (const b of field.subarray(1)) n = n * 256 + b
    return n
  }
  const text = ascii(field).replace(/[\0 ]+$/, '').replace(/^ +/, '')
  return text === '' ? 0 : /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN
}

// PAX records: "<length> <key>=<value>\n", lengths in bytes, values UTF-8.
function parsePax(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {}
  let i = 0
  while (i < data.length) {
    const space = data.indexOf(0x20, i)
    const length = Number(ascii(data.subarray(i, space)))
    if (space < 0 || !Number.isSafeInteger(length) || length <= 0 || i + length > data.length) throw new TarError('an extended (PAX) header is malformed')
    const record = Buffer.from(data.subarray(space + 1, i + length - 1)).toString('utf8')
    const eq = record.indexOf('=')
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1)
    i += length
  }
  return out
}

const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK
const ascii = (b: Uint8Array): string => Buffer.from(b).toString('latin1')
const cString = (b: Uint8Array): string => {
  const nul = b.indexOf(0)
  return Buffer.from(nul < 0 ? b : b.subarray(0, nul)).toString('utf8')
}
const printable = (s: string): string => JSON.stringify(s).slice(1, -1)
