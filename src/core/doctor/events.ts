// Events for the objects with findings: the controllers' Warning events say what the Ready
// message may have flattened (each failed scan or push, how often, and when). One list per
// scope, filtered here by involved object.

import type { Finding } from '../findings/types.js'

export interface KubeEvent {
  involvedObject: { kind: string; name: string; namespace?: string }
  type: string
  reason: string
  message: string
  count: number
  lastTimestamp?: string
}

const PER_OBJECT = 3

/** Adds each subject's latest Warning events to the first finding about it, as evidence. */
export function attachEvents(findings: Finding[], events: KubeEvent[]): void {
  const byObject = new Map<string, KubeEvent[]>()
  for (const e of events) {
    if (e.type !== 'Warning') continue
    const key = objectKey(e.involvedObject)
    const list = byObject.get(key) ?? []
    list.push(e)
    byObject.set(key, list)
  }
  const done = new Set<string>()
  for (const f of findings) {
    if (!f.subject) continue
    const key = objectKey(f.subject)
    if (done.has(key)) continue
    done.add(key)
    const latest = (byObject.get(key) ?? []).sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? '')).slice(0, PER_OBJECT)
    if (latest.length === 0) continue
    f.evidence = [...(f.evidence ?? []), ...latest.map((e) => `event ${e.reason}${e.count > 1 ? ` ×${e.count}` : ''}${e.lastTimestamp ? ` at ${e.lastTimestamp}` : ''}: ${e.message}`)]
  }
}

function objectKey(o: { kind: string; name: string; namespace?: string }): string {
  return `${o.kind}/${o.namespace ?? ''}/${o.name}`
}
