// One rule set for files and clusters: lint's spec rules, run over the cluster's image objects,
// judged by the Flux version the cluster runs. Only the rules about what Flux does with a spec
// (intervals, patterns, extracts, ranges, selectors, template fields, push branches); not the
// review-process advice (FIA501, FIA502) nor the apiVersion (the doctor chose the one it read).

import type { Finding } from '../../findings/types.js'
import { lintObjects } from '../../lint/rules.js'
import type { ImageKind, LintObject } from '../../lint/types.js'
import type { Check } from '../check.js'
import { objectsOf, type Snapshot } from '../snapshot.js'

// Not FIA128 and the range rules: the policies check replays every policy and says it (FIA122).
const SPEC_RULES = new Set(['FIA101', 'FIA102', 'FIA104', 'FIA127', 'FIA129', 'FIA130', 'FIA210', 'FIA216', 'FIA342', 'FIA343', 'FIA438', 'FIA503', 'FIA508'])
const KINDS: readonly ImageKind[] = ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation']

function lintObjectsOf(s: Snapshot): LintObject[] {
  return KINDS.filter((k) => !s.specless?.has(k)).flatMap((kind) =>
    (objectsOf(s, kind) ?? []).map((o) => ({
      file: '',
      line: 0,
      apiVersion: o.apiVersion ?? '',
      kind,
      name: o.metadata.name,
      namespace: o.metadata.namespace ?? '',
      labels: o.metadata.labels ?? {},
      spec: o.spec ?? {},
    })),
  )
}

export const specRules: Check = {
  id: 'spec-rules',
  stage: 'automations',
  title: "The image objects' specs pass lint's rules",
  needs: ['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'],
  over: (s) => ({ count: lintObjectsOf(s).length, what: `ImageRepository, ImagePolicy or ImageUpdateAutomation with a spec${s.specless?.size ? ' (flux get output shows statuses only)' : ''}` }),
  run(s) {
    const findings: Finding[] = lintObjects(lintObjectsOf(s), { apiVersions: false, ...(s.fluxVersion ? { fluxVersion: s.fluxVersion } : {}) })
    return findings
      .filter((f) => SPEC_RULES.has(f.code))
      .map((f) => {
        const { location: _, ...rest } = f
        return rest
      })
  },
}
