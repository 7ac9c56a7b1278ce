// explain policy's live tag source: the ImageRepository's registry, authenticated and
// trusted the way Flux would be, with any failure classified.

import type { Finding, ToolError } from '../../core/findings/types.js'
import type { ImageRepositoryObject, TagSource } from '../../core/policy/explain.js'
import { classifyRegistryFailure } from '../../core/registry/classify.js'
import { parseImage, type CloudProvider } from '../../core/registry/image.js'
import { finding } from '../../core/findings/catalogue.js'
import type { KubeReader } from '../kube.js'
import { readText } from '../manifests.js'
import { RegistryClient, RegistryError, RegistryLimitError, type RegistryOptions } from './client.js'
import { type CredentialLookup, fromCloudCli, fromDockerConfigFile, fromSecret } from './credentials.js'

export interface RegistryAccess {
  kube?: KubeReader
  dockerConfig?: string
  caFile?: string
  timeoutMs?: number
  /** For tests: how long a 429's Retry-After may make us wait. */
  maxWaitMs?: number
}

export interface RegistryTags {
  source?: TagSource
  findings: Finding[]
  errors: ToolError[]
  client?: RegistryClient
}

export async function tagsFromRegistry(repo: ImageRepositoryObject, access: RegistryAccess): Promise<RegistryTags> {
  const subject = { kind: 'ImageRepository', name: repo.metadata.name, ...(repo.metadata.namespace ? { namespace: repo.metadata.namespace } : {}) }
  const spec = repo.spec ?? {}
  const parsed = parseImage(spec.image ?? '')
  if (!parsed.ok) return { findings: [finding('FIA210', parsed.message, { subject })], errors: [] }
  const name = parsed.name
  const provider = spec.provider ?? 'generic'
  const findings: Finding[] = []

  let lookup: CredentialLookup | undefined
  if (provider === 'aws' || provider === 'gcp' || provider === 'azure') {
    const cloud = await fromCloudCli(provider as CloudProvider, name.registry)
    if (cloud.missing) {
      // Without the cloud's token the registry would only answer 401: do not ask it.
      findings.push(finding('FIA209', `provider: ${provider} needs a cloud identity; locally flux-imgauto asks the CLI: ${cloud.missing}.`, { subject, evidence: cloud.tried }))
      return { findings, errors: [{ code: 'ERR_REGISTRY', message: `no ${provider} credentials for ${name.registry}`, suggestion: `Run ${cloud.missing}, or pass --tags-file.` }] }
    }
    lookup = cloud
  } else if (spec.secretRef?.name && access.kube) {
    const ns = repo.metadata.namespace ?? 'flux-system'
    lookup = fromSecret(await access.kube.getSecret(ns, spec.secretRef.name), `${ns}/${spec.secretRef.name}`, name)
  } else {
    lookup = await fromDockerConfigFile(access.dockerConfig, name)
  }

  const opts: RegistryOptions = { insecure: spec.insecure === true, timeoutMs: access.timeoutMs ?? 30_000, ...(access.maxWaitMs !== undefined ? { maxWaitMs: access.maxWaitMs } : {}) }
  if (lookup?.credentials) opts.credentials = lookup.credentials
  if (access.caFile) opts.ca = await readText(access.caFile)
  else if (spec.certSecretRef?.name && access.kube) {
    const ns = repo.metadata.namespace ?? 'flux-system'
    const tls = (await access.kube.getSecret(ns, spec.certSecretRef.name)).data ?? {}
    const pem = (k: string): string | undefined => (tls[k] ? Buffer.from(tls[k] as string, 'base64').toString('utf8') : undefined)
    const ca = pem('ca.crt') ?? pem('caFile')
    const cert = pem('tls.crt') ?? pem('certFile')
    const key = pem('tls.key') ?? pem('keyFile')
    if (ca) opts.ca = ca
    if (cert) opts.cert = cert
    if (key) opts.key = key
  }

  const client = new RegistryClient(name, opts)
  try {
    const list = await client.listTags()
    const source: TagSource = { kind: 'registry', description: `registry ${name.canonical} (${list.pages} page(s), ${list.scheme})`, tags: list.tags, complete: true }
    return { source, findings, errors: [], client }
  } catch (e) {
    if (e instanceof RegistryLimitError) {
      return { findings, errors: [{ code: 'ERR_REGISTRY', message: `listing tags of ${name.canonical}: ${e.message}`, suggestion: 'Replay over a list you provide with --tags-file (e.g. the tags the filterTags pattern admits); the README lists the limits.' }] }
    }
    if (!(e instanceof RegistryError)) throw e
    findings.push(
      ...classifyRegistryFailure({
        message: e.message,
        kind: e.kind,
        ...(e.detail.status !== undefined ? { status: e.detail.status } : {}),
        registry: name.registry,
        provider,
        ...(spec.secretRef?.name ? { secretRef: spec.secretRef.name } : {}),
        tried: lookup?.tried ?? ['no docker config found'],
        ...(lookup?.credentials ? { used: lookup.credentials.source } : {}),
        ...(lookup?.keys ? { keys: lookup.keys } : {}),
        ...(lookup?.username !== undefined ? { username: lookup.username } : {}),
        subject,
      }),
    )
    return { findings, errors: [{ code: 'ERR_REGISTRY', message: `listing tags of ${name.canonical}: ${e.message}`, suggestion: 'See the registry finding; --tags-file replays over a list you provide, --no-registry uses the status.' }] }
  }
}
