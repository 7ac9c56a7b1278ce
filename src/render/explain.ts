// Text rendering of a PolicyExplanation.

import type { PolicyExplanation } from '../core/policy/explain.js'
import { REJECTED, type VerdictTable } from '../core/policy/verdicts.js'
import { nameList } from '../core/name-list.js'
import { columnLines } from './columns.js'

export type Show = 'auto' | 'all' | 'candidates' | 'rejected'

/** The text, in pieces: with --show all, a million tags make more text than one string holds. */
export function* renderExplanation(x: PolicyExplanation, verdicts: VerdictTable, show: Show, limit: number | undefined): Generator<string> {
  const r = x.replay
  const spec = x.policy.spec
  const choice = spec.policy?.semver ? `semver "${spec.policy.semver.range ?? ''}"` : spec.policy?.alphabetical ? `alphabetical ${spec.policy.alphabetical.order ?? 'asc'}` : spec.policy?.numerical ? `numerical ${spec.policy.numerical.order ?? 'asc'}` : 'no policy choice'
  let out = `ImagePolicy ${qualified(x.policy)} (${choice})\n`
  if (spec.filterTags) out += `filterTags   pattern ${spec.filterTags.pattern ?? ''}${spec.filterTags.extract ? `  extract ${spec.filterTags.extract}` : ''}\n`
  if (x.repository) out += `ImageRepository ${qualified(x.repository)}${x.repository.image ? '  ' + x.repository.image : ''}\n`
  out += `Tags         ${x.tagSource.count} from ${x.tagSource.description}\n`
  out += r.error !== undefined ? `Result       no tag: ${r.error}\n` : `Result       ${r.latest}${r.ambiguous ? `  (or any of ${nameList(r.ambiguous)}: Go map order decides)` : ''}\n`
  if (x.digest) out += `Digest       ${x.digest}\n`
  if (x.cluster) {
    const ref = x.cluster.latestRef
    const refText = ref?.tag ? `${ref.name ?? ''}:${ref.tag}${ref.digest ? '@' + ref.digest : ''}` : '(none)'
    const verdict = { same: 'same as the replay', different: 'differs from the replay', stale: 'stale: kept while the policy fails', 'no-latest-ref': 'not set yet' }[x.cluster.comparison]
    out += `Cluster      ${x.cluster.pickField ?? 'latestRef'} ${refText}  ${verdict}\n`
    if (x.cluster.ready) out += `             Ready=${x.cluster.ready.status} ${x.cluster.ready.reason ?? ''}: ${x.cluster.ready.message ?? ''}\n`
  }
  yield out + '\n'
  yield* renderTags(verdicts, r.ranking, show, limit)
}

function qualified(o: { namespace?: string; name: string }): string {
  return `${o.namespace ? o.namespace + '/' : ''}${o.name}`
}

function* renderTags(table: VerdictTable, ranking: string[], show: Show, limit: number | undefined): Generator<string> {
  const total = table.length
  const mode = show === 'auto' ? (total <= 30 ? 'all' : 'candidates') : show
  const max = limit ?? (show === 'auto' || show === 'candidates' ? 20 : 0)
  const cap = max > 0 ? max : Infinity
  // The rows shown, by index: a verdict object is made for a row only as it is printed.
  let indexes: () => Iterable<number>
  let count: number
  if (mode === 'candidates') {
    const rank = new Map(ranking.map((t, i) => [t, i]))
    const tags = table.tags
    const list = table
      .find(['winner', 'candidate', 'tied'])
      .filter((i) => rank.has(tags[i] as string))
      .sort((a, b) => (rank.get(tags[a] as string) as number) - (rank.get(tags[b] as string) as number))
      .slice(0, cap)
    indexes = () => list
    count = list.length
  } else if (mode === 'rejected') {
    const list = table.find([...REJECTED], cap)
    indexes = () => list
    count = list.length
  } else {
    count = Math.min(total, cap)
    indexes = function* () {
      for (let i = 0; i < count; i++) yield i
    }
  }
  const hasExtract = table.hasExtracted()
  const header = hasExtract ? ['TAG', 'VERDICT', 'EXTRACTED', 'REASON'] : ['TAG', 'VERDICT', 'REASON']
  const rows = function* (): Generator<string[]> {
    for (const i of indexes()) {
      const t = table.at(i)
      yield hasExtract ? [t.tag, t.verdict, t.extracted ?? '', t.reason ?? ''] : [t.tag, t.verdict, t.reason ?? '']
    }
  }
  if (count > 0) yield* columnLines(header, rows)
  else yield `No ${mode === 'all' ? '' : mode + ' '}tags.\n`
  const summary = [...table.tally()].map(([v, n]) => `${n} ${v}`).join(', ')
  let out = `\n${count} of ${total} tag(s) shown (${mode}); ${summary}.`
  if (count < total) out += ' Use --show all|candidates|rejected and --limit N (0 = no limit) to see more.'
  yield out + '\n'
}
