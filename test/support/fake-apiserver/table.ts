// The meta.k8s.io/v1 Table view kubectl asks for when it prints columns (Accept:
// application/json;as=Table;v=v1;g=meta.k8s.io). As for a CRD in kube-apiserver
// (apiextensions-apiserver/pkg/registry/customresource/tableconvertor): Name, the printer
// columns, Age; each row carries the object's metadata so kubectl can add NAMESPACE and labels.

import type { KubeObject, PrinterColumn, Resource } from './resources.js'

/** The subset of kubectl's JSONPath printer columns use: `.a.b` and `[?(@.f=="v")]` filters. */
export function jsonPath(o: unknown, path: string): unknown {
  let cur: unknown[] = [o]
  const steps = path.replace(/^\{?\.?/, '').replace(/\}$/, '').match(/\[\?\(@\.[\w.]+==["'][^"']*["']\)\]|[^.[\]]+/g) ?? []
  for (const step of steps) {
    const filter = /^\[\?\(@\.([\w.]+)==["']([^"']*)["']\)\]$/.exec(step)
    if (filter) {
      const [, field = '', want] = filter
      cur = cur.flatMap((v) => (Array.isArray(v) ? v : [])).filter((item) => String(jsonPath(item, field)) === want)
    } else cur = cur.map((v) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[step] : undefined)).filter((v) => v !== undefined)
  }
  return cur.length === 0 ? undefined : cur.length === 1 ? cur[0] : cur
}

/** kube-apiserver's short age (k8s.io/apimachinery/pkg/util/duration.HumanDuration, abridged). */
export function age(since: string | undefined, now: number): string {
  if (!since) return '<unknown>'
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000))
  if (s < 120) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`
  if (m < 180) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`
  if (h < 48) return `${h}h`
  const d = Math.floor(h / 24)
  if (d < 8) return `${d}d${h % 24 ? `${h % 24}h` : ''}`
  return d < 365 * 2 ? `${d}d` : `${Math.floor(d / 365)}y`
}

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }

export function table(resource: Resource, objects: readonly KubeObject[], resourceVersion: string, now = Date.now()): object {
  const own = resource.columns ?? []
  const columns = [...own, ...(resource.ageColumn === false || own.some((c) => c.name === 'Age') ? [] : [AGE])]
  const name = resource.nameColumn !== false
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [
      ...(name ? [{ name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 }] : []),
      ...columns.map((c) => ({ name: c.name, type: c.type, format: '', description: c.description ?? '', priority: c.priority ?? 0 })),
    ],
    rows: objects.map((o) => ({
      cells: [
        ...(name ? [o.metadata.name] : []),
        ...columns.map((c) => {
          if (c.cell) return c.cell(o, now)
          const v = jsonPath(o, c.jsonPath)
          if (c.type === 'date') return age(typeof v === 'string' ? v : undefined, now)
          return v === undefined ? null : Array.isArray(v) ? v.join(',') : v
        }),
      ],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  }
}
