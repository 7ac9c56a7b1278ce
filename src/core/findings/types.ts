// The contract every command shares: findings, tool errors and the JSON envelope.

export type Severity = 'error' | 'warning' | 'info'

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 }

export interface Subject {
  kind: string
  namespace?: string
  name: string
}

export interface Location {
  file: string
  line?: number
  column?: number
}

/** A diagnosis about the user's objects. Its code is a field, never part of its text. */
export interface Finding {
  code: string
  severity: Severity
  title: string
  message: string
  subject?: Subject
  location?: Location
  evidence?: string[]
  fix: string
  docs?: string
}

/** Something the tool itself could not do (read a file, reach the cluster). Not a finding. */
export interface ToolError {
  code: string
  message: string
  suggestion?: string
}

export type Status = 'ok' | 'problems' | 'incomplete'

export interface Envelope<K extends string, P> {
  apiVersion: 'flux-imgauto/v1'
  kind: K
  status: Status
  findings: Finding[]
  errors: ToolError[]
  result: P
}

/** ok: nothing at warning or above; problems: findings at warning or above; incomplete: tool errors. */
export function statusOf(findings: readonly Finding[], errors: readonly ToolError[]): Status {
  if (errors.length > 0) return 'incomplete'
  return findings.some((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK.warning) ? 'problems' : 'ok'
}
