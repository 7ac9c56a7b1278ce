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
import { buildPolicer, InvalidPolicy, type Items, type Policer } from './policers/index.js'
import { DEFAULT_EXCLUSION_LIST, type ReplayInput, type ReplayResult, type TagVerdict } from './types.js'
import { VerdictTable } from './verdicts.js'

/** The library API: the result, whose `tags` are built when first read. */
export function replayPolicy(input: ReplayInput): ReplayResult {
  return replay(input).result
}

/** The replay with its verdict table, for callers that want counts without objects. */
export function replay(input: ReplayInput): { result: ReplayResult; verdicts: VerdictTable } {
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
      const verdicts = new VerdictTable([])
      const result = finish({ error: `scan failed: failed to compile regex ${pattern}: ${e.message}`, errorKind: 'scan-failed', ranking: [], notes: ['The ImageRepository cannot scan, so no tag reaches the policy.'] }, verdicts)
      return { result, verdicts }
    }
  }

  const verdicts = new VerdictTable(input.tags)
  const stored: number[] = [] // the tags the scan keeps
  const exclusionReasons = exclusions.map((re) => `matches exclusionList pattern ${re.source}`)
  for (let i = 0; i < input.tags.length; i++) {
    const tag = input.tags[i] as string
    let excludedBy = -1
    for (let e = 0; e < exclusions.length; e++) {
      if ((exclusions[e] as GoRegexp).matchString(tag)) {
        excludedBy = e
        break
      }
    }
    if (excludedBy >= 0) verdicts.set(i, 'excluded', exclusionReasons[excludedBy])
    else stored.push(i)
  }

  let policer: Policer
  try {
    policer = buildPolicer(input.spec)
  } catch (e) {
    if (!(e instanceof ConstraintError || e instanceof InvalidPolicy)) throw e
    return { result: fail(verdicts, stored, `invalid policy: ${e.message}`, 'invalid-policy', 'the policy is invalid', notes), verdicts }
  }

  if (stored.length === 0) {
    notes.push(input.tags.length === 0 ? 'The tag list is empty.' : 'Every tag was excluded by the exclusionList.')
    return { result: finish({ error: 'no tags in database', errorKind: 'no-tags', policyKind: policer.kind, ranking: [], notes }, verdicts), verdicts }
  }

  // filterTags: present (even with an empty pattern) means the map and its random order.
  const filterTags = input.spec.filterTags
  let items: Items
  const filtered = filterTags !== undefined && filterTags !== null
  if (filtered) {
    let re: GoRegexp
    const pattern = filterTags.pattern ?? ''
    try {
      re = GoRegexp.compile(pattern)
    } catch (e) {
      if (!(e instanceof GoRegexpSyntaxError)) throw e
      const msg = `failed to filter tags: invalid regular expression pattern '${pattern}': ${e.message}`
      const result = fail(verdicts, stored, msg, 'invalid-filter', 'the filter is invalid', notes)
      result.policyKind = policer.kind
      return { result, verdicts }
    }
    items = applyFilter(re, filterTags.extract ?? '', verdicts, stored)
  } else {
    items = { keys: stored.map((i) => input.tags[i] as string), index: stored }
  }

  const pick = policer.latest(items, filtered, verdicts)
  notes.push(...pick.notes)
  const result = finish({ policyKind: policer.kind, ranking: [], notes }, verdicts)
  if (pick.error !== undefined) {
    result.error = pick.error
    result.errorKind = 'policy-failed'
    return { result, verdicts }
  }
  const tagOf = (k: number): string => input.tags[items.index[k] as number] as string
  result.latest = tagOf(pick.winner as number)
  if (pick.ambiguous) result.ambiguous = pick.ambiguous.map(tagOf)
  result.ranking = policer.rank(items, top).map(tagOf)
  return { result, verdicts }
}

// The result's `tags` is an enumerable getter: JSON.stringify includes it, and the objects
// exist only once something reads them.
function finish(partial: Omit<ReplayResult, 'tags'>, verdicts: VerdictTable): ReplayResult {
  let tags: TagVerdict[] | undefined
  return Object.defineProperty(partial, 'tags', {
    enumerable: true,
    get: () => (tags ??= verdicts.toArray()),
  }) as ReplayResult
}

function fail(verdicts: VerdictTable, stored: number[], error: string, kind: ReplayResult['errorKind'], why: string, notes: string[]): ReplayResult {
  const reason = `not evaluated: ${why}`
  for (const i of stored) verdicts.set(i, 'unevaluated', reason)
  return finish({ error, errorKind: kind, ranking: [], notes }, verdicts)
}

// RegexFilter.Apply over the stored list: FindStringSubmatchIndex, then ExpandString when
// extract is set. The map keeps the last original written for a key; walking in Flux's
// descending byte order, that is the byte-smallest original.
function applyFilter(re: GoRegexp, extract: string, verdicts: VerdictTable, stored: number[]): Items {
  const tags = verdicts.tags
  const byKey = new Map<string, number>() // key → item position
  const items: Items = { keys: [], index: [] }
  const template = re.template(extract)
  const noMatch = `does not match filterTags.pattern ${re.source}`
  const collided: number[] = []
  for (const i of stored) {
    const tag = tags[i] as string
    let key: string | undefined
    if (extract === '') key = re.matchString(tag) ? tag : undefined
    else key = re.expand(template, tag)
    if (key === undefined) {
      verdicts.set(i, 'no-match', noMatch)
      continue
    }
    if (extract !== '') verdicts.setExtracted(i, key)
    const k = byKey.get(key)
    if (k === undefined) {
      byKey.set(key, items.keys.length)
      items.keys.push(key)
      items.index.push(i)
      continue
    }
    const holder = items.index[k] as number
    const keepNew = compareGoStrings(tag, tags[holder] as string) < 0
    if (keepNew) items.index[k] = i
    const lose = keepNew ? holder : i
    verdicts.set(lose, 'collided', undefined)
    collided.push(lose)
  }
  // Name the tag each loser lost to, once the final holder of its key is known.
  for (const lose of collided) {
    const key = extract === '' ? (tags[lose] as string) : (verdicts.at(lose).extracted as string)
    const keep = tags[items.index[byKey.get(key) as number] as number]
    verdicts.setReason(lose, `extracts to "${key}" like "${keep}", which Flux keeps (the byte-smallest tag wins the map)`)
  }
  return items
}
