// The shape of the objects flux-imgauto reads, checked once where they come in (a file, a
// snapshot, the API server) so that the core never meets a number where it expects a
// string. Only the fields the tool uses are described, with the types the Flux CRDs
// (openAPIV3Schema at image-reflector-controller v1.x / image-automation-controller v1.x,
// unchanged in these fields since v1beta2) give them: an object the API server would refuse
// for these fields is refused here too, with the field named.
//
// A hand-written table, not a schema library: the table is ~60 fields, the checks are three
// kinds of type, and the messages name the path as kubectl does (spec.filterTags.pattern).

type FieldType = 'string' | 'boolean' | 'integer' | 'object' | 'strings' | 'stringMap' | Shape | [Shape]

interface Shape {
  [field: string]: FieldType
}

const NAME_REF: Shape = { name: 'string' }
const CONDITIONS: [Shape] = [{ type: 'string', status: 'string', reason: 'string', message: 'string', lastTransitionTime: 'string' }]
const METADATA: Shape = { name: 'string', namespace: 'string', labels: 'stringMap', annotations: 'stringMap', creationTimestamp: 'string' }
// Any other kind: only its metadata is read.
const OTHER: Shape = { metadata: METADATA }
const IMAGE_REF: Shape = { name: 'string', tag: 'string', digest: 'string' }

const IMAGE_REPOSITORY: Shape = {
  metadata: METADATA,
  spec: {
    image: 'string',
    interval: 'string',
    timeout: 'string',
    secretRef: NAME_REF,
    certSecretRef: NAME_REF,
    proxySecretRef: NAME_REF,
    serviceAccountName: 'string',
    suspend: 'boolean',
    provider: 'string',
    exclusionList: 'strings',
    insecure: 'boolean',
  },
  status: {
    canonicalImageName: 'string',
    lastScanResult: { tagCount: 'integer', scanTime: 'string', latestTags: 'strings', revision: 'string' },
    observedExclusionList: 'strings',
    conditions: CONDITIONS,
  },
}

const IMAGE_POLICY: Shape = {
  metadata: METADATA,
  spec: {
    imageRepositoryRef: { name: 'string', namespace: 'string' },
    policy: { semver: { range: 'string' }, alphabetical: { order: 'string' }, numerical: { order: 'string' } },
    filterTags: { pattern: 'string', extract: 'string' },
    digestReflectionPolicy: 'string',
    interval: 'string',
    suspend: 'boolean',
  },
  status: { latestRef: IMAGE_REF, observedPreviousRef: IMAGE_REF, latestImage: 'string', conditions: CONDITIONS },
}

const IMAGE_UPDATE_AUTOMATION: Shape = {
  metadata: METADATA,
  spec: {
    sourceRef: { kind: 'string', name: 'string', namespace: 'string', apiVersion: 'string' },
    git: {
      checkout: { ref: { branch: 'string', tag: 'string', semver: 'string', name: 'string', commit: 'string' } },
      commit: { author: { name: 'string', email: 'string' }, signingKey: { secretRef: NAME_REF }, messageTemplate: 'string', messageTemplateValues: 'stringMap' },
      push: { branch: 'string', refspec: 'string', options: 'stringMap' },
    },
    interval: 'string',
    policySelector: { matchLabels: 'stringMap', matchExpressions: [{ key: 'string', operator: 'string', values: 'strings' }] },
    update: { path: 'string', strategy: 'string' },
    suspend: 'boolean',
  },
  status: { lastPushCommit: 'string', lastPushTime: 'string', lastAutomationRunTime: 'string', conditions: CONDITIONS },
}

// The doctor's neighbours, as far as its checks read them (apiextensions.k8s.io/v1, apps/v1,
// source.toolkit.fluxcd.io/v1, kustomize.toolkit.fluxcd.io/v1, helm.toolkit.fluxcd.io/v2, v1).
const SOURCE_REF: Shape = { kind: 'string', name: 'string', namespace: 'string', apiVersion: 'string' }

const CUSTOM_RESOURCE_DEFINITION: Shape = {
  metadata: METADATA,
  spec: {
    group: 'string',
    versions: [{ name: 'string', served: 'boolean', storage: 'boolean', schema: { openAPIV3Schema: { properties: { status: { properties: 'object' } } } } }],
  },
  status: { storedVersions: 'strings' },
}

const DEPLOYMENT: Shape = {
  metadata: METADATA,
  spec: { replicas: 'integer', template: { metadata: { labels: 'stringMap' }, spec: { containers: [{ name: 'string', image: 'string', args: 'strings' }] } } },
  status: { replicas: 'integer', readyReplicas: 'integer' },
}

const GIT_REPOSITORY: Shape = {
  metadata: METADATA,
  spec: { url: 'string', ref: { branch: 'string', tag: 'string', semver: 'string', name: 'string', commit: 'string' }, secretRef: NAME_REF, interval: 'string', suspend: 'boolean', provider: 'string' },
  status: { artifact: { revision: 'string', lastUpdateTime: 'string' }, conditions: CONDITIONS },
}

const KUSTOMIZATION: Shape = {
  metadata: METADATA,
  spec: { sourceRef: SOURCE_REF, path: 'string', interval: 'string', suspend: 'boolean' },
  status: { lastAppliedRevision: 'string', lastAttemptedRevision: 'string', conditions: CONDITIONS },
}

const HELM_RELEASE: Shape = {
  metadata: METADATA,
  spec: { interval: 'string', suspend: 'boolean' },
  status: { lastAttemptedRevision: 'string', conditions: CONDITIONS },
}

const SECRET: Shape = { metadata: METADATA, type: 'string', data: 'stringMap', stringData: 'stringMap' }

const SHAPES: Record<string, Shape> = {
  ImageRepository: IMAGE_REPOSITORY,
  ImagePolicy: IMAGE_POLICY,
  ImageUpdateAutomation: IMAGE_UPDATE_AUTOMATION,
  CustomResourceDefinition: CUSTOM_RESOURCE_DEFINITION,
  Deployment: DEPLOYMENT,
  GitRepository: GIT_REPOSITORY,
  Kustomization: KUSTOMIZATION,
  HelmRelease: HELM_RELEASE,
  Secret: SECRET,
}

/** One field of the wrong type, as a dotted path (list items as [i]). */
export interface FieldIssue {
  path: (string | number)[]
  expected: string
  got: string
}

/** The object's kind, when it has one of the string type; anything else is no object kind. */
export function kindOf(o: unknown): string | undefined {
  return isRecord(o) && typeof o.kind === 'string' ? o.kind : undefined
}

/**
 * The fields of an object (by its kind) whose value has the wrong type; none for other kinds
 * beyond apiVersion, kind and metadata. `kind` is the kind the source vouches for (a list of
 * ImagePolicies from the API server holds ImagePolicies, whatever their own kind field says).
 */
export function fieldIssues(o: unknown, kind?: string): FieldIssue[] {
  const out: FieldIssue[] = []
  if (!isRecord(o)) return [{ path: [], expected: 'a mapping', got: typeName(o) }]
  for (const f of ['apiVersion', 'kind'] as const) if (o[f] !== undefined && typeof o[f] !== 'string') out.push({ path: [f], expected: 'a string', got: typeName(o[f]) })
  const shape = SHAPES[kind ?? (typeof o.kind === 'string' ? o.kind : '')]
  check(o, shape ?? OTHER, [], out)
  return out
}

/** "ImagePolicy apps/podinfo: spec.policy must be a mapping, not a string ("x") (and 2 more fields)". */
export function describeObjectIssues(o: unknown, kind: string | undefined, issues: readonly FieldIssue[]): string {
  const first = issues[0]
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more field${issues.length > 2 ? 's' : ''})` : ''
  return `${kind ?? kindOf(o) ?? 'object'} ${objectName(o)}: ${first ? describeIssue(first) : 'no issue'}${more}`
}

/** namespace/name, as far as the object has them as strings. */
export function objectName(o: unknown): string {
  const meta = isRecord(o) && isRecord(o.metadata) ? o.metadata : {}
  const name = typeof meta.name === 'string' ? meta.name : '(unnamed)'
  return typeof meta.namespace === 'string' && meta.namespace !== '' ? `${meta.namespace}/${name}` : name
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}

export function describeIssue(i: FieldIssue): string {
  return `${formatPath(i.path) || 'the document'} must be ${i.expected}, not ${i.got}`
}

// Each shape's fields, listed once: a fleet run checks tens of thousands of objects.
const fieldsOf = new WeakMap<Shape, [string, FieldType][]>()

function fields(shape: Shape): [string, FieldType][] {
  let f = fieldsOf.get(shape)
  if (f === undefined) {
    f = Object.entries(shape)
    fieldsOf.set(shape, f)
  }
  return f
}

function check(value: Record<string, unknown>, shape: Shape, at: readonly (string | number)[], out: FieldIssue[]): void {
  for (const [field, type] of fields(shape)) {
    const v = value[field]
    // null is how YAML writes "unset"; the API server prunes it.
    if (v === undefined || v === null) continue
    checkValue(v, type, at, field, out)
  }
}

// The value at `at` + `key`; the path is made only for an issue or a mapping to go into.
function checkValue(v: unknown, type: FieldType, at: readonly (string | number)[], key: string, out: FieldIssue[]): void {
  const wrong = (expected: string): void => {
    out.push({ path: [...at, key], expected, got: typeName(v) })
  }
  if (type === 'string') {
    if (typeof v !== 'string') wrong('a string')
  } else if (type === 'boolean') {
    if (typeof v !== 'boolean') wrong('true or false')
  } else if (type === 'integer') {
    if (typeof v !== 'number' || !Number.isInteger(v)) wrong('an integer')
  } else if (type === 'object') {
    if (!isRecord(v)) wrong('a mapping')
  } else if (type === 'strings') {
    if (!Array.isArray(v)) wrong('a list of strings')
    else v.forEach((x, i) => typeof x !== 'string' && out.push({ path: [...at, key, i], expected: 'a string', got: typeName(x) }))
  } else if (type === 'stringMap') {
    if (!isRecord(v)) wrong('a mapping of strings')
    else for (const k of Object.keys(v)) if (typeof v[k] !== 'string' && v[k] !== null) out.push({ path: [...at, key, k], expected: 'a string', got: typeName(v[k]) })
  } else if (Array.isArray(type)) {
    if (!Array.isArray(v)) wrong('a list')
    else v.forEach((x, i) => (isRecord(x) ? check(x, type[0], [...at, key, i], out) : out.push({ path: [...at, key, i], expected: 'a mapping', got: typeName(x) })))
  } else if (!isRecord(v)) wrong('a mapping')
  else check(v, type, [...at, key], out)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)})`
  if (typeof v === 'number') return `a number (${v})`
  if (typeof v === 'boolean') return `${v}`
  return typeof v
}
