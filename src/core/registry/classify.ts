// Registry failures as coded findings with evidence and a fix (the failure catalogue, §1B).
// The same function reads a live listing's failure and the messages the cluster shows on an
// ImageRepository (`scan failed: …`, AuthenticationFailed, ImageURLInvalid), so the doctor
// can reuse it.

import { finding } from '../findings/catalogue.js'
import type { Finding, Subject } from '../findings/types.js'
import { CLOUD_REGISTRY, cloudOf } from './image.js'

export interface FailureFacts {
  /** The error text: ours, or the Ready condition's message. */
  message: string
  /** The Ready condition's reason, when it comes from the cluster. */
  reason?: string
  status?: number
  kind?: 'http' | 'tls' | 'network' | 'timeout' | 'protocol' | 'refused'
  registry?: string
  provider?: string
  secretRef?: string
  /** Where credentials were looked for, and what was used. */
  tried?: string[]
  used?: string
  /** Host keys of the docker config or Secret that was read. */
  keys?: string[]
  username?: string
  subject?: Subject
}

function statusOf(f: FailureFacts): number | undefined {
  if (f.status !== undefined) return f.status
  const m = /\b(400|401|403|404|429|5\d\d)\b/.exec(f.message)
  if (m) return Number(m[1])
  if (/UNAUTHORIZED|authentication required/i.test(f.message)) return 401
  if (/DENIED|forbidden/i.test(f.message)) return 403
  if (/NAME_UNKNOWN|MANIFEST_UNKNOWN|repository name not known/i.test(f.message)) return 404
  if (/TOOMANYREQUESTS|too many requests|rate limit/i.test(f.message)) return 429
  return undefined
}

// A cloud registry read through its own provider: the controller's identity got a token and
// the registry refused it, so no Secret is the fix (catalogue B1, B5): the identity's binding
// and role are, and for AWS the pod must be recreated after the role changes.
const IDENTITY_FIX: Record<string, string> = {
  aws: "The aws provider's identity was refused: check the eks.amazonaws.com/role-arn annotation on image-reflector-controller's ServiceAccount, the role's trust policy and its ECR read permissions (such as the AmazonEC2ContainerRegistryReadOnly policy); after changing the role, restart the controller pod.",
  gcp: "The gcp provider's identity was refused: bind image-reflector-controller's Kubernetes ServiceAccount to a Google service account (workload identity) and grant it roles/artifactregistry.reader on the repository.",
  azure: "The azure provider's identity was refused: give image-reflector-controller's workload identity (azure.workload.identity/use pod label, client-id annotation) the AcrPull role on the registry.",
}

const FIA208_FIX = (cloud: string): string => `Set spec.provider: ${cloud} and give the image-reflector-controller's service account access (IRSA / workload identity), instead of a static Secret.`

export function classifyRegistryFailure(f: FailureFacts): Finding[] {
  const out: Finding[] = []
  const extra = (evidence: string[]): { subject?: Subject; evidence: string[] } => ({ ...(f.subject ? { subject: f.subject } : {}), evidence: [f.message, ...evidence] })
  const provider = f.provider ?? 'generic'
  const cloud = f.registry ? cloudOf(f.registry) : undefined
  const tried = [...(f.tried?.length ? [`credentials looked for in: ${f.tried.join(', ')}`] : []), ...(f.used ? [`credentials used: ${f.used}`] : [])]

  if (/should not include (a tag|URL scheme)/.test(f.message) || f.reason === 'ImageURLInvalid') {
    return [finding('FIA210', f.message, extra([]))]
  }
  if (/ObjectLevelWorkloadIdentity/.test(f.message)) return [finding('FIA215', f.message, extra([]))]
  // fluxcd/pkg auth/{aws,gcp,azure}: the provider parses the registry host and refuses one that
  // is not its cloud's; no credentials were wrong, the provider is.
  if (/invalid (AWS|GCP|Azure) registry: '/.test(f.message)) {
    return [finding('FIA456', `spec.provider is ${provider}, but ${f.registry ?? 'the registry'} is not a registry of that cloud: ${f.message}`, extra([]))]
  }
  if (/AWS_REGION|NoCredentialProviders|DefaultAzureCredential|ManagedIdentityCredential|invalid AWS registry|could not find default credentials|metadata.google.internal/.test(f.message)) {
    return [finding('FIA209', `The ${provider} provider could not get credentials: ${f.message}`, extra([]))]
  }

  // A cloud registry read without its provider: anonymous, or a static token that expires.
  if (cloud && provider === 'generic') {
    out.push(
      finding('FIA208', `${f.registry} is ${CLOUD_REGISTRY[cloud]}, but spec.provider is ${provider}${f.secretRef ? ` and credentials come from Secret ${f.secretRef}` : ', so Flux reads it anonymously'}.`, {
        ...extra([]),
        fix: FIA208_FIX(cloud),
      }),
    )
  }

  const status = statusOf(f)
  // A static ECR token from a Secret: expired, ECR answers 401, or 403 DENIED saying so.
  const expiredEcr = cloud === 'aws' && f.secretRef !== undefined && provider === 'generic' && (status === 401 || status === 403)
  // Ours, or go-containerregistry's in the cluster's message (validateRealmURL, and from v0.21.7
  // validatePaginationURL and the token-server redirect check).
  if (f.kind === 'refused' || /invalid realm in www-authenticate|pagination URL (host|scheme) does not match|refusing token-server redirect/.test(f.message)) {
    out.push(finding('FIA217', `The registry pointed at a host its credentials may not go to, which was refused: ${f.message}`, extra([])))
  } else if (/server gave HTTP response to HTTPS client/.test(f.message)) {
    out.push(finding('FIA218', `The registry answered in plain HTTP: ${f.message}`, extra([])))
  } else if (/authorization token has expired|token (has )?expired|expired token/i.test(f.message) || expiredEcr) {
    const evidence = [...tried, ...(cloud === 'aws' && f.secretRef ? [`a static ${CLOUD_REGISTRY.aws} token in Secret ${f.secretRef} expires after 12 hours`] : [])]
    out.push(finding(cloud === 'aws' ? 'FIA207' : 'FIA201', `The registry token has expired (${status ?? 'expired'}): ${f.message}`, extra(evidence)))
  } else if (status === 400 || /\b400 Bad Request\b/.test(f.message)) {
    out.push(finding('FIA219', `The registry refused the request (400): ${f.message}`, extra(/\/token\b|\/oauth2?\/|auth\./.test(f.message) ? ['the 400 came from the token endpoint: the repository name in the requested scope is not valid there'] : [])))
  } else if (f.kind === 'tls' || /x509|certificate signed by unknown authority|self[- ]signed|unable to verify/i.test(f.message)) {
    out.push(finding('FIA205', `The registry's TLS certificate is not trusted: ${f.message}`, extra([])))
  } else if (f.kind === 'timeout' || /deadline exceeded|Client\.Timeout|i\/o timeout|no answer within/.test(f.message)) {
    out.push(finding('FIA213', `The registry did not answer in time: ${f.message}`, extra([])))
  } else if (f.kind === 'network' || /connection refused|no such host|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|network is unreachable|EHOSTUNREACH/.test(f.message)) {
    out.push(finding('FIA206', `The registry cannot be reached: ${f.message}`, extra([])))
  } else if (/auth for "[^"]*" not found in secret/.test(f.message)) {
    // Older controllers say so outright when no auths key matches the host (catalogue B7).
    out.push(finding('FIA211', `The credentials have no entry for this registry host: ${f.message}`, extra([])))
  } else if (status === 401) {
    const evidence = [...tried]
    if (f.keys?.length && f.registry && !f.used) evidence.push(`host keys present: ${f.keys.join(', ')}; none is ${f.registry}`)
    if (cloud && f.secretRef && provider === 'generic') evidence.push(`a static ${CLOUD_REGISTRY[cloud]} token in a Secret expires (ECR tokens after 12 hours)`)
    // With a cloud registry read without its provider, FIA208's fix (the provider) is the fix.
    out.push(finding('FIA201', `The registry refused the credentials (401): ${f.message}`, { ...extra(evidence), ...(cloud && provider === 'generic' ? { fix: FIA208_FIX(cloud) } : cloud && provider === cloud ? { fix: IDENTITY_FIX[cloud] as string } : {}) }))
    if (f.keys?.length && f.registry && !f.used) {
      out.push(finding('FIA211', `The credentials hold entries for ${f.keys.join(', ')}, none for ${f.registry}, so Flux falls back to anonymous access.`, { ...(f.subject ? { subject: f.subject } : {}), evidence: [`host keys: ${f.keys.join(', ')}`] }))
    }
  } else if (status === 403) {
    out.push(finding('FIA202', `The registry denied access (403): ${f.message}`, { ...extra(tried), ...(cloud && provider === 'generic' ? { fix: FIA208_FIX(cloud) } : cloud && provider === cloud ? { fix: IDENTITY_FIX[cloud] as string } : {}) }))
  } else if (status === 404) {
    out.push(finding('FIA203', `The registry does not know this repository (404): ${f.message}`, extra([])))
  } else if (status === 429) {
    out.push(finding('FIA204', `The registry rate-limited the scan (429): ${f.message}`, extra([])))
  } else if (status !== undefined && status >= 500) {
    out.push(finding('FIA214', `The registry failed (${status}): ${f.message}`, extra([])))
  } else if (out.length === 0) {
    // No guess: "cannot be reached" would send users to check DNS for an error that says otherwise.
    out.push(finding('FIA409', `The registry failure matches no known cause: ${f.message}`, { ...extra(['ruled out: plain HTTP, expired tokens, 400/401/403/404/429/5xx, TLS, timeouts, DNS and connection errors, credential providers, image URLs']) }))
  }
  if (f.username && /^robot/i.test(f.username) && !f.username.includes('$') && (status === 401 || status === 403)) {
    out.push(finding('FIA212', `The username "${f.username}" looks like a Harbor robot account without its "$" (robot$project+name); an unquoted shell "$" expansion drops it.`, { ...(f.subject ? { subject: f.subject } : {}), evidence: [`username: ${f.username}`] }))
  }
  return out
}
