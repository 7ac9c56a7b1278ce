// The Secrets the pipeline references: they exist and hold the keys Flux reads. The snapshot
// holds each Secret's name, type and key names only (the adapter drops the values), so nothing
// here can print a secret.

import { finding } from '../../findings/catalogue.js'
import type { Finding, Subject } from '../../findings/types.js'
import { type Check, subjectOf } from '../check.js'
import { byRef, type KObject, objectsOf, refKey, type Snapshot } from '../snapshot.js'

export interface SecretUse {
  namespace: string
  name: string
  /** The referencing object and field, e.g. ImageRepository apps/api spec.secretRef. */
  subject: Subject
  field: string
  /** Alternatives: the Secret is usable when it holds every key of one of them. */
  needs: string[][]
}

type Ref = { name?: string } | undefined

function imageRepositoryUses(r: KObject): SecretUse[] {
  const spec = (r.spec ?? {}) as { secretRef?: Ref; certSecretRef?: Ref; proxySecretRef?: Ref }
  const at = (field: string, sref: Ref, needs: string[][]): SecretUse[] =>
    sref?.name ? [{ namespace: r.metadata.namespace ?? '', name: sref.name, subject: subjectOf('ImageRepository', r), field, needs }] : []
  return [
    ...at('spec.secretRef', spec.secretRef, [['.dockerconfigjson'], ['.dockercfg']]),
    // ca.crt (or a client pair); caFile/certFile/keyFile are the deprecated names.
    ...at('spec.certSecretRef', spec.certSecretRef, [['ca.crt'], ['tls.crt', 'tls.key'], ['caFile'], ['certFile', 'keyFile']]),
    ...at('spec.proxySecretRef', spec.proxySecretRef, [['address']]),
  ]
}

// The automation clones and pushes with its GitRepository's secret, and signs with its own.
function automationUses(a: KObject, gitRepos: ReadonlyMap<string, KObject>): SecretUse[] {
  const spec = (a.spec ?? {}) as { sourceRef?: { name?: string; namespace?: string }; git?: { commit?: { signingKey?: { type?: string; secretRef?: Ref } } } }
  const ns = a.metadata.namespace ?? ''
  const uses: SecretUse[] = []
  const git = spec.sourceRef?.name === undefined ? undefined : gitRepos.get(refKey(spec.sourceRef.namespace ?? ns, spec.sourceRef.name))
  const gitSecret = (git?.spec?.secretRef as Ref)?.name
  if (git && gitSecret) {
    const url = String(git.spec?.url ?? '')
    const ssh = /^ssh:\/\//.test(url)
    uses.push({
      namespace: git.metadata.namespace ?? '',
      name: gitSecret,
      subject: subjectOf('GitRepository', git),
      field: 'spec.secretRef',
      needs: ssh ? [['identity', 'known_hosts']] : [['username', 'password'], ['bearerToken'], ['githubAppID', 'githubAppPrivateKey']],
    })
  }
  const signing = spec.git?.commit?.signingKey
  if (signing?.secretRef?.name) {
    uses.push({ namespace: ns, name: signing.secretRef.name, subject: subjectOf('ImageUpdateAutomation', a), field: 'spec.git.commit.signingKey.secretRef', needs: signing.type === 'ssh' ? [['identity']] : [['git.asc']] })
  }
  return uses
}

/** Every Secret the in-scope objects reference: what the adapter lists Secrets for. */
export function secretUses(s: Snapshot): SecretUse[] {
  const gitRepos = byRef(objectsOf(s, 'GitRepository') ?? [])
  return [...(objectsOf(s, 'ImageRepository') ?? []).flatMap(imageRepositoryUses), ...(objectsOf(s, 'ImageUpdateAutomation') ?? []).flatMap((a) => automationUses(a, gitRepos))]
}

function judge(s: Snapshot, uses: SecretUse[]): Finding[] {
  const secrets = new Map((objectsOf(s, 'Secret') ?? []).map((x) => [`${x.metadata.namespace}/${x.metadata.name}`, x]))
  const out: Finding[] = []
  const seen = new Set<string>()
  for (const u of uses) {
    // Out of scope (-n elsewhere): the Secret was not listed, so nothing can be said.
    if (s.namespace !== undefined && u.namespace !== s.namespace) continue
    const key = `${u.subject.kind}/${u.subject.namespace}/${u.subject.name}/${u.field}`
    if (seen.has(key)) continue
    seen.add(key)
    const where = `${u.subject.kind} ${u.subject.namespace ? u.subject.namespace + '/' : ''}${u.subject.name} ${u.field}`
    const secret = secrets.get(`${u.namespace}/${u.name}`)
    if (!secret) {
      out.push(finding('FIA460', `${where} names Secret ${u.namespace}/${u.name}, which does not exist.`, { subject: u.subject }))
      continue
    }
    const keys = secret.keys ?? []
    if (!u.needs.some((set) => set.every((k) => keys.includes(k)))) {
      out.push(
        finding('FIA461', `Secret ${u.namespace}/${u.name} (${where}) holds none of the key sets Flux reads.`, {
          subject: u.subject,
          evidence: [`keys: ${keys.length ? keys.join(', ') : '(none)'}; type ${secret.type ?? 'unknown'}`, `Flux reads: ${u.needs.map((set) => set.join(' + ')).join(', or ')}`],
        }),
      )
    }
  }
  return out
}

export const repositorySecrets: Check = {
  id: 'repository-secrets',
  stage: 'repositories',
  title: "ImageRepositories' Secrets exist and hold the keys Flux reads",
  needs: ['ImageRepository', 'Secret'],
  over: (s) => ({ count: (objectsOf(s, 'ImageRepository') ?? []).flatMap(imageRepositoryUses).length, what: 'Secret named by an ImageRepository' }),
  run: (s) => judge(s, (objectsOf(s, 'ImageRepository') ?? []).flatMap(imageRepositoryUses)),
}

export const automationSecrets: Check = {
  id: 'automation-secrets',
  stage: 'automations',
  title: "The automations' Git and signing Secrets exist and hold the keys Flux reads",
  needs: ['ImageUpdateAutomation', 'GitRepository', 'Secret'],
  over: (s) => {
    const gitRepos = byRef(objectsOf(s, 'GitRepository') ?? [])
    return { count: (objectsOf(s, 'ImageUpdateAutomation') ?? []).flatMap((a) => automationUses(a, gitRepos)).length, what: "Secret named by an automation's GitRepository or signing key" }
  },
  run: (s) => {
    const gitRepos = byRef(objectsOf(s, 'GitRepository') ?? [])
    return judge(s, (objectsOf(s, 'ImageUpdateAutomation') ?? []).flatMap((a) => automationUses(a, gitRepos)))
  },
}
