// Environments read off the tree's layout rather than its names: kustomize overlays that
// build on the same base (apps/staging and apps/production over apps/base), or the paths of
// Flux Kustomizations. One automation that rewrites markers in several of them from an
// unbounded range, pushing straight to the branch the cluster deploys, sends a new major to
// every environment at once, production among them, unreviewed (FIA339).

import { append } from '../append.js'
import { finding } from '../findings/catalogue.js'
import type { Finding } from '../findings/types.js'
import { under } from '../markers/owners.js'
import type { ImagePolicySpec } from '../policy/types.js'
import { rangeRisks } from '../policy/range.js'
import { sameRepository } from './branches.js'
import type { Seen } from './markers.js'
import type { AutomationScan, GitRepositoryRef, Layout, LintObject } from './types.js'

/** The environment directories under `covers`, each with how it was recognised. */
export function environments(layout: Layout, covers: string): Map<string, string> {
  const out = new Map<string, string>()
  const byBase = new Map<string, Set<string>>()
  for (const o of layout.overlays) {
    if (!under(covers, o.dir)) continue
    for (const b of o.bases) {
      // An overlay builds on a directory outside itself.
      if (under(o.dir, b)) continue
      byBase.set(b, (byBase.get(b) ?? new Set()).add(o.dir))
    }
  }
  for (const [base, dirs] of byBase) if (dirs.size >= 2) for (const d of dirs) out.set(d, `overlays of ${base || '.'}`)
  const paths = new Set(layout.kustomizationPaths.filter((p) => under(covers, p) && p !== covers))
  if (paths.size >= 2) for (const p of paths) if (!out.has(p)) out.set(p, 'Flux Kustomization paths')
  return out
}

export function layoutFindings(objects: readonly LintObject[], used: readonly Seen[], layout: Layout, sources: readonly GitRepositoryRef[]): Finding[] {
  const policies = new Map(objects.filter((o) => o.kind === 'ImagePolicy').map((o) => [`${o.namespace}/${o.name}`, o]))
  const byScan = new Map<AutomationScan, Seen[]>()
  for (const u of used) append(byScan, u.scan, u)
  const out: Finding[] = []
  for (const [scan, seen] of byScan) {
    const a = objects.find((o) => o.kind === 'ImageUpdateAutomation' && o.file === scan.object?.file && o.line === scan.object?.line)
    if (!a || !direct(a, sources)) continue
    const envs = environments(layout, scan.covers ?? scan.prefix)
    if (envs.size < 2) continue
    const hit = new Map<string, Set<string>>() // environment → unbounded ranges used there
    for (const { entry } of seen) {
      const p = entry.policy ? policies.get(entry.policy) : undefined
      const range = (p?.spec as ImagePolicySpec | undefined)?.policy?.semver?.range
      if (range === undefined || !rangeRisks(range).unbounded) continue
      const env = [...envs.keys()].filter((d) => under(d, entry.file)).sort((x, y) => y.length - x.length)[0]
      if (env !== undefined) hit.set(env, (hit.get(env) ?? new Set()).add(`${entry.policy} ${range}`))
    }
    if (hit.size < 2) continue
    const names = [...hit.keys()].sort()
    const how = [...new Set(names.map((n) => envs.get(n)))].join('; ')
    const ranges = [...new Set([...hit.values()].flatMap((r) => [...r]))].sort().join(', ')
    const f = finding('FIA339', `${a.namespace}/${a.name} (update.path ${scan.automation.updatePath || '.'}) rewrites markers in ${names.length} environments (${names.join(', ')}: ${how}) from unbounded ranges (${ranges}) and pushes straight to the branch it deploys from: a new major reaches every one of them at once, unreviewed.`, { subject: { kind: 'ImageUpdateAutomation', namespace: a.namespace, name: a.name } })
    f.location = { file: a.file, line: a.line }
    out.push(f)
  }
  return out
}

/** Does the automation push to the branch it checks out, or to one a GitRepository of its repository reconciles? */
function direct(a: LintObject, sources: readonly GitRepositoryRef[]): boolean {
  const spec = a.spec as { sourceRef?: { name?: string; namespace?: string }; git?: { checkout?: { ref?: { branch?: unknown } }; push?: { branch?: unknown } } }
  const push = typeof spec.git?.push?.branch === 'string' && spec.git.push.branch !== '' ? spec.git.push.branch : undefined
  if (push === undefined || push === spec.git?.checkout?.ref?.branch) return true
  const source = sources.find((g) => g.name === spec.sourceRef?.name && g.namespace === (spec.sourceRef?.namespace ?? a.namespace))
  return source?.url !== undefined && sources.some((g) => g.url !== undefined && g.branch === push && sameRepository(g.url, source.url as string))
}
