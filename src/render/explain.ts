// Text rendering of a PolicyExplanation.

import type { PolicyExplanation } from '../core/policy/explain.js'
import type { TagVerdict, Verdict } from '../core/policy/types.js'
import { columns } from './columns.js'

export type Show = 'auto' | 'all' | 'candidates' | 'rejected'

const REJECTED: ReadonlySet<Verdict> = new Set(['excluded', 'no-match', 'collided', 'unevaluated', 'not-a-version', 'prerelease-excluded', 'out-of-range', 'not-numeric'])

export function renderExplanation(x: PolicyExplanation, show: Show, limit: number | undefined): string {
  const r = x.replay
  const spec = x.policy.spec
  const choice = spec.policy?.semver ? `semver "${spec.policy.semver.range ?? ''}"` : spec.policy?.alphabetical ? `alphabetical ${spec.policy.alphabetical.order ?? 'asc'}` : spec.policy?.numerical ? `numerical ${spec.policy.numerical.order ?? 'asc'}` : 'no policy choice'
  let out = `ImagePolicy ${qualified(x.policy)} (${choice})\n`
  if (spec.filterTags) out += `filterTags   pattern ${spec.filterTags.pattern ?? ''}${spec.filterTags.extract ? `  extract ${spec.filterTags.extract}` : ''}\n`
  if (x.repository) out += `ImageRepository ${qualified(x.repository)}${x.repository.image ? '  ' + x.repository.image : ''}\n`
  out += `Tags         ${x.tagSource.count} from ${x.tagSource.description}\n`
  out += r.error !== undefined ? `Result       no tag: ${r.error}\n` : `Result       ${r.latest}${r.ambiguous ? `  (or any of ${r.ambiguous.join(', ')}: Go map order decides)` : ''}\n`
  if (x.cluster) {
    const ref = x.cluster.latestRef
    const refText = ref?.tag ? `${ref.name ?? ''}:${ref.tag}${ref.digest ? '@' + ref.digest : ''}` : '(none)'
    const verdict = { same: 'same as the replay', different: 'differs from the replay', stale: 'stale: kept while the policy fails', 'no-latest-ref': 'not set yet' }[x.cluster.comparison]
    out += `Cluster      latestRef ${refText}  ${verdict}\n`
    if (x.cluster.ready) out += `             Ready=${x.cluster.ready.status} ${x.cluster.ready.reason ?? ''}: ${x.cluster.ready.message ?? ''}\n`
  }
  out += '\n' + renderTags(r.tags, r.ranking, show, limit)
  return out
}

function qualified(o: { namespace?: string; name: string }): string {
  return `${o.namespace ? o.namespace + '/' : ''}${o.name}`
}

function renderTags(tags: TagVerdict[], ranking: string[], show: Show, limit: number | undefined): string {
  const mode = show === 'auto' ? (tags.length <= 30 ? 'all' : 'candidates') : show
  let selected: TagVerdict[]
  if (mode === 'candidates') {
    const wanted = new Set(ranking)
    const byTag = new Map<string, TagVerdict>()
    for (const t of tags) if (wanted.has(t.tag)) byTag.set(t.tag, t)
    selected = ranking.map((t) => byTag.get(t)).filter((t): t is TagVerdict => t !== undefined)
  } else {
    selected = mode === 'rejected' ? tags.filter((t) => REJECTED.has(t.verdict)) : tags
  }
  const max = limit ?? (show === 'auto' || show === 'candidates' ? 20 : 0)
  const shown = max > 0 ? selected.slice(0, max) : selected
  const hasExtract = tags.some((t) => t.extracted !== undefined)
  const header = hasExtract ? ['TAG', 'VERDICT', 'EXTRACTED', 'REASON'] : ['TAG', 'VERDICT', 'REASON']
  const rows = shown.map((t) => (hasExtract ? [t.tag, t.verdict, t.extracted ?? '', t.reason ?? ''] : [t.tag, t.verdict, t.reason ?? '']))
  let out = rows.length > 0 ? columns(header, rows) : `No ${mode === 'all' ? '' : mode + ' '}tags.\n`
  const tally = new Map<Verdict, number>()
  for (const t of tags) tally.set(t.verdict, (tally.get(t.verdict) ?? 0) + 1)
  const summary = [...tally].map(([v, n]) => `${n} ${v}`).join(', ')
  out += `\n${shown.length} of ${tags.length} tag(s) shown (${mode}); ${summary}.`
  if (shown.length < tags.length) out += ' Use --show all|candidates|rejected and --limit N (0 = no limit) to see more.'
  return out + '\n'
}
