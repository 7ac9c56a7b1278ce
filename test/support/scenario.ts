// Doctor scenarios (fixtures/doctor): the healthy cluster with the objects a scenario file lists
// replaced or added, and those under $delete removed.

import { readFileSync } from 'node:fs'
import { parseAllDocuments } from 'yaml'

export type Obj = { kind: string; metadata: { name: string; namespace?: string } }

/** `base`: the healthy cluster the scenario changes (fixtures/doctor/versions/flux-2.N for another Flux). */
export function scenario(name: string, base = 'healthy'): Obj[] {
  const read = (f: string): Obj[] => parseAllDocuments(readFileSync(`fixtures/doctor/${f}.yaml`, 'utf8')).map((d) => d.toJS() as Obj)
  let objects = read(base)
  const key = (o: { kind: string; name: string; namespace?: string }): string => `${o.kind}/${o.namespace ?? ''}/${o.name}`
  for (const doc of name === base ? [] : read(name)) {
    const del = (doc as unknown as { $delete?: { kind: string; name: string }[] }).$delete
    if (del) {
      const gone = new Set(del.map((d) => `${d.kind}/${d.name}`))
      objects = objects.filter((o) => !gone.has(`${o.kind}/${o.metadata.name}`))
      continue
    }
    objects = objects.filter((o) => key({ kind: o.kind, ...o.metadata }) !== key({ kind: doc.kind, ...doc.metadata }))
    objects.push(doc)
  }
  return objects
}
