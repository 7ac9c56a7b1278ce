// Stage 1 (failure catalogue A): the image CRDs and controllers. flux check passes when the
// image controllers are absent; this does not.

import { finding } from '../../findings/catalogue.js'
import type { Finding } from '../../findings/types.js'
import type { Check } from '../check.js'
import { objectsOf, type KObject } from '../snapshot.js'

const IMAGE_CRDS = ['imagerepositories', 'imagepolicies', 'imageupdateautomations'].map((p) => `${p}.image.toolkit.fluxcd.io`)
const CONTROLLERS = ['image-reflector-controller', 'image-automation-controller']

export const crdsInstalled: Check = {
  id: 'crds-installed',
  stage: 'controllers',
  title: 'The image CRDs are installed and serve v1',
  needs: ['CustomResourceDefinition'],
  run(s) {
    const crds = objectsOf(s, 'CustomResourceDefinition') ?? []
    const byName = new Map(crds.map((c) => [c.metadata.name, c]))
    const missing = IMAGE_CRDS.filter((n) => !byName.has(n))
    if (missing.length > 0) return [finding('FIA401', `Missing: ${missing.join(', ')}.`, { evidence: missing })]
    const out: Finding[] = []
    for (const name of IMAGE_CRDS) {
      const versions = ((byName.get(name) as KObject).spec?.versions ?? []) as { name: string; served?: boolean }[]
      const served = versions.filter((v) => v.served !== false).map((v) => v.name)
      if (!served.includes('v1')) out.push(finding('FIA404', `${name} serves ${served.join(', ') || 'no version'}, not v1.`, { evidence: [`served: ${served.join(', ')}`] }))
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
