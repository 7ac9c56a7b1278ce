// One function per kind, each a list of rules over the object's spec alone: no cluster, no
// tags. Every finding points at the object's file and line.

import { finding, type FindingCodeId } from '../findings/catalogue.js'
import type { Finding } from '../findings/types.js'
import { durationMs } from '../go/duration.js'
import { compileTemplate } from '../go/expand.js'
import { GoRegexp, GoRegexpSyntaxError } from '../go/regexp.js'
import { Automaton } from '../go/automaton.js'
import { type Node, parseSubset } from '../go/regexp-subset.js'
import { buildSetters, type LabelSelector } from '../markers/setters.js'
import { buildPolicer, InvalidPolicy } from '../policy/policers/index.js'
import { rangeRisks } from '../policy/range.js'
import { DEFAULT_EXCLUSION_LIST, type ImagePolicySpec, type PolicyKind } from '../policy/types.js'
import { CLOUD_REGISTRY, cloudOf, parseImage } from '../registry/image.js'
import { ConstraintError } from '../semver/constraints.js'
import { nameList } from '../name-list.js'
import { looksLikeProduction } from './environment.js'
import type { LintObject } from './types.js'
import { assumedText, type FluxVersion, unknownFluxVersion } from '../flux/detect.js'
import { apiSupport, fluxMinor, minorsServing, minorsText, NEWEST_MINOR, preferredApi } from '../flux/versions.js'

export const CURRENT_API_VERSION = 'image.toolkit.fluxcd.io/v1'
/** Scans more often than this are reported (FIA216). */
export const MIN_SCAN_INTERVAL_MS = 60_000

/**
 * Tags that are not versions but often sit in a registry, and that an alphabetical pick ranks
 * above digits: words, and cosign's attestation and SBOM tags (the default exclusionList
 * drops only .sig).
 */
const COSIGN = 'sha256-' + '0123456789abcdef'.repeat(4)
const WORD_TAGS = ['latest', 'main', 'master', 'dev', 'stable', 'edge', 'nightly', `${COSIGN}.att`, `${COSIGN}.sbom`]

type Emit = (code: FindingCodeId, message: string, evidence?: string[], fix?: string) => void

export interface LintOptions {
  /** The Flux version the manifests are for; unknown judges by the newest release. */
  fluxVersion?: FluxVersion
  /** False for objects read from a cluster: their apiVersion is the one the tool asked for. */
  apiVersions?: boolean
}

/** Every object's rules, and the rules across them. */
export function lintObjects(objects: readonly LintObject[], options: LintOptions = {}): Finding[] {
  const repositories = new Map(objects.filter((o) => o.kind === 'ImageRepository').map((o) => [`${o.namespace}/${o.name}`, o]))
  return [...objects.flatMap((o) => objectFindings(o, repositories, options)), ...crossFindings(objects)]
}

function objectFindings(o: LintObject, repositories: ReadonlyMap<string, LintObject>, options: LintOptions): Finding[] {
  const out: Finding[] = []
  const emit: Emit = (code, message, evidence, fix) => {
    const f = finding(code, message, { subject: { kind: o.kind, namespace: o.namespace, name: o.name }, ...(evidence ? { evidence } : {}), ...(fix ? { fix } : {}) })
    f.location = { file: o.file, line: o.line }
    out.push(f)
  }
  const version = options.fluxVersion ?? unknownFluxVersion()
  if (options.apiVersions !== false) apiVersionRule(o, version, emit)
  if (o.kind === 'ImageRepository') repositoryRules(o, emit)
  else if (o.kind === 'ImagePolicy') policyRules(o, emit, repositories, version)
  else automationRules(o, emit, version)
  return out
}

// FIA504 only where the version in use really does not serve the apiVersion; FIA507 where it is
// deprecated there, or (the version unknown) where the newest Flux no longer serves it.
function apiVersionRule(o: LintObject, v: FluxVersion, emit: Emit): void {
  const minors = v.known ? v.minors : [NEWEST_MINOR]
  const support = minors.map((m) => apiSupport(m, o.kind, o.apiVersion))
  const serving = minorsServing(o.kind, o.apiVersion)
  const servedBy = serving.length > 0 ? `${o.apiVersion} is served by ${minorsText(serving)}` : `${o.apiVersion} is served by no Flux 2.x`
  const evidence = [assumedText(v), servedBy]
  const write = preferredApi(o.kind, minors)
  if (v.known && support.every((x) => x === 'not-served')) {
    const upgrade = serving.length > 0 && Math.min(...serving) > Math.max(...minors)
    emit('FIA504', `apiVersion ${o.apiVersion}: ${minorsText(minors)} does not serve it for ${o.kind}, so this manifest fails to apply.`, evidence, upgrade ? `Write apiVersion: ${write} (the fields are the same), or upgrade to ${minorsText([Math.min(...serving)])} or later.` : `Write apiVersion: ${write} (the fields are the same as ${o.apiVersion}).`)
  } else if (support.some((x) => x === 'not-served')) {
    emit('FIA507', `apiVersion ${o.apiVersion}: Flux 2.${NEWEST_MINOR} no longer serves it for ${o.kind}; it applies only up to Flux 2.${Math.max(...serving)}.`, evidence)
  } else if (support.some((x) => x === 'deprecated')) {
    emit('FIA507', `apiVersion ${o.apiVersion} is deprecated for ${o.kind} on ${minorsText(minors)}, and a later Flux no longer serves it.`, evidence)
  }
}

/**
 * Rules across objects, only where the tree holds the evidence: a policy whose repository is
 * missing from a namespace that has repositories here, an automation whose policySelector
 * admits none of the policies its namespace has here.
 */
function crossFindings(objects: readonly LintObject[]): Finding[] {
  const out: Finding[] = []
  const at = (o: LintObject, code: FindingCodeId, message: string): void => {
    const f = finding(code, message, { subject: { kind: o.kind, namespace: o.namespace, name: o.name } })
    f.location = { file: o.file, line: o.line }
    out.push(f)
  }
  // The objects of each kind and namespace, grouped once: a filter of every object per
  // policy was quadratic (20,000 policies took 20 s).
  const groups = new Map<string, LintObject[]>()
  for (const o of objects) {
    const key = `${o.kind}/${o.namespace}`
    const group = groups.get(key)
    if (group) group.push(o)
    else groups.set(key, [o])
  }
  const of = (kind: LintObject['kind'], namespace: string): LintObject[] => groups.get(`${kind}/${namespace}`) ?? []
  const repositoryNames = new Map<string, { names: Set<string>; list: string }>()
  for (const p of objects) {
    if (p.kind !== 'ImagePolicy') continue
    const ref = (p.spec as ImagePolicySpec).imageRepositoryRef
    if (!ref?.name) continue
    const ns = ref.namespace ?? p.namespace
    let repositories = repositoryNames.get(ns)
    if (!repositories) {
      const names = of('ImageRepository', ns).map((r) => r.name)
      repositoryNames.set(ns, (repositories = { names: new Set(names), list: nameList(names) }))
    }
    if (repositories.names.size > 0 && !repositories.names.has(ref.name)) {
      at(p, 'FIA422', `referenced ImageRepository does not exist: ${ns}/${ref.name}; this tree defines ${repositories.list} in ${ns}.`)
    }
  }
  for (const a of objects) {
    if (a.kind !== 'ImageUpdateAutomation') continue
    const policies = of('ImagePolicy', a.namespace)
    const selector = (a.spec as { policySelector?: LabelSelector }).policySelector
    if (policies.length === 0 || !selector) continue
    const set = buildSetters(a.namespace, selector, policies.map((p) => ({ metadata: { name: p.name, namespace: p.namespace, labels: p.labels }, status: { latestRef: { name: 'lint.invalid/image', tag: 'lint' } } })))
    if (!set.error && set.setters.size === 0) at(a, 'FIA432', `spec.policySelector admits none of the ImagePolicies of ${a.namespace} in this tree (${nameList(policies.map((p) => p.name))}), so no marker is ever rewritten.`)
  }
  return out
}

function repositoryRules(o: LintObject, emit: Emit): void {
  const spec = o.spec as { image?: unknown; provider?: unknown; secretRef?: { name?: string }; interval?: unknown; exclusionList?: unknown }
  if (typeof spec.image === 'string') {
    const parsed = parseImage(spec.image)
    if (!parsed.ok) emit('FIA210', parsed.message)
    else {
      const cloud = cloudOf(parsed.name.registry)
      const provider = typeof spec.provider === 'string' ? spec.provider : 'generic'
      if (cloud && provider === 'generic') {
        const service = CLOUD_REGISTRY[cloud]
        emit(
          'FIA208',
          spec.secretRef?.name
            ? `${parsed.name.registry} is ${service}, read with the static token in Secret ${spec.secretRef.name}${cloud === 'aws' ? ', which ECR expires after 12 hours' : ''}; set provider: ${cloud} and the controller fetches short-lived tokens itself.`
            : `${parsed.name.registry} is ${service}, but the ImageRepository sets no provider: ${cloud}, so it scans anonymously.`,
        )
      }
    }
  }
  const interval = durationMs(spec.interval)
  if (interval !== undefined && interval < MIN_SCAN_INTERVAL_MS) emit('FIA216', `interval ${String(spec.interval)} lists every tag of ${String(spec.image ?? 'the image')} ${Math.round(86_400_000 / Math.max(interval, 1))} times a day.`)
  if (Array.isArray(spec.exclusionList)) {
    for (const pattern of spec.exclusionList) {
      const err = compileError(String(pattern))
      if (err) emit('FIA101', `scan failed: failed to compile regex ${String(pattern)}: ${err}`)
    }
    // A non-empty list replaces DEFAULT_EXCLUSION_LIST; cosign signs by pushing sha256-<digest>.sig.
    if (spec.exclusionList.length > 0 && !excludes(spec.exclusionList, `${COSIGN}.sig`)) {
      emit('FIA133', `exclusionList [${spec.exclusionList.map(String).join(', ')}] replaces Flux's default ${DEFAULT_EXCLUSION_LIST.join(', ')}, so cosign signature tags (sha256-<digest>.sig) reach every policy of ${String(spec.image ?? 'this image')}.`)
    }
  }
}

function policyRules(o: LintObject, emit: Emit, repositories: ReadonlyMap<string, LintObject>, version: FluxVersion): void {
  const spec = o.spec as ImagePolicySpec
  let kind: PolicyKind | undefined
  try {
    kind = buildPolicer(spec).kind
  } catch (e) {
    if (!(e instanceof ConstraintError || e instanceof InvalidPolicy)) throw e
    emit('FIA102', `invalid policy: ${e.message}`)
  }
  const filter = spec.filterTags ?? undefined
  const pattern = filter?.pattern ?? ''
  // image-reflector-controller up to v0.31 (Flux 2.2) is built with Go 1.20: no (?<name>…).
  const old = version.known ? version.minors.filter((m) => !fluxMinor(m).angleNamedGroups) : []
  if (/\(\?<[A-Za-z_]/.test(pattern) && old.length > 0) {
    emit('FIA104', `pattern ${pattern} names a group as (?<name>…), which ${minorsText(old)} (Go 1.20) rejects: invalid or unsupported Perl syntax.`, [assumedText(version)], 'Write the group as (?P<name>…), which every Flux accepts.')
  }
  let re: GoRegexp | undefined
  if (filter) {
    try {
      re = GoRegexp.compile(pattern)
    } catch (e) {
      if (!(e instanceof GoRegexpSyntaxError)) throw e
      emit('FIA104', `failed to filter tags: invalid regular expression pattern '${pattern}': ${e.message}`)
    }
  }
  const anchored = filter !== undefined && pattern.startsWith('^') && pattern.endsWith('$')
  if (kind === 'semver') {
    const range = spec.policy?.semver?.range ?? ''
    const risks = rangeRisks(range)
    if (risks.unbounded) emit('FIA120', `Range "${range}" admits every later major version${range.trim() === '*' || range.trim() === '' ? ', and so any version at all' : ''}.`)
    if (risks.prerelease && looksLikeProduction(o)) emit('FIA121', `Range "${range}" names a pre-release, so release candidates reach this production policy.`)
    if (!risks.satisfiable) emit('FIA127', `No major.minor.patch version satisfies "${range}".`)
    if (filter && pattern !== '' && !anchored) emit('FIA124', `filterTags.pattern ${pattern} matches anywhere in a tag.`)
  } else if (kind === 'alphabetical' || kind === 'numerical') {
    const order = (spec.policy?.alphabetical ?? spec.policy?.numerical)?.order
    if (order?.toLowerCase() === 'desc') emit('FIA123', `order: desc makes the ${kind} policy pick the smallest value, usually the oldest tag.`)
    const leaks = kind === 'alphabetical' && anchored && re ? WORD_TAGS.filter((t) => re.matchString(t) && !excluded(t, repositories.get(`${spec.imageRepositoryRef?.namespace ?? o.namespace}/${spec.imageRepositoryRef?.name ?? ''}`))) : []
    if (leaks.length > 0) emit('FIA128', `filterTags.pattern ${pattern} is anchored but admits ${leaks.map((t) => `"${t.replace(COSIGN, 'sha256-<digest>')}"`).join(', ')}, which sort${leaks.length === 1 ? 's' : ''} after digits in an alphabetical pick.`, leaks.some((t) => t.startsWith(COSIGN)) ? ['cosign attestation and SBOM tags stay in the tag list unless the ImageRepository\'s exclusionList drops them'] : undefined)
    if (kind === 'alphabetical' && re && variableWidthDigits(pattern, filter?.extract)) {
      emit('FIA131', `The alphabetical policy compares ${filter?.extract ? `extract ${filter.extract}` : `tags matching ${pattern}`}, which holds a number of varying width: as text, "9" sorts after "10", so v9.99 wins over v10.00.`)
    }
    if (!anchored) emit('FIA128', filter ? `filterTags.pattern ${pattern || '""'} is not anchored with ^ and $, so latest, branch names and signature tags can take part in the ${kind} pick.` : `Every tag takes part in the ${kind} pick, latest, branch names and signature tags included.`)
    else if (kind === 'numerical' && re) {
      const why = nonNumeric(pattern, filter?.extract ?? '', re.subexpNames)
      if (why) emit('FIA129', why)
    }
  }
  if (re && filter?.extract) {
    const missing = missingGroups(filter.extract, re.subexpNames)
    if (missing.length > 0) emit('FIA130', `extract ${filter.extract} refers to ${missing.join(', ')}, which pattern ${pattern || '""'} does not define; Go expands it to "" for every tag.`, [`the pattern's groups: ${re.subexpNames.slice(1).map((n, i) => (n ? `${i + 1} (${n})` : `${i + 1}`)).join(', ') || 'none'}`])
  }
}

function automationRules(o: LintObject, emit: Emit, version: FluxVersion): void {
  const spec = o.spec as {
    git?: { checkout?: { ref?: Record<string, unknown> }; push?: { branch?: string; refspec?: string }; commit?: { messageTemplate?: string } }
    update?: { strategy?: string; path?: string }
    policySelector?: LabelSelector
  }
  const ref = spec.git?.checkout?.ref ?? {}
  const push = spec.git?.push ?? {}
  const fixedRef = (['commit', 'name', 'tag', 'semver'] as const).find((k) => typeof ref[k] === 'string' && ref[k] !== '')
  const checkoutBranch = typeof ref.branch === 'string' ? ref.branch : undefined
  // Flux infers the push branch from push.branch, else from the checkout ref's branch field.
  if (fixedRef && !checkoutBranch && !push.branch) emit('FIA438', `The checkout is a ${fixedRef} (${String(ref[fixedRef])}) and spec.git.push.branch is unset: push spec not provided, and cannot be inferred from .spec.git.checkout.ref or GitRepository .spec.ref.`)
  else if (!push.branch && looksLikeProduction(o, spec.update?.path, checkoutBranch)) {
    emit('FIA501', `No spec.git.push.branch: every image update is committed to ${checkoutBranch ? `branch ${checkoutBranch}` : "the GitRepository's branch"} and deployed without review.`)
  } else if (push.branch && checkoutBranch === push.branch && looksLikeProduction(o, spec.update?.path, checkoutBranch)) {
    emit('FIA501', `spec.git.push.branch is ${push.branch}, the branch it checks out: every image update is deployed without review.`)
  }
  if (push.refspec && !push.branch) emit('FIA502', `push.refspec ${push.refspec} is pushed after ${checkoutBranch ? `branch ${checkoutBranch}` : 'the checkout branch'}, which is pushed first.`)
  const template = spec.git?.commit?.messageTemplate ?? ''
  // Removed in image-automation-controller v1.0 (Flux 2.7): a Stalled error there, deprecated
  // but working before (.Changed.ImageResult arrived in v0.38, Flux 2.3).
  const removed = version.known ? version.minors.filter((m) => fluxMinor(m).updatedTemplate === 'removed') : [NEWEST_MINOR]
  const used = [
    ...(/\.Updated\b/.test(template) ? ["template uses removed '.Updated' field. Please use '.Changed' instead. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template"] : []),
    ...(/\.Changed\.ImageResult\b/.test(template) ? ["template uses removed '.Changed.ImageResult' field. Please use '.Changed.FileChanges' or '.Changed.Objects' instead. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template"] : []),
  ]
  for (const message of used) {
    if (removed.length > 0) emit('FIA503', message, version.known ? [assumedText(version)] : undefined)
    else emit('FIA508', `${message.replace(/ See: .*$/, '')}: ${minorsText(version.minors)} still renders it, but Flux 2.7 stalls the automation on it.`, [assumedText(version)])
  }
  const selectorError = buildSetters(o.namespace, spec.policySelector, []).error
  if (selectorError) emit('FIA342', selectorError.message)
  const strategy = spec.update?.strategy
  if (strategy !== undefined && strategy !== 'Setters') emit('FIA343', `unsupported update strategy: ${strategy}`)
}

/** Does the repository's exclusionList (Flux's default when it has none here) drop the tag? */
function excluded(tag: string, repository: LintObject | undefined): boolean {
  const list = repository?.spec.exclusionList
  return excludes(Array.isArray(list) && list.length > 0 ? list : DEFAULT_EXCLUSION_LIST, tag)
}

function excludes(patterns: readonly unknown[], tag: string): boolean {
  return patterns.some((p) => compileError(String(p)) === undefined && GoRegexp.compile(String(p)).matchString(tag))
}

const VARIABLE_DIGITS = /(\\d|\[0-9\])(\+|\*|\{\d*,\d*\})/

/**
 * Does what an alphabetical policy compares hold a run of digits of varying width? The
 * extract's groups when there is one, else the whole pattern; read off the pattern's source.
 */
function variableWidthDigits(pattern: string, extract: string | undefined): boolean {
  if (!extract) return VARIABLE_DIGITS.test(pattern)
  const groups = groupSources(pattern)
  return [...extract.matchAll(/\$(?:\{(\w+)\}|(\w+))/g)].some((m) => {
    const ref = (m[1] ?? m[2]) as string
    const src = /^\d+$/.test(ref) ? groups.byIndex[Number(ref)] : groups.byName.get(ref)
    return src !== undefined && VARIABLE_DIGITS.test(src)
  })
}

// The source text of each capturing group, by number and by name.
function groupSources(pattern: string): { byIndex: string[]; byName: Map<string, string> } {
  const byIndex: string[] = [pattern]
  const byName = new Map<string, string>()
  const open: { start: number; index?: number; name?: string }[] = []
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      i++
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      continue
    }
    if (c === '[') inClass = true
    else if (c === '(') {
      const named = /^\(\?P?<(\w+)>/.exec(pattern.slice(i))
      if (named) open.push({ start: i, index: byIndex.push('') - 1, name: named[1] as string })
      else if (pattern[i + 1] === '?') open.push({ start: i })
      else open.push({ start: i, index: byIndex.push('') - 1 })
    } else if (c === ')') {
      const g = open.pop()
      if (g?.index !== undefined) {
        byIndex[g.index] = pattern.slice(g.start, i + 1)
        if (g.name) byName.set(g.name, byIndex[g.index] as string)
      }
    }
  }
  return { byIndex, byName }
}

function compileError(pattern: string): string | undefined {
  try {
    GoRegexp.compile(pattern)
    return undefined
  } catch (e) {
    if (!(e instanceof GoRegexpSyntaxError)) throw e
    return e.message
  }
}

/** Group references in an extract template that the pattern lacks ("$name", "${2}"). */
function missingGroups(extract: string, names: readonly string[]): string[] {
  const refs = [...extract.matchAll(/\$\$|\$\{[^}]*\}|\$[\p{L}\p{Nd}_]+/gu)].map((m) => m[0]).filter((r) => r !== '$$')
  return refs.filter((r) => {
    const [part] = compileTemplate(r, names)
    return typeof part === 'number' && (part < 0 || part >= names.length)
  })
}

/**
 * Why the extracted value may not be a number, for an anchored pattern in the subset we
 * understand exactly: literal text in extract, or a group that can match a non-digit or
 * nothing at all. Without extract the value is the whole tag.
 */
function nonNumeric(pattern: string, extract: string, names: readonly string[]): string | undefined {
  const sub = parseSubset(pattern)
  if (!sub) return undefined
  const digits = (c: number): boolean => c >= 0x30 && c <= 0x39
  const automatonOf = (node: Node): Automaton | undefined => Automaton.build({ root: node, anchoredStart: true, anchoredEnd: true, groupCount: 0, names: [''] })
  if (extract === '') {
    const whole = automatonOf(sub.root)
    return !whole || whole.matchesOnly(digits) ? undefined : `Without extract the whole tag is the value, and pattern ${pattern} admits non-digits; ParseFloat fails on them and the policy fails as a whole.`
  }
  let canBeEmpty = true
  for (const p of compileTemplate(extract, names)) {
    if (typeof p === 'string') {
      if (!/^[0-9]*$/.test(p)) return `extract ${extract} adds the text "${p}" to every value, which is not a number.`
      if (p !== '') canBeEmpty = false
      continue
    }
    if (Array.isArray(p)) return undefined // groups sharing a name: which one fills it depends on the tag
    const node = p === 0 ? sub.root : p > 0 ? findGroup(sub.root, p) : undefined
    const group = node && automatonOf(node)
    if (!group) return undefined // a missing group is FIA130; a huge one we do not judge
    if (!group.matchesOnly(digits)) return `Group ${names[p] ? `"${names[p]}"` : p} of ${pattern} can capture non-digits, and ParseFloat fails on the whole policy when it does.`
    if (!group.matchesEmpty) canBeEmpty = false
  }
  return canBeEmpty ? `extract ${extract} can be empty, which is not a number.` : undefined
}

function findGroup(n: Node, index: number): Node | undefined {
  switch (n.t) {
    case 'group':
      return n.index === index ? n.node : findGroup(n.node, index)
    case 'cat':
    case 'alt':
      for (const i of n.items) {
        const found = findGroup(i, index)
        if (found) return found
      }
      return undefined
    case 'rep':
      return findGroup(n.node, index)
    default:
      return undefined
  }
}
