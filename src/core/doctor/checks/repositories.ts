// Stage 2 (catalogue B): ImageRepositories scan, and when they do not, why.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import { classifyRegistryFailure } from '../../registry/classify.js'
import { parseImage } from '../../registry/image.js'
import { type Check, subjectOf } from '../check.js'
import { durationMs } from '../../go/duration.js'
import { ageText, conditionText, failingCondition, objectsOf, ref } from '../snapshot.js'

export const repositoriesScan: Check = {
  id: 'repositories-scan',
  stage: 'repositories',
  title: 'ImageRepositories scan their registry',
  needs: ['ImageRepository'],
  over: (s) => ({ count: objectsOf(s, 'ImageRepository')?.length ?? 0, what: 'ImageRepository' }),
  run(s) {
    const out: Finding[] = []
    for (const r of objectsOf(s, 'ImageRepository') ?? []) {
      const subject = subjectOf('ImageRepository', r)
      const spec = (r.spec ?? {}) as { image?: string; provider?: string; secretRef?: { name?: string }; suspend?: boolean; interval?: string }
      if (spec.suspend) {
        out.push(finding('FIA413', `${ref(r)} is suspended.`, { subject }))
        continue
      }
      const failing = failingCondition(r)
      if (failing) {
        const parsed = parseImage(spec.image ?? '')
        out.push(finding('FIA410', `${ref(r)}: ${conditionText(failing)}`, { subject }))
        // A missing Secret never reached the registry: the secrets check names it (FIA460).
        if (/secrets? "[^"]*" not found/.test(failing.message ?? '')) continue
        out.push(
          ...classifyRegistryFailure({
            message: failing.message ?? '',
            ...(failing.reason ? { reason: failing.reason } : {}),
            ...(parsed.ok ? { registry: parsed.name.registry } : {}),
            provider: spec.provider ?? 'generic',
            ...(spec.secretRef?.name ? { secretRef: spec.secretRef.name } : {}),
            subject,
          }),
        )
        continue
      }
      const scan = r.status?.lastScanResult as { scanTime?: string } | undefined
      if (!scan?.scanTime) {
        out.push(finding('FIA414', `${ref(r)} has no scan result yet.`, { subject }))
        continue
      }
      const interval = durationMs(spec.interval)
      const age = s.now - Date.parse(scan.scanTime)
      if (interval !== undefined && age > 2 * interval + 60_000) {
        out.push(finding('FIA412', `${ref(r)} last scanned ${ageText(age)} ago; its interval is ${spec.interval}.`, { subject, evidence: [`lastScanResult.scanTime: ${scan.scanTime}`] }))
      }
    }
    return out
  },
}
