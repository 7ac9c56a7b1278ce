// Reads `flux get image all` (or `flux get image repository|policy|update`) output into the
// doctor's objects, for clusters the API cannot be read from and for pasted output.
// The format (reference §2.1): tablewriter tables, cells padded and joined by TAB, a trailing TAB
// on data rows, one blank line after each table, headers upper-cased, NAMESPACE first with -A,
// names prefixed with the lower-case kind in `get image all`, errors as "✗ …" lines on stderr.
// Columns are mapped by header name: Flux ≤ 2.6 prints LATEST IMAGE for policies, ≥ 2.7 IMAGE
// and TAG, and releases before 2022 put MESSAGE before LAST SCAN.

import { finding } from '../findings/catalogue.js'
import type { Finding } from '../findings/types.js'
import { CodedError } from '../tool-error.js'
import type { CheckOutcome } from './index.js'
import { condition, crdMissing, type KObject, type Snapshot, type SnapshotKind } from './snapshot.js'

export type FluxImageKind = 'ImageRepository' | 'ImagePolicy' | 'ImageUpdateAutomation'
export const FLUX_IMAGE_KINDS: readonly FluxImageKind[] = ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation']

export interface FluxGetOutput {
  /** Objects per kind; a kind that printed no table has none (flux skips it silently). */
  objects: Map<FluxImageKind, KObject[]>
  /** "✗ …" lines, by the kind they name when they name one. */
  errors: { kind?: FluxImageKind; message: string }[]
  /** The ImagePolicy table's columns: LATEST IMAGE up to Flux 2.6, IMAGE and TAG from 2.7. */
  policyColumns?: 'LATEST IMAGE' | 'IMAGE, TAG'
}

const PREFIX: Record<string, FluxImageKind> = { imagerepository: 'ImageRepository', imagepolicy: 'ImagePolicy', imageupdateautomation: 'ImageUpdateAutomation' }
const NOT_RECONCILED = 'waiting to be reconciled'

/**
 * Parses flux get output. `namespace` is the -n the command ran with (flux's default is
 * flux-system), used when there is no NAMESPACE column.
 */
export function parseFluxGet(stdout: string, stderr: string, namespace: string): FluxGetOutput {
  const objects = new Map<FluxImageKind, KObject[]>()
  const errors: FluxGetOutput['errors'] = []
  let policyColumns: FluxGetOutput['policyColumns']
  for (const block of stdout.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const lines = block.split('\n').filter((l) => l.trim() !== '')
    const header = lines.shift()
    if (header === undefined) continue
    const columns = cells(header).map((c) => c.toUpperCase())
    if (!columns.includes('NAME') || !columns.includes('READY')) {
      throw new CodedError('ERR_FLUX_OUTPUT', `the flux output has a table without a NAME and READY header: ${JSON.stringify(header.slice(0, 80))}`)
    }
    if (columns.includes('LATEST IMAGE')) policyColumns = 'LATEST IMAGE'
    else if (columns.includes('TAG') && columns.includes('IMAGE')) policyColumns = 'IMAGE, TAG'
    for (const line of lines) {
      const row = cells(line)
      // A message holding a TAB spills into extra cells: they belong to the last column.
      if (row.length > columns.length) row.splice(columns.length - 1, row.length, row.slice(columns.length - 1).join('\t'))
      const get = (name: string): string | undefined => {
        const i = columns.indexOf(name)
        return i < 0 ? undefined : row[i]
      }
      const [kind, name] = kindAndName(get('NAME') ?? '', columns)
      const list = objects.get(kind) ?? []
      list.push(toObject(kind, name, get('NAMESPACE') ?? namespace, get))
      objects.set(kind, list)
    }
  }
  for (const line of stderr.split(/\r?\n/)) {
    const m = /^\s*✗\s*(.*)$/.exec(line)
    if (!m) continue
    const message = (m[1] ?? '').trim()
    const kind = FLUX_IMAGE_KINDS.find((k) => message.toLowerCase().includes(k.toLowerCase()) || message.includes(`${k.toLowerCase().replace(/y$/, 'ie')}s.image.toolkit`))
    if (errors.some((e) => e.message === message)) continue
    if (kind) {
      errors.push({ kind, message })
      continue
    }
    // An error naming no kind (Unauthorized, a timeout) stands for every kind that printed no
    // table: flux skips those silently only when they are empty, and we cannot tell which.
    const silent = FLUX_IMAGE_KINDS.filter((k) => !objects.has(k) && !errors.some((e) => e.kind === k))
    if (silent.length === 0) errors.push({ message })
    for (const k of silent) errors.push({ kind: k, message })
  }
  return { objects, errors, ...(policyColumns ? { policyColumns } : {}) }
}

function cells(line: string): string[] {
  const parts = line.split('\t').map((c) => c.trim())
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

function kindAndName(cell: string, columns: string[]): [FluxImageKind, string] {
  const slash = cell.indexOf('/')
  const prefixed = slash > 0 ? PREFIX[cell.slice(0, slash)] : undefined
  if (prefixed) return [prefixed, cell.slice(slash + 1)]
  if (columns.includes('LAST SCAN')) return ['ImageRepository', cell]
  if (columns.includes('LAST RUN')) return ['ImageUpdateAutomation', cell]
  if (columns.includes('TAG') || columns.includes('LATEST IMAGE')) return ['ImagePolicy', cell]
  throw new CodedError('ERR_FLUX_OUTPUT', `cannot tell the kind of ${JSON.stringify(cell)}: the table has none of LAST SCAN, LAST RUN, TAG or LATEST IMAGE`)
}

function toObject(kind: FluxImageKind, name: string, namespace: string, get: (c: string) => string | undefined): KObject {
  const ready = get('READY')
  const message = get('MESSAGE') ?? ''
  const status: Record<string, unknown> = {}
  // flux prints False with "waiting to be reconciled" when there is no Ready condition at all.
  if (!(ready === 'False' && message === NOT_RECONCILED) && ready !== undefined) {
    status.conditions = [{ type: 'Ready', status: ready, message }]
  }
  const spec: Record<string, unknown> = {}
  if (get('SUSPENDED') === 'True') spec.suspend = true
  if (kind === 'ImageRepository') {
    const scanTime = get('LAST SCAN')
    if (scanTime) status.lastScanResult = { scanTime }
  } else if (kind === 'ImageUpdateAutomation') {
    const last = get('LAST RUN')
    if (last) status.lastAutomationRunTime = last
  } else {
    const latest = latestRef(get('IMAGE'), get('TAG'), get('LATEST IMAGE'))
    if (latest) status.latestRef = latest
  }
  return { apiVersion: 'image.toolkit.fluxcd.io/v1', kind, metadata: { name, namespace }, spec, status }
}

function latestRef(image: string | undefined, tag: string | undefined, latestImage: string | undefined): { name: string; tag: string } | undefined {
  if (image && tag) return { name: image, tag }
  if (!latestImage) return undefined
  // name:tag, where the tag's colon comes after the last slash (a registry may have a port).
  const colon = latestImage.lastIndexOf(':')
  if (colon < 0 || colon < latestImage.lastIndexOf('/')) return undefined
  return { name: latestImage.slice(0, colon), tag: latestImage.slice(colon + 1) }
}

/**
 * flux get image all beside the API's snapshot: the cross-check's outcome, and the image kinds
 * the API refused (not those without a CRD) taken from flux; returns the kinds so taken.
 * Output this flux prints in a way we cannot read takes away the cross-check, not the walk.
 */
export function mergeFluxGet(s: Snapshot, stdout: string, stderr: string, namespace: string): { outcome: CheckOutcome; filled: FluxImageKind[] } {
  const title = 'flux get image all agrees with the API'
  let parsed: FluxGetOutput
  try {
    parsed = parseFluxGet(stdout, stderr, namespace)
  } catch (e) {
    if (!(e instanceof CodedError)) throw e
    return { outcome: { id: 'flux-cross-check', stage: 'controllers', title, status: 'skipped', reason: e.message, findings: [] }, filled: [] }
  }
  const outcome: CheckOutcome = { id: 'flux-cross-check', stage: 'controllers', title, status: 'passed', findings: crossCheck(s, parsed) }
  const fill = FLUX_IMAGE_KINDS.filter((k) => s.unavailable.has(k) && !crdMissing(s, k))
  fillFromFluxGet(s, parsed, fill)
  return { outcome, filled: fill.filter((k) => !s.unavailable.has(k)) }
}

/** Merges parsed output into a snapshot: the given image kinds are taken from flux get. */
function fillFromFluxGet(s: Snapshot, parsed: FluxGetOutput, kinds: readonly FluxImageKind[]): void {
  for (const kind of kinds) {
    const error = parsed.errors.find((e) => e.kind === kind)
    if (error) {
      // When the API failed too, its own error stays: it is the first-hand one.
      if (!s.unavailable.has(kind)) s.unavailable.set(kind, { code: /forbidden/i.test(error.message) ? 'ERR_FORBIDDEN' : 'ERR_API', message: `flux get image all: ${error.message}` })
      continue
    }
    s.unavailable.delete(kind)
    s.objects.set(kind, parsed.objects.get(kind) ?? [])
    s.specless = new Set([...(s.specless ?? []), kind])
  }
}

/** A snapshot holding only what flux get prints: the three image kinds, statuses, no specs. */
export function snapshotFromFluxGet(parsed: FluxGetOutput, namespace: string | undefined, fluxNamespace: string, source: string): Snapshot {
  const s: Snapshot = { ...(namespace !== undefined ? { namespace } : {}), fluxNamespace, now: Date.now(), objects: new Map(), unavailable: new Map(), uncovered: new Map() }
  for (const kind of ['CustomResourceDefinition', 'Deployment', 'GitRepository', 'Kustomization', 'HelmRelease', 'Secret'] as SnapshotKind[]) s.uncovered?.set(kind, `not in ${source}`)
  fillFromFluxGet(s, parsed, FLUX_IMAGE_KINDS)
  return s
}

/**
 * What the output itself says: nothing at all is what flux prints both for a namespace without
 * image objects and for a cluster without the image controllers (catalogue A1), and any "✗" line
 * that names no kind.
 */
export function fluxGetOutcome(parsed: FluxGetOutput): CheckOutcome {
  const findings: Finding[] = []
  const total = FLUX_IMAGE_KINDS.reduce((n, k) => n + (parsed.objects.get(k)?.length ?? 0), 0)
  if (total === 0 && parsed.errors.length === 0) {
    findings.push(finding('FIA405', 'flux get image all printed no objects.', { evidence: ['flux prints nothing and exits 0 when the image CRDs are not installed, as it does for a namespace without image objects'] }))
  }
  for (const e of parsed.errors.filter((x) => x.kind === undefined)) findings.push(finding('FIA406', `flux get image all: ${e.message}`))
  return { id: 'flux-get', stage: 'controllers', title: 'flux get image all lists image objects', status: findings.length > 0 ? 'failed' : 'passed', findings }
}

/**
 * Cross-check: objects whose readiness differs between the API and flux get (another context,
 * a stale kubeconfig, or a status that changed between the two reads).
 */
export function crossCheck(s: Snapshot, parsed: FluxGetOutput): Finding[] {
  const out: Finding[] = []
  for (const kind of FLUX_IMAGE_KINDS) {
    const api = s.objects.get(kind)
    const cli = parsed.objects.get(kind)
    if (s.unavailable.has(kind) || parsed.errors.some((e) => e.kind === kind) || !api) continue
    const readyOf = (o: KObject): string => condition(o, 'Ready')?.status ?? 'none'
    const key = (o: KObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`
    const fromApi = new Map(api.map((o) => [key(o), readyOf(o)]))
    const fromCli = new Map((cli ?? []).map((o) => [key(o), readyOf(o)]))
    const differences: string[] = []
    for (const [k, r] of fromApi) {
      const c = fromCli.get(k)
      if (c === undefined) differences.push(`${k}: listed by the API, not by flux`)
      else if (c !== r) differences.push(`${k}: Ready ${r} in the API, ${c} in flux get`)
    }
    for (const k of fromCli.keys()) if (!fromApi.has(k)) differences.push(`${k}: listed by flux, not by the API`)
    if (differences.length > 0) out.push(finding('FIA407', `${kind}: flux get image all and the API disagree on ${differences.length} object(s).`, { evidence: differences.slice(0, 10) }))
  }
  return out
}
