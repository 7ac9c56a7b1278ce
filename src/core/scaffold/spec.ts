// What scaffold generates from: one image and its environments. The same shape comes from
// flags or from a YAML/JSON file (--from), and is checked and completed here with the safe
// defaults: production takes a tight semver range and a pull-request branch, the other
// environments a timestamp policy and direct commits.

import { durationMs } from '../go/duration.js'
import { namesProduction } from '../lint/environment.js'
import { MIN_SCAN_INTERVAL_MS } from '../lint/rules.js'
import { ConstraintError, Constraints } from '../semver/constraints.js'
import { CLOUD_REGISTRY, cloudOf, type CloudProvider, parseImage } from '../registry/image.js'
import { CodedError } from '../tool-error.js'

export const TAG_SCHEMES = ['semver', 'timestamp', 'sha-timestamp', 'calver'] as const
export type TagScheme = (typeof TAG_SCHEMES)[number]
export const MARKER_LOCATIONS = ['deployment', 'kustomization', 'helmrelease'] as const
export type MarkerLocation = (typeof MARKER_LOCATIONS)[number]

export interface ScaffoldSpec {
  name?: string
  namespace?: string
  image: string
  provider?: 'generic' | CloudProvider
  secretRef?: string | null
  certSecretRef?: string
  interval?: string
  /** The GitRepository the automations push through, and the branch they check out. */
  gitRepository?: string
  branch?: string
  author?: { name?: string; email?: string }
  /** The production range's floor, "X.Y" (default 1.0): ">=X.Y.0 <X+1.0.0". */
  version?: string
  /** The branch prefix of development tags (main-<sha>-<ts>, …). */
  tagBranch?: string
  markers?: MarkerLocation[]
  digest?: boolean
  environments?: EnvironmentSpec[]
}

export interface EnvironmentSpec {
  name: string
  tags?: TagScheme
  range?: string
  /** update.path, relative to the repository root. */
  path?: string
  /** null: commit to the checkout branch. */
  pushBranch?: string | null
  production?: boolean
}

export interface Environment {
  name: string
  production: boolean
  tags: TagScheme
  range?: string
  path: string
  pushBranch?: string
}

export interface Scaffold {
  name: string
  namespace: string
  image: string
  registry: string
  provider: 'generic' | CloudProvider
  secretRef?: string
  certSecretRef?: string
  interval: string
  gitRepository: string
  branch: string
  author: { name: string; email: string }
  tagBranch: string
  markers: MarkerLocation[]
  digest: boolean
  environments: Environment[]
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const bad = (message: string): CodedError => new CodedError('ERR_SCAFFOLD_SPEC', message)

const STRING_FIELDS = ['name', 'namespace', 'provider', 'certSecretRef', 'interval', 'gitRepository', 'branch', 'version', 'tagBranch'] as const

/** A spec read from a file is untyped: check the shape before reading it. */
function checkShape(spec: ScaffoldSpec): void {
  const raw = spec as unknown as Record<string, unknown>
  for (const k of STRING_FIELDS) {
    if (raw[k] !== undefined && typeof raw[k] !== 'string') throw bad(`${k} must be a string${typeof raw[k] === 'number' ? ` (quote it: ${k}: "${String(raw[k])}")` : ''}`)
  }
  if (raw.secretRef !== undefined && raw.secretRef !== null && typeof raw.secretRef !== 'string') throw bad('secretRef must be a Secret name, or null for none')
  if (raw.digest !== undefined && typeof raw.digest !== 'boolean') throw bad('digest must be true or false')
  if (raw.author !== undefined && (raw.author === null || typeof raw.author !== 'object')) throw bad('author must be a mapping with name and email')
  if (raw.markers !== undefined && !(Array.isArray(raw.markers) && raw.markers.every((m) => typeof m === 'string'))) throw bad(`markers must be a list of ${MARKER_LOCATIONS.join(', ')}`)
  if (raw.environments !== undefined && !(Array.isArray(raw.environments) && raw.environments.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e)))) throw bad('environments must be a list of mappings, each with a name')
  for (const e of (raw.environments ?? []) as Record<string, unknown>[]) {
    for (const k of ['name', 'tags', 'range', 'path'] as const) if (e[k] !== undefined && typeof e[k] !== 'string') throw bad(`environments[].${k} must be a string`)
    if (e.pushBranch !== undefined && e.pushBranch !== null && typeof e.pushBranch !== 'string') throw bad('environments[].pushBranch must be a branch name, or null to commit directly')
    if (e.production !== undefined && typeof e.production !== 'boolean') throw bad('environments[].production must be true or false')
  }
}

export function completeSpec(spec: ScaffoldSpec): Scaffold {
  checkShape(spec)
  if (typeof spec.image !== 'string' || spec.image === '') throw bad('the image is required (--image, or image: in the spec file)')
  const parsed = parseImage(spec.image)
  if (!parsed.ok) throw bad(`image ${spec.image}: ${parsed.message}`)
  const name = spec.name ?? (parsed.name.repository.split('/').pop() as string)
  if (!DNS_LABEL.test(name) || name.length > 50) throw bad(`name "${name}" must be a DNS label of at most 50 characters (lower case, digits, "-")`)
  const namespace = spec.namespace ?? 'flux-system'
  if (!DNS_LABEL.test(namespace)) throw bad(`namespace "${namespace}" is not a DNS label`)
  const cloud = cloudOf(parsed.name.registry)
  const provider = spec.provider ?? cloud ?? 'generic'
  if (!['generic', 'aws', 'gcp', 'azure'].includes(provider)) throw bad(`provider "${provider}" must be generic, aws, gcp or azure`)
  if (cloud && provider === 'generic') throw bad(`${parsed.name.registry} is ${CLOUD_REGISTRY[cloud]}: use provider ${cloud} (short-lived tokens), not a static secret`)
  // image-reflector-controller logs in with a cloud provider and never reads secretRef then
  // (internal/registry/options.go): a secret named beside it would be silently unused.
  if (provider !== 'generic' && typeof spec.secretRef === 'string') throw bad(`secretRef ${spec.secretRef} would be ignored: with provider ${provider} the controller logs in with the provider's identity and never reads secretRef; drop it, or use provider generic`)
  const interval = spec.interval ?? '5m'
  const ms = durationMs(interval)
  if (ms === undefined) throw bad(`interval "${interval}" is not a Go duration such as 5m or 1h`)
  if (ms < MIN_SCAN_INTERVAL_MS) throw bad(`interval ${interval} is shorter than 1m; registries rate-limit frequent scans`)
  const version = spec.version ?? '1.0'
  const v = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/.exec(version)
  if (!v) throw bad(`version "${version}" must be MAJOR.MINOR, e.g. 1.4`)
  const [major, minor] = [Number(v[1]), Number(v[2])]
  // Below 1.0.0 a minor release may break: stay within the minor.
  const tight = major === 0 ? `>=0.${minor}.0 <0.${minor + 1}.0` : `>=${major}.${minor}.0 <${major + 1}.0.0`
  const envSpecs = spec.environments ?? [{ name: 'dev' }, { name: 'production' }]
  if (envSpecs.length === 0) throw bad('give at least one environment')
  const seen = new Set<string>()
  const environments = envSpecs.map((e): Environment => {
    if (!DNS_LABEL.test(e.name ?? '')) throw bad(`environment "${e.name}" is not a DNS label`)
    if (seen.has(e.name)) throw bad(`environment "${e.name}" is given twice`)
    seen.add(e.name)
    // The same test lint applies, so a generated set never looks like production to lint only.
    const production = e.production ?? namesProduction(e.name)
    const tags = e.tags ?? (production ? 'semver' : 'timestamp')
    if (!TAG_SCHEMES.includes(tags)) throw bad(`environment ${e.name}: tags "${tags}" must be one of ${TAG_SCHEMES.join(', ')}`)
    if (production && tags !== 'semver') throw bad(`environment ${e.name} is production: it takes released semver tags, not ${tags}`)
    const pushBranch = e.pushBranch === undefined ? (production ? `flux-image-updates-${e.name}` : undefined) : (e.pushBranch ?? undefined)
    if (production && pushBranch === undefined) throw bad(`environment ${e.name} is production: its updates go through a pull request, so it needs a push branch`)
    if (pushBranch !== undefined && pushBranch === (spec.branch ?? 'main')) throw bad(`environment ${e.name}: the push branch must differ from the checkout branch ${pushBranch}`)
    const range = tags === 'semver' ? (e.range ?? tight) : undefined
    if (range !== undefined) {
      try {
        Constraints.parse(range)
      } catch (err) {
        if (!(err instanceof ConstraintError)) throw err
        throw bad(`environment ${e.name}: range "${range}" does not parse: ${err.message}`)
      }
    }
    return { name: e.name, production, tags, path: e.path ?? `./apps/${e.name}`, ...(range !== undefined ? { range } : {}), ...(pushBranch !== undefined ? { pushBranch } : {}) }
  })
  const tagBranch = spec.tagBranch ?? 'main'
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(tagBranch)) throw bad(`tagBranch "${tagBranch}" must be usable in an image tag (letters, digits, "_", "." and "-")`)
  const markers = spec.markers ?? ['deployment']
  for (const m of markers) if (!MARKER_LOCATIONS.includes(m)) throw bad(`marker location "${m}" must be one of ${MARKER_LOCATIONS.join(', ')}`)
  const secretRef = provider !== 'generic' || spec.secretRef === null ? undefined : (spec.secretRef ?? `${name}-registry`)
  return {
    name,
    namespace,
    image: spec.image,
    registry: parsed.name.registry,
    provider,
    ...(secretRef !== undefined ? { secretRef } : {}),
    ...(spec.certSecretRef ? { certSecretRef: spec.certSecretRef } : {}),
    interval,
    gitRepository: spec.gitRepository ?? 'flux-system',
    branch: spec.branch ?? 'main',
    author: { name: spec.author?.name ?? 'fluxcdbot', email: spec.author?.email ?? 'fluxcdbot@users.noreply.github.com' },
    tagBranch,
    markers,
    digest: spec.digest ?? false,
    environments,
  }
}
