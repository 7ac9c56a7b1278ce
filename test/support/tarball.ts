// Builds gzip'd tar archives for tests, as Go's archive/tar writes them for source-controller
// (USTAR headers, a PAX header for a name longer than 100 bytes), and also what it never writes
// (links, "..", absolute names) to check that the reader refuses them.

import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'

export interface TarInput {
  name: string
  /** '0' file (default), '5' directory, '1' hard link, '2' symlink, '6' FIFO… */
  type?: string
  data?: string | Uint8Array
  linkname?: string
}

function header(name: string, type: string, size: number, linkname = ''): Buffer {
  const h = Buffer.alloc(512)
  const put = (s: string, at: number, len: number): void => void h.write(s.slice(0, len), at, 'utf8')
  const octal = (n: number, len: number): string => n.toString(8).padStart(len - 1, '0') + '\0'
  put(name, 0, 100)
  put(octal(type === '5' ? 0o755 : 0o644, 8), 100, 8)
  put(octal(0, 8), 108, 8)
  put(octal(0, 8), 116, 8)
  put(octal(size, 12), 124, 12)
  put(octal(0, 12), 136, 12)
  put(type, 156, 1)
  put(linkname, 157, 100)
  put('ustar\0', 257, 6)
  put('00', 263, 2)
  h.fill(0x20, 148, 156)
  let sum = 0
  for (const b of h) sum += b
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8)
  return h
}

const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)])

export function tar(entries: TarInput[]): Buffer {
  const blocks: Buffer[] = []
  for (const e of entries) {
    const type = e.type ?? '0'
    const data = Buffer.from(e.data ?? '')
    if (Buffer.byteLength(e.name) > 100) {
      const record = (k: string, v: string): string => {
        const body = ` ${k}=${v}\n`
        let n = body.length + 1
        while (String(n).length + Buffer.byteLength(body) !== n) n = String(n).length + Buffer.byteLength(body)
        return `${n}${body}`
      }
      const pax = Buffer.from(record('path', e.name))
      blocks.push(header('PaxHeaders/x', 'x', pax.length), pad(pax))
    }
    blocks.push(header(e.name, type, type === '0' ? data.length : 0, e.linkname), pad(type === '0' ? data : Buffer.alloc(0)))
  }
  blocks.push(Buffer.alloc(1024))
  return Buffer.concat(blocks)
}

export function tarGz(entries: TarInput[]): Buffer {
  return gzipSync(tar(entries))
}

export function sha256(b: Uint8Array): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`
}
