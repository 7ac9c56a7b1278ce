// A doctor check: one unit of the walk, its stage, what it needs from the snapshot, and a pure
// function from the snapshot to findings. Nothing in a check reads, writes or exits.

import type { Finding } from '../findings/types.js'
import type { Snapshot, SnapshotKind } from './snapshot.js'

export type Stage = 'controllers' | 'repositories' | 'policies' | 'automations' | 'markers' | 'delivery'

export const STAGES: readonly Stage[] = ['controllers', 'repositories', 'policies', 'automations', 'markers', 'delivery']

export interface Check {
  id: string
  stage: Stage
  title: string
  /** Kinds the check reads; when one could not be read, the check is skipped with the reason. */
  needs: SnapshotKind[]
  /**
   * What the check judges, counted: with nothing to judge it is skipped with the reason, never
   * passed (an empty namespace says nothing about whether policies select a tag).
   */
  over?(s: Snapshot): { count: number; what: string }
  run(s: Snapshot): Finding[]
}

export function subjectOf(kind: string, o: { metadata: { name: string; namespace?: string } }): { kind: string; name: string; namespace?: string } {
  return { kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) }
}
