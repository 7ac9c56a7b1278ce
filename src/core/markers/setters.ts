// The setters an ImageUpdateAutomation run defines (internal/policy/applier.go and
// internal/update/setters.go): ImagePolicies in the automation's own namespace, filtered by
// spec.policySelector, with status.latestRef set; four setters each.

export interface LatestRef {
  name?: string
  tag?: string
  digest?: string
}

export interface PolicyLike {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> }
  status?: { latestRef?: LatestRef | null }
}

export interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: { key: string; operator: string; values?: string[] }[]
}

export type SetterKind = 'image' | 'tag' | 'name' | 'digest'

export interface Setter {
  name: string
  kind: SetterKind
  value: string
  policy: { namespace: string; name: string }
  ref: LatestRef
}

export interface SetterSet {
  setters: Map<string, Setter>
  /** Why each policy in the automation's namespace defines no setters, by policy name. */
  unusable: Map<string, 'selector' | 'no-latest-ref'>
  /** Policies in the namespace, by name. */
  known: Set<string>
  /** A run-wide failure Flux would report (invalid selector or image ref). */
  error?: { code: 'FIA340' | 'FIA342'; message: string }
}

export function buildSetters(namespace: string, selector: LabelSelector | undefined, policies: readonly PolicyLike[]): SetterSet {
  const out: SetterSet = { setters: new Map(), unusable: new Map(), known: new Set() }
  let matches: (labels: Record<string, string>) => boolean
  try {
    matches = selectorMatcher(selector)
  } catch (e) {
    out.error = { code: 'FIA342', message: `failed to parse policy selector: ${(e as Error).message}` }
    return out
  }
  // Policies are listed in the automation's namespace only: no cross-namespace lookup.
  const inNamespace = policies.filter((p) => (p.metadata.namespace ?? namespace) === namespace)
  for (const p of inNamespace) {
    out.known.add(p.metadata.name)
    if (!matches(p.metadata.labels ?? {})) {
      out.unusable.set(p.metadata.name, 'selector')
      continue
    }
    const ref = p.status?.latestRef
    if (!ref) {
      out.unusable.set(p.metadata.name, 'no-latest-ref')
      continue
    }
    const image = `${ref.name ?? ''}:${ref.tag ?? ''}${ref.digest ? '@' + ref.digest : ''}`
    const bad = validateReference(image)
    if (bad && !out.error) out.error = { code: 'FIA340', message: `failed to apply policies: encountered invalid image ref "${image}": ${bad}` }
    const base = `${namespace}:${p.metadata.name}`
    const policy = { namespace, name: p.metadata.name }
    const add = (name: string, kind: SetterKind, value: string): void => void out.setters.set(name, { name, kind, value, policy, ref })
    add(base, 'image', image)
    add(`${base}:tag`, 'tag', ref.tag ?? '')
    add(`${base}:name`, 'name', ref.name ?? '')
    add(`${base}:digest`, 'digest', ref.digest ?? '')
  }
  return out
}

// metav1.LabelSelectorAsSelector: matchLabels and matchExpressions, ANDed; empty selects all.
function selectorMatcher(selector: LabelSelector | undefined): (labels: Record<string, string>) => boolean {
  if (!selector) return () => true
  const tests: ((labels: Record<string, string>) => boolean)[] = []
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    checkLabelKey(k)
    tests.push((l) => l[k] === v)
  }
  for (const e of selector.matchExpressions ?? []) {
    checkLabelKey(e.key)
    const values = e.values ?? []
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw new Error(`values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty`)
        tests.push(e.operator === 'In' ? (l) => e.key in l && values.includes(l[e.key] as string) : (l) => !(e.key in l) || !values.includes(l[e.key] as string))
        break
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw new Error(`values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`)
        tests.push(e.operator === 'Exists' ? (l) => e.key in l : (l) => !(e.key in l))
        break
      default:
        throw new Error(`"${e.operator}" is not a valid label selector operator`)
    }
  }
  return (labels) => tests.every((t) => t(labels))
}

function checkLabelKey(key: string): void {
  if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key) || key.length > 317) {
    throw new Error(`key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`)
  }
}

const REPOSITORY_CHARS = /^[a-z0-9_\-./]+$/
const TAG_CHARS = /^[A-Za-z0-9_\-.]+$/

/**
 * go-containerregistry's name.ParseReference(s, name.WeakValidation): a tag reference or a
 * digest reference; the error text when neither parses.
 */
export function validateReference(s: string): string | undefined {
  return isTag(s) || isDigest(s) ? undefined : `could not parse reference: ${s}`
}

function isTag(name: string): boolean {
  const parts = name.split(':')
  let base = name
  let tag = ''
  // A last part with a "/" is a registry port, not a tag.
  if (parts.length > 1 && !(parts[parts.length - 1] as string).includes('/')) {
    base = parts.slice(0, -1).join(':')
    tag = parts[parts.length - 1] as string
  }
  if (tag !== '' && !(tag.length <= 128 && TAG_CHARS.test(tag))) return false
  return isRepository(base)
}

function isDigest(name: string): boolean {
  const parts = name.split('@')
  if (parts.length !== 2) return false
  const [base, digest] = parts as [string, string]
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) return false
  return isTag(base)
}

function isRepository(name: string): boolean {
  if (name === '') return false
  let repo = name
  const slash = name.indexOf('/')
  if (slash >= 0) {
    const first = name.slice(0, slash)
    if (first.includes('.') || first.includes(':')) {
      if (!/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]*)?$/.test(first)) return false
      repo = name.slice(slash + 1)
    }
  }
  return repo.length >= 2 && repo.length <= 255 && REPOSITORY_CHARS.test(repo)
}
