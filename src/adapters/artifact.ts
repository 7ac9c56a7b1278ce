// Markers without a checkout: a GitRepository's artifact, the gzip'd tarball source-controller
// stored for exactly the revision Flux has. From outside the cluster it is read through the
// API server's service proxy for source-controller (the host of status.artifact.url names the
// Service and its namespace); from inside, from status.artifact.url itself. The bytes are
// checked against status.artifact.digest ("<algorithm>:<hex>"; source-controller's v1beta2
// API also had a bare SHA-256 status.artifact.checksum) before anything is unpacked; the
// archive is unpacked by a refusing reader (core/artifact/tar.ts) into a private temp dir, the
// update paths are scanned as a checkout would be, and the dir is removed.

import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { readTar, TarError } from '../core/artifact/tar.js'
import { type KObject, ref } from '../core/doctor/snapshot.js'
import { MAX_FLUX_FILE_BYTES } from '../core/markers/unread.js'
import { CodedError } from '../core/tool-error.js'
import type { KubeReader } from './kube.js'
import { type RepoScan, scanRepository } from './repo-files.js'

const MIB = 1024 * 1024

/** Documented in the README. */
export const ARTIFACT_LIMITS = { maxDownloadBytes: 128 * MIB, maxUnpackedBytes: 512 * MIB, maxEntries: 100_000, maxEntryBytes: MAX_FLUX_FILE_BYTES }

export interface ArtifactRef {
  url: string
  revision: string
  /** "<algorithm>:<hex>". */
  digest: string
}

/** A GitRepository's status.artifact, or why it has none to trace. */
export function artifactOf(g: KObject): { artifact: ArtifactRef } | { missing: string } {
  const a = g.status?.artifact as { url?: unknown; revision?: unknown; digest?: unknown; checksum?: unknown } | undefined
  if (a === undefined || a === null) return { missing: `GitRepository ${ref(g)} has no status.artifact (source-controller has not fetched it)` }
  if (typeof a.url !== 'string' || a.url === '') return { missing: `GitRepository ${ref(g)} has no status.artifact.url` }
  const digest = typeof a.digest === 'string' && a.digest !== '' ? a.digest : typeof a.checksum === 'string' && a.checksum !== '' ? `sha256:${a.checksum}` : undefined
  if (digest === undefined) return { missing: `GitRepository ${ref(g)} has neither status.artifact.digest nor status.artifact.checksum to verify the artifact by` }
  return { artifact: { url: a.url, revision: typeof a.revision === 'string' ? a.revision : '', digest } }
}

/**
 * The API server path that proxies to the artifact's URL: the URL's host is
 * <service>.<namespace>.svc…, its port the Service port (80 by default).
 */
export function proxyPath(url: string, fluxNamespace: string): string {
  const u = new URL(url)
  const [service, namespace] = u.hostname.split('.')
  const scheme = u.protocol.replace(/:$/, '')
  const port = u.port !== '' ? u.port : scheme === 'https' ? '443' : '80'
  return `/api/v1/namespaces/${namespace || fluxNamespace}/services/${scheme}:${service}:${port}/proxy${u.pathname}`
}

export function verifyDigest(bytes: Uint8Array, expected: string, what: string): void {
  const colon = expected.indexOf(':')
  const algorithm = expected.slice(0, colon)
  if (!['sha256', 'sha384', 'sha512'].includes(algorithm)) throw new CodedError('ERR_ARTIFACT', `${what}: digest algorithm "${algorithm}" is not supported (sha256, sha384, sha512); source-controller's --artifact-digest-algo chose it`)
  const actual = `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`
  if (actual !== expected.toLowerCase()) throw new CodedError('ERR_ARTIFACT', `${what}: the bytes served have digest ${actual}, not ${expected} as status.artifact says; not traced`)
}

/** Downloads the artifact and verifies its digest. */
export async function fetchArtifact(kube: KubeReader, g: KObject, a: ArtifactRef, fluxNamespace: string): Promise<Buffer> {
  const what = `artifact of GitRepository ${ref(g)}`
  const where = kube.inCluster ? a.url : proxyPath(a.url, fluxNamespace)
  const { status, body } = await kube.getBytes(where, `reading the ${what}`, ARTIFACT_LIMITS.maxDownloadBytes, kube.inCluster)
  if (status === 401 || status === 403) throw new CodedError('ERR_FORBIDDEN', `reading the ${what} through ${where}: HTTP ${status}; the role needs get on services/proxy in the source-controller's namespace`)
  if (status !== 200) throw new CodedError('ERR_ARTIFACT', `reading the ${what} from ${where}: HTTP ${status}${status === 404 ? ' (source-controller no longer has it: a newer revision may have replaced it; run again)' : ''}`)
  verifyDigest(body, a.digest, what)
  return body
}

/** Unpacks a verified artifact into a fresh temp dir and returns it; the caller removes it. */
export function unpackArtifact(gz: Uint8Array, what: string): string {
  let tar: Buffer
  try {
    tar = gunzipSync(gz, { maxOutputLength: ARTIFACT_LIMITS.maxUnpackedBytes })
  } catch (e) {
    const big = e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
    throw new CodedError('ERR_ARTIFACT', `${what}: ${big ? `unpacks to more than ${ARTIFACT_LIMITS.maxUnpackedBytes} bytes` : `not a gzip stream (${(e as Error).message})`}; not traced`)
  }
  let entries
  try {
    entries = readTar(tar, ARTIFACT_LIMITS)
  } catch (e) {
    if (!(e instanceof TarError)) throw e
    throw new CodedError('ERR_ARTIFACT', `${what}: ${e.message}; not traced`)
  }
  let root: string
  try {
    root = mkdtempSync(join(tmpdir(), 'fia-artifact-'))
  } catch (e) {
    throw new CodedError('ERR_ARTIFACT', `${what}: cannot make a temp dir in ${tmpdir()} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); not traced`)
  }
  try {
    for (const e of entries) {
      const path = join(root, e.path)
      if (e.type === 'dir') mkdirSync(path, { recursive: true, mode: 0o755 })
      else {
        mkdirSync(dirname(path), { recursive: true, mode: 0o755 })
        writeFileSync(path, e.data, { mode: 0o644 })
      }
    }
  } catch (e) {
    rmSync(root, { recursive: true, force: true })
    throw new CodedError('ERR_ARTIFACT', `${what}: cannot unpack (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); not traced`)
  }
  return root
}

/** The artifact's tree scanned at each update path (as --repo scans a checkout), then removed. */
export function scanArtifact(gz: Uint8Array, what: string, updatePaths: readonly (string | undefined)[]): Map<string, RepoScan> {
  const root = unpackArtifact(gz, what)
  try {
    const real = realpathSync(root)
    // Flux's own errors name its clone's temp dir; these name the artifact instead.
    const named = (t: string): string => t.split(real).join('<artifact>')
    return new Map(
      updatePaths.map((p) => {
        const scan = scanRepository(root, p)
        if (scan.runError !== undefined) scan.runError = named(scan.runError)
        for (const u of scan.unread) if (u.fluxError !== undefined) u.fluxError = named(u.fluxError)
        return [p ?? '', scan]
      }),
    )
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
