// Stage 1 (failure catalogue A): the image CRDs and controllers. flux check passes when the
// image controllers are absent; this does not.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import type { Check } from '../check.js'
import { assumedText } from '../../flux/detect.js'
import { objectsOf, type KObject } from '../snapshot.js'

const IMAGE_CRDS = ['imagerepositories', 'imagepolicies', 'imageupdateautomations'].map((p) => `${p}.image.toolkit.fluxcd.io`)
const CONTROLLERS = ['image-reflector-controller', 'image-automation-controller']

export const crdsInstalled: Check = {
  id: 'crds-installed',
  stage: 'controllers',
  title: 'The image CRDs are installed',
  needs: ['CustomResourceDefinition'],
  run(s) {
    const crds = objectsOf(s, 'CustomResourceDefinition') ?? []
    const byName = new Map(crds.map((c) => [c.metadata.name, c]))
    const missing = IMAGE_CRDS.filter((n) => !byName.has(n))
    if (missing.length > 0) return [finding('FIA401', `Missing: ${missing.join(', ')}.`, { evidence: missing })]
    const out: Finding[] = []
    const assumed = s.fluxVersion ? [assumedText(s.fluxVersion)] : []
    const withoutV1: string[] = []
    for (const name of IMAGE_CRDS) {
      const crd = byName.get(name) as KObject
      const versions = (crd.spec?.versions ?? []) as { name: string; served?: boolean; storage?: boolean }[]
      const served = versions.filter((v) => v.served !== false).map((v) => v.name)
      if (!served.includes('v1')) withoutV1.push(`${name} serves ${served.join(', ') || 'no version'}`)
      // Objects stored at a version other than the storage one must be migrated before a Flux
      // that no longer serves it: 2.7 drops v1beta1, 2.9 drops v1beta2.
      const storage = versions.find((v) => v.storage)?.name
      const stored = ((crd.status?.storedVersions ?? []) as string[]).filter((v) => v !== storage)
      if (stored.length > 0) {
        const removedIn = stored.includes('v1beta1') ? '2.7' : '2.9'
        out.push(finding('FIA408', `${name} still lists ${stored.join(', ')} in status.storedVersions (storage version ${storage ?? 'unknown'}); Flux ${removedIn} no longer serves ${stored.includes('v1beta1') ? 'v1beta1' : 'v1beta2'}, so migrate before upgrading to it.`, { evidence: [`status.storedVersions: ${((crd.status?.storedVersions ?? []) as string[]).join(', ')}`, ...assumed] }))
      }
    }
    if (withoutV1.length > 0) {
      const partial = withoutV1.length < IMAGE_CRDS.length ? ' Only some of them: an upgrade was applied in part, and the CRDs disagree.' : ''
      out.push(finding('FIA404', `${withoutV1.join('; ')}: this is Flux 2.6 or older, where manifests must use v1beta2.${partial}`, { evidence: [`served: ${withoutV1.join('; ')}`, ...assumed] }))
    }
    return out
  },
}

export const controllersReady: Check = {
  id: 'controllers-ready',
  stage: 'controllers',
  title: 'image-reflector-controller and image-automation-controller run',
  needs: ['Deployment'],
  run(s) {
    const deployments = objectsOf(s, 'Deployment') ?? []
    const out: Finding[] = []
    for (const name of CONTROLLERS) {
      const d = deployments.find((x) => x.metadata.name === name)
      const subject = { kind: 'Deployment', namespace: s.fluxNamespace, name }
      if (!d) {
        out.push(finding('FIA402', `There is no Deployment ${name} in ${s.fluxNamespace}.`, { subject }))
        continue
      }
      const wanted = (d.spec?.replicas as number | undefined) ?? 1
      const ready = (d.status?.readyReplicas as number | undefined) ?? 0
      const image = ((d.spec?.template as { spec?: { containers?: { image?: string }[] } } | undefined)?.spec?.containers?.[0]?.image) ?? 'unknown image'
      if (wanted > 0 && ready < wanted) out.push(finding('FIA403', `${name}: ${ready} of ${wanted} replicas ready (${image}).`, { subject, evidence: [`image: ${image}`] }))
    }
    return out
  },
}
