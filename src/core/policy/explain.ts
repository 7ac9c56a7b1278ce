// explain policy, as a pure function: replay the policy, compare with what the cluster
// shows, and turn what is wrong or risky into findings.

import { finding } from '../findings/catalogue.js'
import { policyPick } from '../flux/pick.js'
import { compareGoStrings } from '../go/strings.js'
import type { Finding, Subject } from '../findings/types.js'
import { rangeRisks } from './range.js'
import { replay as runReplay } from './replay.js'
import type { ImagePolicySpec, PolicyKind, ReplayResult, Verdict } from './types.js'
import type { VerdictTable } from './verdicts.js'

export interface ObjectMeta {
  name: string
  namespace?: string
}

export interface ImageRef {
  name?: string
  tag?: string
  digest?: string
}

export interface ImagePolicyObject {
  metadata: ObjectMeta
  spec: ImagePolicySpec
  /** latestImage: image-reflector-controller ≤ v0.34 (Flux ≤ 2.5) holds the pick there. */
  status?: { latestRef?: ImageRef; latestImage?: string; conditions?: Condition[] }
}

export interface ImageRepositoryObject {
  metadata: ObjectMeta
  spec?: {
    image?: string
    exclusionList?: string[]
    insecure?: boolean
    provider?: string
    secretRef?: { name: string }
    certSecretRef?: { name: string }
  }
  status?: { lastScanResult?: { latestTags?: string[]; tagCount?: number; scanTime?: string } }
}

export interface Condition {
  type: string
  status: string
  reason?: string
  message?: string
}

/**
 * The most distinct tags explain policy replays (README, Limits): a verdict per tag, and the
 * JSON of 3 million, take about 1.3 GB; past this a list ends in a coded error, not in a heap
 * exhausted minutes later.
 */
export const TAG_LIMIT = 5_000_000

/** Where the tags came from. `complete` is false when it is known to be a subset. */
export interface TagSource {
  kind: 'file' | 'status' | 'registry'
  description: string
  tags: string[]
  complete: boolean
}

export interface PolicyExplanation {
  policy: { namespace?: string; name: string; kind?: PolicyKind; spec: ImagePolicySpec }
  repository?: { namespace?: string; name: string; image?: string; exclusionList?: string[] }
  tagSource: { kind: TagSource['kind']; description: string; count: number; complete: boolean }
  replay: ReplayResult
  /** The digest Flux would record for the winner (digestReflectionPolicy), from the registry. */
  digest?: string
  cluster?: {
    latestRef?: ImageRef
    /** The status field the pick was read from when it is not latestRef (Flux ≤ 2.5). */
    pickField?: 'latestImage'
    ready?: Condition
    /** same: the replay agrees; stale: the policy fails and Flux keeps an old ref; different. */
    comparison: 'same' | 'different' | 'stale' | 'no-latest-ref'
  }
}

export interface ExplainInput {
  policy: ImagePolicyObject
  repository?: ImageRepositoryObject
  tags: TagSource
  /** True when the policy was read from the cluster (its status is the cluster's). */
  fromCluster: boolean
  top?: number
}

const WORD_TAGS = /^(latest|main|master|dev|develop|development|staging|stage|stable|prod|production|edge|nightly|head|release|test|canary)$/i

export function explainPolicy(input: ExplainInput): { result: PolicyExplanation; findings: Finding[]; verdicts: VerdictTable } {
  const { policy, repository } = input
  const { result: replay, verdicts } = runReplay({ spec: policy.spec, tags: input.tags.tags, exclusionList: repository?.spec?.exclusionList, top: input.top })
  const subject: Subject = { kind: 'ImagePolicy', name: policy.metadata.name, ...(policy.metadata.namespace ? { namespace: policy.metadata.namespace } : {}) }
  const repoSubject: Subject | undefined = repository
    ? { kind: 'ImageRepository', name: repository.metadata.name, ...(repository.metadata.namespace ? { namespace: repository.metadata.namespace } : {}) }
    : undefined

  const findings: Finding[] = [...replayFindings(replay, verdicts, subject, repoSubject), ...riskFindings(policy.spec, replay, verdicts, subject, repository?.spec?.exclusionList)]
  if (!input.tags.complete) {
    findings.push(finding('FIA112', `Replayed over ${input.tags.tags.length} tag(s) from ${input.tags.description}; Flux keeps at most ten there, sorted as strings, so the winner over the full list may differ.`, { subject: repoSubject ?? subject }))
  }

  const result: PolicyExplanation = {
    policy: { name: policy.metadata.name, ...(policy.metadata.namespace ? { namespace: policy.metadata.namespace } : {}), ...(replay.policyKind ? { kind: replay.policyKind } : {}), spec: policy.spec },
    tagSource: { kind: input.tags.kind, description: input.tags.description, count: input.tags.tags.length, complete: input.tags.complete },
    replay,
  }
  if (repository) {
    result.repository = { name: repository.metadata.name, ...(repository.metadata.namespace ? { namespace: repository.metadata.namespace } : {}), ...(repository.spec?.image ? { image: repository.spec.image } : {}), ...(repository.spec?.exclusionList ? { exclusionList: repository.spec.exclusionList } : {}) }
  }
  if (input.fromCluster) {
    const pick = policyPick(policy.status)
    const latestRef: ImageRef | undefined = pick?.ref ?? policy.status?.latestRef
    const field = pick?.field ?? 'latestRef'
    const ready = policy.status?.conditions?.find((c) => c.type === 'Ready')
    const comparison = !latestRef?.tag ? 'no-latest-ref' : replay.error !== undefined ? 'stale' : isPossiblePick(replay, latestRef.tag) ? 'same' : 'different'
    result.cluster = { comparison, ...(latestRef ? { latestRef } : {}), ...(field === 'latestImage' ? { pickField: field } : {}), ...(ready ? { ready } : {}) }
    const from = field === 'latestImage' ? ['read from status.latestImage, where image-reflector-controller ≤ v0.34 (Flux ≤ 2.5) keeps the pick'] : []
    if (comparison === 'stale') {
      findings.push(finding('FIA111', `Flux cannot select a tag (${replay.error}) but status.${field} still holds ${refString(latestRef)}; automations keep writing it.`, { subject, evidence: [...(ready ? [`Ready=${ready.status} ${ready.reason ?? ''}: ${ready.message ?? ''}`] : []), ...from] }))
    } else if (comparison === 'different') {
      findings.push(finding('FIA110', `The replay picks ${replay.latest} but status.${field} is ${refString(latestRef)}.`, { subject, evidence: [input.tags.complete ? 'The replay used a complete tag list: the policy has not reconciled since these tags appeared, or it is suspended.' : 'The replay used an incomplete tag list.', ...from] }))
    }
  }
  return { result, findings, verdicts }
}

function isPossiblePick(replay: ReplayResult, tag: string): boolean {
  return replay.latest === tag || (replay.ambiguous?.includes(tag) ?? false)
}

function refString(ref: ImageRef | undefined): string {
  if (!ref) return '(none)'
  return `${ref.name ?? ''}:${ref.tag ?? ''}${ref.digest ? '@' + ref.digest : ''}`
}

function examples(table: VerdictTable, verdicts: Verdict[], max = 5): string[] {
  return table.find(verdicts, max).map((i) => {
    const t = table.at(i)
    return `${t.tag}: ${t.verdict}${t.reason ? ' (' + t.reason + ')' : ''}`
  })
}

function replayFindings(replay: ReplayResult, table: VerdictTable, subject: Subject, repoSubject: Subject | undefined): Finding[] {
  const msg = replay.error
  if (msg === undefined) return []
  switch (replay.errorKind) {
    case 'scan-failed':
      return [finding('FIA101', msg, { subject: repoSubject ?? subject })]
    case 'invalid-policy':
      return [finding('FIA102', msg, { subject })]
    case 'no-tags':
      return [finding('FIA103', msg, { subject, evidence: examples(table, ['excluded']) })]
    case 'invalid-filter':
      return [finding('FIA104', msg, { subject })]
    default:
      break
  }
  if (msg.startsWith('failed to parse invalid numeric value')) {
    return [finding('FIA107', msg, { subject, evidence: examples(table, ['not-numeric']) })]
  }
  if (msg === 'version list argument cannot be empty') {
    return [finding('FIA106', msg, { subject, evidence: examples(table, ['no-match']) })]
  }
  const counts = table.tally()
  const tally = (['prerelease-excluded', 'out-of-range', 'not-a-version'] as const).map((v) => `${counts.get(v) ?? 0} ${v}`).join(', ')
  return [finding('FIA105', `${msg} (${tally})`, { subject, evidence: examples(table, ['prerelease-excluded', 'out-of-range', 'not-a-version']) })]
}

function riskFindings(spec: ImagePolicySpec, replay: ReplayResult, table: VerdictTable, subject: Subject, exclusionList: readonly string[] | undefined): Finding[] {
  const out: Finding[] = []
  const range = spec.policy?.semver?.range
  if (replay.policyKind === 'semver' && range !== undefined) {
    const risks = rangeRisks(range)
    if (risks.unbounded) out.push(finding('FIA120', `Range "${range}" admits every later major version.`, { subject }))
    if (risks.prerelease) out.push(finding('FIA121', `Range "${range}" names a pre-release, so its part of the range admits every pre-release.`, { subject }))
  }
  const order = (spec.policy?.alphabetical ?? spec.policy?.numerical)?.order
  if ((replay.policyKind === 'alphabetical' || replay.policyKind === 'numerical') && order?.toLowerCase() === 'desc') {
    out.push(finding('FIA123', `order: desc makes the ${replay.policyKind} policy pick the smallest value${replay.latest ? ` (${replay.latest})` : ''}.`, { subject }))
  }
  if (replay.policyKind === 'alphabetical') {
    const words = table
      .find(['candidate', 'winner'])
      .map((i) => table.at(i))
      .filter((t) => isWordTag(t.extracted ?? t.tag))
    if (words.length > 0) out.push(finding('FIA122', `${words.length} candidate(s) are not sortable versions: ${words.slice(0, 5).map((t) => t.tag).join(', ')}.`, { subject, evidence: words.slice(0, 5).map((t) => `${t.tag}: ${t.verdict}`) }))
  }
  if (replay.policyKind === 'alphabetical' && replay.latest !== undefined) {
    const beaten = numericallyLarger(table, replay.latest)
    if (beaten) out.push(finding('FIA131', `The alphabetical pick is ${replay.latest}, but ${beaten.tag} is larger as a number: as text, "9" sorts after "10".`, { subject, evidence: [`${beaten.tag}: ${beaten.verdict}`] }))
  }
  if (replay.latest !== undefined && COSIGN_ARTIFACT.test(replay.latest)) {
    out.push(finding('FIA132', `The policy picks ${replay.latest}, a cosign ${replay.latest.endsWith('.sig') ? 'signature' : replay.latest.endsWith('.att') ? 'attestation' : 'SBOM'} tag: automations would write it as the image tag.`, { subject, ...(exclusionList && exclusionList.length > 0 ? { evidence: [`exclusionList ${exclusionList.join(', ')} replaces Flux's default ^.*\\.sig$`] } : {}) }))
  }
  const pattern = spec.filterTags?.pattern
  if (pattern && !(pattern.startsWith('^') && pattern.endsWith('$'))) {
    out.push(finding('FIA124', `filterTags.pattern ${pattern} matches anywhere in a tag.`, { subject }))
  }
  const collided = table.tally().get('collided') ?? 0
  if (collided > 0) out.push(finding('FIA125', `${collided} tag(s) lost to another tag with the same extracted value.`, { subject, evidence: examples(table, ['collided']) }))
  if (replay.ambiguous) out.push(finding('FIA126', `Flux may pick any of: ${replay.ambiguous.slice(0, 5).join(', ')}.`, { subject, evidence: replay.notes }))
  return out
}

// What cosign pushes beside an image: sha256-<digest>.sig, .att and .sbom.
const COSIGN_ARTIFACT = /^sha256-[0-9a-f]{64}\.(sig|att|sbom)$/

/**
 * The candidate that beats the alphabetical winner when digit runs are compared as numbers
 * (v10.00 over v9.99), if any: the pick is then an accident of string order.
 */
function numericallyLarger(table: VerdictTable, winner: string): { tag: string; verdict: string } | undefined {
  let best: { tag: string; key: string; verdict: string } | undefined
  let winnerKey: string | undefined
  for (const i of table.find(['candidate', 'winner'])) {
    const t = table.at(i)
    const key = t.extracted ?? t.tag
    if (t.tag === winner) winnerKey = key
    if (!/[0-9]/.test(key)) continue
    if (!best || compareNatural(key, best.key) > 0) best = { tag: t.tag, key, verdict: t.verdict }
  }
  if (!best || winnerKey === undefined || best.tag === winner || compareNatural(best.key, winnerKey) <= 0) return undefined
  return { tag: best.tag, verdict: best.verdict }
}

// Digit runs compared by value (leading zeros ignored), everything else as Go compares strings.
function compareNatural(a: string, b: string): number {
  const ra = a.match(/[0-9]+|[^0-9]+/g) ?? []
  const rb = b.match(/[0-9]+|[^0-9]+/g) ?? []
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i] as string
    const y = rb[i] as string
    const dx = /^[0-9]/.test(x)
    const dy = /^[0-9]/.test(y)
    let c: number
    if (dx && dy) {
      const nx = x.replace(/^0+(?=.)/, '')
      const ny = y.replace(/^0+(?=.)/, '')
      c = nx.length !== ny.length ? nx.length - ny.length : compareGoStrings(nx, ny)
    } else c = compareGoStrings(x, y)
    if (c !== 0) return c
  }
  return ra.length - rb.length
}

function isWordTag(tag: string): boolean {
  return WORD_TAGS.test(tag) || !/[0-9]/.test(tag)
}
