// Replays an ImagePolicy over a tag list the way image-reflector-controller v1.2 does
// (internal/controller/imagepolicy_controller.go applyPolicy, internal/policy/*):
//
//   scan:   drop tags matching the exclusionList (compile errors fail the scan), store the
//           rest sorted in descending byte order;
//   policy: build the policer (invalid spec → "invalid policy: …"), then "no tags in
//           database", then filterTags (compile error → "failed to filter tags: …"), which
//           maps extracted value → original tag (the last write, i.e. the byte-smallest
//           original, wins a collision) and hands the policer the map's keys in Go's random
//           map order; the policer picks, and the pick is mapped back to its original tag.
//
// Flux walks the stored list in descending byte order. We do not sort: each policer's pick
// over that order is computed in one pass (e.g. semver keeps the first of equal versions,
// which is the byte-largest), so a million tags cost one pass.

import { GoRegexp, GoRegexpSyntaxError } from '../go/regexp.js'
import { compareGoStrings } from '../go/strings.js'
import { ConstraintError } from '../semver/constraints.js'
import { buildPolicer, InvalidPolicy, type Item, type Policer } from './policers/index.js'
import { DEFAULT_EXCLUSION_LIST, type ReplayInput, type ReplayResult, type TagVerdict } from './types.js'

export function replayPolicy(input: ReplayInput): ReplayResult {
  const top = input.top ?? 10
  const notes: string[] = []
  const exclusionList = input.exclusionList && input.exclusionList.length > 0 ? input.exclusionList : DEFAULT_EXCLUSION_LIST

  // Scan: the ImageRepository compiles every exclusion pattern before it lists tags.
  const exclusions: GoRegexp[] = []
  for (const pattern of exclusionList) {
    try {
      exclusions.push(GoRegexp.compile(pattern))
    } catch (e) {
      if (!(e instanceof GoRegexpSyntaxError)) throw e
      return {
        error: `scan failed: failed to compile regex ${pattern}: ${e.message}`,
        errorKind: 'scan-failed',
        tags: [],
        ranking: [],
        notes: ['The ImageRepository cannot scan, so no tag reaches the policy.'],
      }
    }
  }

  const verdicts: TagVerdict[] = []
  const stored: number[] = [] // indexes into verdicts of the tags the scan keeps
  for (const tag of input.tags) {
    let excludedBy: GoRegexp | undefined
    for (const re of exclusions) {
      if (re.matchString(tag)) {
        excludedBy = re
        break
      }
    }
    // Every verdict is created with all its fields, so they share one object shape.
    if (excludedBy) {
      verdicts.push({ tag, verdict: 'excluded', extracted: undefined, reason: `matches exclusionList pattern ${excludedBy.source}` })
    } else {
      stored.push(verdicts.length)
      verdicts.push({ tag, verdict: 'unevaluated', extracted: undefined, reason: undefined })
    }
  }

  let policer: Policer
  try {
    policer = buildPolicer(input.spec)
  } catch (e) {
    if (!(e instanceof ConstraintError || e instanceof InvalidPolicy)) throw e
    return fail(verdicts, stored, `invalid policy: ${e.message}`, 'invalid-policy', 'the policy is invalid', notes)
  }

  if (stored.length === 0) {
    notes.push(input.tags.length === 0 ? 'The tag list is empty.' : 'Every tag was excluded by the exclusionList.')
    return { error: 'no tags in database', errorKind: 'no-tags', policyKind: policer.kind, tags: verdicts, ranking: [], notes }
  }

  // filterTags: present (even with an empty pattern) means the map and its random order.
  const filterTags = input.spec.filterTags
  let items: Item[]
  const filtered = filterTags !== undefined && filterTags !== null
  if (filtered) {
    let re: GoRegexp
    const pattern = filterTags.pattern ?? ''
    try {
      re = GoRegexp.compile(pattern)
    } catch (e) {
      if (!(e instanceof GoRegexpSyntaxError)) throw e
      const msg = `failed to filter tags: invalid regular expression pattern '${pattern}': ${e.message}`
      return { ...fail(verdicts, stored, msg, 'invalid-filter', 'the filter is invalid', notes), policyKind: policer.kind }
    }
    items = applyFilter(re, filterTags.extract ?? '', verdicts, stored)
  } else {
    items = stored.map((i) => ({ key: (verdicts[i] as TagVerdict).tag, index: i }))
  }

  const pick = policer.latest(items, filtered, verdicts)
  for (const note of pick.notes) notes.push(note)
  const result: ReplayResult = { policyKind: policer.kind, tags: verdicts, ranking: [], notes }
  if (pick.error !== undefined) {
    result.error = pick.error
    result.errorKind = 'policy-failed'
    return result
  }
  const winner = pick.winner as Item
  result.latest = (verdicts[winner.index] as TagVerdict).tag
  if (pick.ambiguous) result.ambiguous = pick.ambiguous.map((it) => (verdicts[it.index] as TagVerdict).tag)
  result.ranking = policer.rank(items, top).map((it) => (verdicts[it.index] as TagVerdict).tag)
  return result
}

function fail(verdicts: TagVerdict[], stored: number[], error: string, kind: ReplayResult['errorKind'], why: string, notes: string[]): ReplayResult {
  for (const i of stored) (verdicts[i] as TagVerdict).reason = `not evaluated: ${why}`
  return { error, errorKind: kind, tags: verdicts, ranking: [], notes }
}

// RegexFilter.Apply over the stored list: FindStringSubmatchIndex, then ExpandString when
// extract is set. The map keeps the last original written for a key; walking in Flux's
// descending byte order, that is the byte-smallest original.
function applyFilter(re: GoRegexp, extract: string, verdicts: TagVerdict[], stored: number[]): Item[] {
  const byKey = new Map<string, Item>()
  const items: Item[] = []
  const template = re.template(extract)
  const noMatch = `does not match filterTags.pattern ${re.source}`
  let collisions = 0
  for (const i of stored) {
    const v = verdicts[i] as TagVerdict
    let key: string | undefined
    if (extract === '') key = re.matchString(v.tag) ? v.tag : undefined
    else key = re.expand(template, v.tag)
    if (key === undefined) {
      v.verdict = 'no-match'
      v.reason = noMatch
      continue
    }
    if (extract !== '') v.extracted = key
    const item = byKey.get(key)
    if (item === undefined) {
      const fresh = { key, index: i }
      byKey.set(key, fresh)
      items.push(fresh)
      continue
    }
    collisions++
    const holder = item.index
    const other = verdicts[holder] as TagVerdict
    const [keep, lose] = compareGoStrings(v.tag, other.tag) < 0 ? [i, holder] : [holder, i]
    item.index = keep
    const loser = verdicts[lose] as TagVerdict
    loser.verdict = 'collided'
    loser.reason = `extracts to "${key}" like "${(verdicts[keep] as TagVerdict).tag}", which Flux keeps (the byte-smallest tag wins the map)`
  }
  // Earlier losers may name a tag that later lost too; point them at the final holder.
  for (const i of collisions > 0 ? stored : []) {
    const v = verdicts[i] as TagVerdict
    if (v.verdict === 'collided' && v.extracted !== undefined) {
      const keep = verdicts[(byKey.get(v.extracted) as Item).index] as TagVerdict
      v.reason = `extracts to "${v.extracted}" like "${keep.tag}", which Flux keeps (the byte-smallest tag wins the map)`
    }
  }
  return items
}
