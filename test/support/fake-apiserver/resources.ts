// What the fake API server serves, modelled as kube-apiserver models it: built-in resources
// (core/v1, apps/v1, apiextensions.k8s.io/v1) plus one resource per CustomResourceDefinition,
// each served at the versions its CRD marks `served`. Discovery documents (/api, /apis,
// /apis/<group>/<version>) are derived from that one table, so discovery and the paths that
// answer can never disagree.

import { age } from './table.js'

export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string; uid?: string; creationTimestamp?: string }
  [field: string]: unknown
}

export interface PrinterColumn {
  name: string
  type: string
  jsonPath: string
  description?: string
  priority?: number
  /** A built-in kind's computed cell (kube-apiserver's printers in pkg/printers/internalversion). */
  cell?: (o: KubeObject, now: number) => unknown
}

export interface Resource {
  /** '' for the core group. */
  group: string
  /** Served versions, the preferred (storage) one first. */
  versions: string[]
  plural: string
  singular: string
  kind: string
  namespaced: boolean
  shortNames?: string[]
  categories?: string[]
  /** Extra columns of the Table view (NAME comes first, AGE last, as kube-apiserver does for CRDs). */
  columns?: PrinterColumn[]
  /** The Table's own Name and Age columns: kube-apiserver leaves them out for some kinds. */
  nameColumn?: false
  ageColumn?: false
  /** Field selectors this resource supports beyond metadata.name and metadata.namespace. */
  fields?: Record<string, (o: KubeObject) => string>
}

// The verbs kube-apiserver lists for a resource with full CRUD; the fake server itself
// answers only get, list and watch (it is read-only, like the tool it tests).
export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v))
const num = (v: unknown): number => (typeof v === 'number' ? v : 0)
const keys = (v: unknown): number => (v && typeof v === 'object' ? Object.keys(v).length : 0)
const column = (name: string, cell: (o: KubeObject, now: number) => unknown, type = 'string'): PrinterColumn => ({ name, type, jsonPath: '', cell })
const at = (o: KubeObject, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o)

// The field selectors kube-apiserver registers for these kinds (pkg/registry/core/*/strategy.go).
const EVENT_FIELDS = Object.fromEntries(
  ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'].map((f) => [
    f,
    (o: KubeObject) => (f === 'source' ? str(at(o, 'source.component') ?? at(o, 'reportingComponent')) : str(at(o, f))),
  ]),
)

// The columns kube-apiserver prints for these kinds (pkg/printers/internalversion/printers.go).
export const BUILTIN: Resource[] = [
  {
    group: '', versions: ['v1'], plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'],
    fields: { 'status.phase': (o) => str(at(o, 'status.phase')) },
    columns: [column('Status', (o) => str(at(o, 'status.phase')))],
  },
  { group: '', versions: ['v1'], plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], columns: [column('Data', (o) => keys(o.data) + keys(o.binaryData), 'integer')] },
  {
    group: '', versions: ['v1'], plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true,
    fields: { type: (o) => str(o.type) },
    columns: [column('Type', (o) => str(o.type)), column('Data', (o) => keys(o.data), 'integer')],
  },
  {
    group: '', versions: ['v1'], plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], fields: EVENT_FIELDS, nameColumn: false, ageColumn: false,
    columns: [
      column('Last Seen', (o, now) => age(str(o.lastTimestamp ?? o.eventTime ?? at(o, 'metadata.creationTimestamp')) || undefined, now)),
      column('Type', (o) => str(o.type)),
      column('Reason', (o) => str(o.reason)),
      column('Object', (o) => `${str(at(o, 'involvedObject.kind')).toLowerCase()}/${str(at(o, 'involvedObject.name'))}`),
      column('Message', (o) => str(o.message)),
    ],
  },
  { group: '', versions: ['v1'], plural: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  { group: 'apps', versions: ['v1'], plural: 'statefulsets', singular: 'statefulset', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ['all'] },
  { group: 'apps', versions: ['v1'], plural: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'] },
  { group: 'batch', versions: ['v1'], plural: 'cronjobs', singular: 'cronjob', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ['all'] },
  {
    group: 'apps', versions: ['v1'], plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'],
    columns: [
      column('Ready', (o) => `${num(at(o, 'status.readyReplicas'))}/${num(at(o, 'spec.replicas'))}`),
      column('Up-to-date', (o) => num(at(o, 'status.updatedReplicas')), 'integer'),
      column('Available', (o) => num(at(o, 'status.availableReplicas')), 'integer'),
    ],
  },
  {
    group: 'apiextensions.k8s.io', versions: ['v1'], plural: 'customresourcedefinitions', singular: 'customresourcedefinition', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'],
    ageColumn: false,
    columns: [column('Created At', (o) => str(o.metadata.creationTimestamp), 'date')],
  },
]

// Flux's CRDs print Ready and Status from the Ready condition (the kubebuilder printcolumn
// markers in every toolkit API package).
const READY_COLUMNS: PrinterColumn[] = [
  { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Status', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].message' },
]

interface FluxCrd {
  kind: string
  singular: string
  shortNames?: string[]
  versions: string[]
}

/** The names Flux's CRDs declare, keyed by CRD name (<plural>.<group>). */
export const FLUX_CRDS: Record<string, FluxCrd> = {
  'imagerepositories.image.toolkit.fluxcd.io': { kind: 'ImageRepository', singular: 'imagerepository', versions: ['v1', 'v1beta2'] },
  'imagepolicies.image.toolkit.fluxcd.io': { kind: 'ImagePolicy', singular: 'imagepolicy', versions: ['v1', 'v1beta2'] },
  'imageupdateautomations.image.toolkit.fluxcd.io': { kind: 'ImageUpdateAutomation', singular: 'imageupdateautomation', versions: ['v1', 'v1beta2'] },
  'gitrepositories.source.toolkit.fluxcd.io': { kind: 'GitRepository', singular: 'gitrepository', shortNames: ['gitrepo'], versions: ['v1', 'v1beta2'] },
  'kustomizations.kustomize.toolkit.fluxcd.io': { kind: 'Kustomization', singular: 'kustomization', shortNames: ['ks'], versions: ['v1'] },
  'helmreleases.helm.toolkit.fluxcd.io': { kind: 'HelmRelease', singular: 'helmrelease', shortNames: ['hr'], versions: ['v2'] },
}

/**
 * The CRDs a scenario that lists none is given: Flux with its image controllers, at the
 * versions Flux 2.7 serves. A scenario that lists CRDs gets exactly those.
 */
export function defaultCrds(): KubeObject[] {
  return Object.entries(FLUX_CRDS).map(([name, c]) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: { versions: c.versions.map((v, i) => ({ name: v, served: true, storage: i === 0 })) },
  }))
}

interface CrdSpec {
  group?: string
  scope?: string
  names?: { plural?: string; singular?: string; kind?: string; shortNames?: string[]; categories?: string[] }
  versions?: { name: string; served?: boolean; storage?: boolean; additionalPrinterColumns?: PrinterColumn[] }[]
}

/**
 * A CRD as kube-apiserver stores it: scenario files may abbreviate one to its name and
 * versions, so group, scope and names are filled in from the name and Flux's own CRDs.
 */
export function completeCrd(crd: KubeObject): KubeObject {
  const spec = (crd.spec ?? {}) as CrdSpec
  const [plural = '', ...rest] = crd.metadata.name.split('.')
  const known = FLUX_CRDS[crd.metadata.name]
  const kind = spec.names?.kind ?? known?.kind ?? plural
  const names = {
    plural: spec.names?.plural ?? plural,
    singular: spec.names?.singular ?? known?.singular ?? kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    ...(spec.names?.shortNames ?? known?.shortNames ? { shortNames: spec.names?.shortNames ?? known?.shortNames } : {}),
    ...(spec.names?.categories ?? (known ? ['flux'] : undefined) ? { categories: spec.names?.categories ?? ['flux'] } : {}),
  }
  const versions = (spec.versions ?? []).map((v) => ({ ...v, served: v.served ?? true, storage: v.storage ?? false, ...(known && !v.additionalPrinterColumns ? { additionalPrinterColumns: READY_COLUMNS } : {}) }))
  return { ...crd, spec: { ...spec, group: spec.group ?? rest.join('.'), scope: spec.scope ?? 'Namespaced', names, versions } }
}

/** The resource a (completed) CRD defines, at its served versions, storage version first. */
export function resourceOfCrd(crd: KubeObject): Resource | undefined {
  const spec = crd.spec as Required<CrdSpec> & { names: Required<NonNullable<CrdSpec['names']>> }
  const served = spec.versions.filter((v) => v.served)
  if (served.length === 0) return undefined
  served.sort((a, b) => Number(b.storage ?? false) - Number(a.storage ?? false))
  const columns = served[0]?.additionalPrinterColumns
  return {
    group: spec.group,
    versions: served.map((v) => v.name),
    plural: spec.names.plural,
    singular: spec.names.singular,
    kind: spec.names.kind,
    namespaced: spec.scope === 'Namespaced',
    ...(spec.names.shortNames ? { shortNames: spec.names.shortNames } : {}),
    ...(spec.names.categories ? { categories: spec.names.categories } : {}),
    ...(columns ? { columns } : {}),
  }
}

export const groupVersion = (group: string, version: string): string => (group === '' ? version : `${group}/${version}`)

/** /api: the core group's versions. */
export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] }
}

/** /apis: every named group, with its versions and preferred version. */
export function apiGroupList(resources: readonly Resource[]): object {
  const groups = new Map<string, string[]>()
  for (const r of resources) {
    if (r.group === '') continue
    const versions = groups.get(r.group) ?? []
    for (const v of r.versions) if (!versions.includes(v)) versions.push(v)
    groups.set(r.group, versions)
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  }
}

/** /apis/<group>/<version> (or /api/v1): the resources served there. */
export function apiResourceList(resources: readonly Resource[], group: string, version: string): object {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: resources
      .filter((r) => r.group === group && r.versions.includes(version))
      .map((r) => ({
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: VERBS,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        ...(r.categories ? { categories: r.categories } : {}),
      })),
  }
}

/** /version, as a kube-apiserver of the version kubectl's skew policy is happy with. */
export function versionInfo(): object {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-fake',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  }
}
