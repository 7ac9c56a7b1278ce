// SARIF 2.1.0 (OASIS), the format GitHub code scanning and other scanners' dashboards read:
// one run whose driver lists every finding code of the catalogue as a rule, and one result
// per finding, at its file, line and column, with the object it concerns as a logical
// location. Suppressed findings (flux-imgauto:ignore) stay in, marked as suppressed in
// source, so a dashboard shows them as dismissed rather than forgetting them.

import { FINDING_CODES, type FindingCode } from '../core/findings/catalogue.js'
import type { Finding, Severity, Subject } from '../core/findings/types.js'

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json'

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' }

export interface SarifOptions {
  /** The tool's version (package.json). */
  version: string
  /**
   * A finding's file as a SARIF artifact location: relative to %SRCROOT% (the directory the
   * command ran in; for GitHub, the repository root), or an absolute file: URI.
   */
  artifact: (file: string) => { uri: string; uriBaseId?: string }
  /** The object a finding concerns, where the finding names none itself (a marker's document). */
  objectOf?: (f: Finding) => Subject | undefined
  /** Findings silenced in source, each with the reason given. */
  suppressed?: readonly { finding: Finding; reason: string }[]
}

const RULES = Object.values(FINDING_CODES) as FindingCode[]
const RULE_INDEX = new Map(RULES.map((r, i) => [r.code, i]))

function rule(c: FindingCode): object {
  return {
    id: c.code,
    name: c.code,
    shortDescription: { text: c.title },
    fullDescription: { text: c.title },
    help: { text: c.docs ? `${c.fix}\n\nSee ${c.docs}` : c.fix, markdown: c.docs ? `${c.fix}\n\n[Flux documentation](${c.docs})` : c.fix },
    ...(c.docs ? { helpUri: c.docs } : {}),
    defaultConfiguration: { level: LEVEL[c.severity] },
    properties: { tags: ['flux', 'image-automation'], 'flux-imgauto/severity': c.severity },
  }
}

function objectName(s: Subject): string {
  return `${s.kind}/${s.namespace ? `${s.namespace}/` : ''}${s.name}`
}

function result(f: Finding, opts: SarifOptions, suppression?: string): object {
  const subject = f.subject ?? opts.objectOf?.(f)
  const location: Record<string, unknown> = {}
  if (f.location) {
    location.physicalLocation = {
      artifactLocation: opts.artifact(f.location.file),
      region: { startLine: f.location.line ?? 1, ...(f.location.column ? { startColumn: f.location.column } : {}) },
    }
  }
  if (subject) location.logicalLocations = [{ name: subject.name, fullyQualifiedName: objectName(subject), kind: 'resource' }]
  const text = [f.message, ...(f.evidence ?? []).map((e) => `- ${e}`), `Fix: ${f.fix}`].join('\n')
  return {
    ruleId: f.code,
    ...(RULE_INDEX.has(f.code) ? { ruleIndex: RULE_INDEX.get(f.code) } : {}),
    level: LEVEL[f.severity],
    message: { text },
    ...(Object.keys(location).length > 0 ? { locations: [location] } : {}),
    ...(suppression !== undefined ? { suppressions: [{ kind: 'inSource', justification: suppression }] } : {}),
  }
}

export function renderSarif(findings: readonly Finding[], opts: SarifOptions): string {
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'flux-imgauto', version: opts.version, semanticVersion: opts.version, rules: RULES.map(rule) } },
        // Columns count UTF-16 code units, as JavaScript strings (and the yaml parser) do.
        columnKind: 'utf16CodeUnits',
        results: [...findings.map((f) => result(f, opts)), ...(opts.suppressed ?? []).map((s) => result(s.finding, opts, s.reason))],
      },
    ],
  }
  return JSON.stringify(log, null, 2) + '\n'
}
