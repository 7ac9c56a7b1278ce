// Markers, linted with the marker trace: every automation in the repository traces its own
// update.path against the repository's ImagePolicies, and each marker is judged by the
// automation that can use it (else the one of its namespace, else any that sees it); a marker
// under no automation's update.path is reported as such (FIA320). Without
// a cluster there is no latestRef, so each policy gets a stand-in: its repository's image, a
// placeholder tag, and a digest only when spec.digestReflectionPolicy reflects one — which
// is exactly what makes a ":digest" marker on a policy without it blank (FIA332).

import { finding } from '../findings/catalogue.js'
import type { Finding } from '../findings/types.js'
import { type GitTarget, overlapMessage, type Writer } from '../markers/owners.js'
import { entryFindings } from '../markers/findings.js'
import { type MarkerEntry, traceMarkers } from '../markers/trace.js'
import type { ParseOutcome } from '../markers/yaml-file.js'
import { nameList } from '../name-list.js'
import type { PolicyLike } from '../markers/setters.js'
import type { AutomationScan, LintInput, LintObject } from './types.js'

const PLACEHOLDER_TAG = '0.0.0-lint'
// For a policy whose ImageRepository is not here (or holds no valid image).
const PLACEHOLDER_IMAGE = 'lint.invalid/image'
const PLACEHOLDER_DIGEST = 'sha256:' + '0'.repeat(64)

export function standInPolicies(objects: readonly LintObject[]): PolicyLike[] {
  const images = new Map(objects.filter((o) => o.kind === 'ImageRepository').map((o) => [`${o.namespace}/${o.name}`, o.spec.image]))
  return objects
    .filter((o) => o.kind === 'ImagePolicy')
    .map((o) => {
      const spec = o.spec as { imageRepositoryRef?: { name?: string; namespace?: string }; digestReflectionPolicy?: string }
      const image = images.get(`${spec.imageRepositoryRef?.namespace ?? o.namespace}/${spec.imageRepositoryRef?.name ?? ''}`)
      const reflects = spec.digestReflectionPolicy === 'IfNotPresent' || spec.digestReflectionPolicy === 'Always'
      return {
        metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
        status: { latestRef: { name: typeof image === 'string' && /^[a-z0-9._\-/:]+$/.test(image) ? image : PLACEHOLDER_IMAGE, tag: PLACEHOLDER_TAG, ...(reflects ? { digest: PLACEHOLDER_DIGEST } : {}) } },
      }
    })
}

export interface Seen {
  entry: MarkerEntry
  scan: AutomationScan
}

export function lintMarkers(input: Pick<LintInput, 'objects' | 'scans' | 'everything' | 'unread' | 'defaultNamespace'>): { findings: Finding[]; markers: number; files: string[]; used: Seen[] } {
  const policies = standInPolicies(input.objects)
  const byKey = new Map<string, Seen[]>()
  const seenFiles = new Set<string>()
  // One parse per file for all the traces below (one per automation, or per namespace).
  const parsed = new Map<string, ParseOutcome>()
  const run = (scan: AutomationScan): MarkerEntry[] => {
    const entries = traceMarkers(scan.automation, policies, scan.snapshot, parsed).entries
    for (const e of entries) {
      // The stand-in tag says nothing about versions (no FIA335), and a placeholder image
      // nothing about the repository (no FIA334).
      const placeholder = e.next?.startsWith(PLACEHOLDER_IMAGE) === true
      const warnings = e.warnings.filter((w) => w.code !== 'FIA335' && !(placeholder && w.code === 'FIA334'))
      const entry = { ...e, file: scan.prefix ? `${scan.prefix}/${e.file}` : e.file, warnings }
      seenFiles.add(entry.file)
      // A line holds at most one comment, so one marker; columns differ between a parsed
      // marker (its value) and a raw one (its '#').
      const key = `${entry.file}:${entry.line}`
      const seen = byKey.get(key)
      if (seen) seen.push({ entry, scan })
      else byKey.set(key, [{ entry, scan }])
    }
    return entries
  }
  const whole: AutomationScan = { automation: { namespace: input.defaultNamespace }, prefix: '', snapshot: input.everything, unread: input.unread }
  if (input.scans.length > 0) input.scans.forEach(run)
  else {
    // No automation here: judge each marker as if one existed in the namespace it names
    // (its policies must still exist there).
    const namespaces = new Set(policies.map((p) => p.metadata.namespace ?? input.defaultNamespace))
    for (const e of run(whole)) if (e.setter?.includes(':')) namespaces.add(e.setter.split(':')[0] as string)
    namespaces.delete(input.defaultNamespace)
    for (const namespace of namespaces) run({ ...whole, automation: { namespace } })
  }
  const chosen = [...byKey.values()].map(judge)
  const findings = overlaps(byKey)
  // Markers in files no automation reads.
  if (input.scans.length > 0) {
    const paths = nameList(input.scans.map((s) => `${s.automation.namespace}/${s.automation.name ?? ''}: ${s.automation.updatePath || '.'}`))
    const message = `the file is outside the update.path of ${input.scans.length === 1 ? 'the only automation here' : 'every automation here'} (${paths}), relative to the linted directory`
    const unseen = { files: input.everything.files.filter((f) => !seenFiles.has(f.path)), skipped: input.everything.skipped.filter((f) => !seenFiles.has(f.path)) }
    for (const e of traceMarkers(whole.automation, [], unseen, parsed).entries) chosen.push({ ...e, status: 'ignored', reason: { code: 'FIA320', message }, warnings: [] })
  }
  chosen.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column))
  const used = [...byKey.values()].flatMap((seen) => seen.filter((x) => x.entry.status !== 'ignored'))
  return { findings: [...findings, ...entryFindings(chosen)], markers: chosen.length, files: chosen.map((e) => e.file), used }
}

function judge(seen: Seen[]): MarkerEntry {
  const usable = seen.find((s) => s.entry.status !== 'ignored')
  if (usable) return usable.entry
  const inScope = seen.filter((s) => s.entry.reason?.code !== 'FIA320')
  const own = inScope.find((s) => s.entry.setter !== undefined && s.entry.setter.split(':')[0] === s.scan.automation.namespace)
  return (own ?? inScope[0] ?? (seen[0] as Seen)).entry
}

/**
 * Markers two automations both use, when both push to the same branch of the same
 * GitRepository: one FIA337 per pair, at the automation defined last.
 */
function overlaps(byKey: ReadonlyMap<string, Seen[]>): Finding[] {
  const pairs = new Map<string, { a: AutomationScan; b: AutomationScan; files: Set<string> }>()
  const id = (s: AutomationScan): string => `${s.automation.namespace}/${s.automation.name ?? ''}`
  for (const seen of byKey.values()) {
    const using = seen.filter((s) => s.entry.status !== 'ignored' && s.scan.automation.git && s.scan.object)
    for (let i = 0; i < using.length; i++) {
      for (let j = i + 1; j < using.length; j++) {
        const [a, b] = [(using[i] as Seen).scan, (using[j] as Seen).scan]
        const ga = a.automation.git as GitTarget
        const gb = b.automation.git as GitTarget
        if (id(a) === id(b) || ga.repository !== gb.repository || ga.branch !== gb.branch) continue
        const key = `${id(a)}\0${id(b)}`
        const pair = pairs.get(key) ?? { a, b, files: new Set<string>() }
        pair.files.add((using[i] as Seen).entry.file)
        pairs.set(key, pair)
      }
    }
  }
  return [...pairs.values()].map(({ a, b, files }) => {
    const writer = (s: AutomationScan): Writer => ({ id: id(s), updatePath: s.automation.updatePath ?? '', covers: s.covers ?? s.prefix, git: s.automation.git as GitTarget })
    const at = (a.object as { file: string; line: number }).file <= (b.object as { file: string; line: number }).file ? b : a
    const f = finding('FIA337', overlapMessage(writer(a), writer(b), [...files].sort()), { subject: { kind: 'ImageUpdateAutomation', namespace: at.automation.namespace, name: at.automation.name ?? '' } })
    f.location = at.object as { file: string; line: number }
    return f
  })
}
