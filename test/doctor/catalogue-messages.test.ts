// Every controller message in the failure catalogue (../shared/reference/failures-and-anchors.md,
// §1), quoted as it stands there, with its placeholders filled in, and the cause the catalogue
// gives it: the doctor must name that cause (its code and fix), not a neighbour's. Each quote is
// checked against the catalogue, read in place, so the table cannot drift from it.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runChecks } from '../../src/core/doctor/index.js'
import type { KObject, Snapshot, SnapshotKind } from '../../src/core/doctor/snapshot.js'
import { FINDING_CODES } from '../../src/core/findings/catalogue.js'

const CATALOGUE = readFileSync(new URL('../../../shared/reference/failures-and-anchors.md', import.meta.url), 'utf8').replace(/\s+/g, ' ')
const NOW = Date.parse('2026-11-24T10:00:00Z')
const meta = { name: 'app', namespace: 'flux-system' }

type Kind = 'ImageRepository' | 'ImagePolicy' | 'ImageUpdateAutomation' | 'Kustomization'
interface Row {
  /** Catalogue entry. */
  entry: string
  kind: Kind
  /** The text as the catalogue quotes it. */
  quote: string
  /** The message as a controller would set it (the quote with its placeholders filled). */
  message?: string
  reason?: string
  /** Spec fields beside the defaults (an ImageRepository's image and provider, say). */
  spec?: Record<string, unknown>
  stalled?: boolean
  /** The codes the doctor gives, in order; the last is the cause. */
  codes: string[]
  /** The Flux minor judged by (default 9): a wording only older releases write is judged by one of them. */
  flux?: number
  /** The cause's fix when it is not its code's own (a finding may carry a more specific one). */
  fix?: string
}

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api'
const ROWS: Row[] = [
  // B. Registry scan and auth (ImageRepository).
  { entry: 'B1', kind: 'ImageRepository', quote: 'scan failed: GET https://<acct>.dkr.ecr.<region>.amazonaws.com/v2/<repo>/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized', spec: { image: ECR }, reason: 'ReadOperationFailed', codes: ['FIA410', 'FIA208', 'FIA201'], fix: "Set spec.provider: aws and give the image-reflector-controller's service account access (IRSA / workload identity), instead of a static Secret." },
  { entry: 'B1', kind: 'ImageRepository', quote: 'scan failed: GET https://<acct>.dkr.ecr.<region>.amazonaws.com/v2/<repo>/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized', spec: { image: ECR, provider: 'aws' }, reason: 'ReadOperationFailed', codes: ['FIA410', 'FIA201'], fix: "The aws provider's identity was refused: check the eks.amazonaws.com/role-arn annotation on image-reflector-controller's ServiceAccount, the role's trust policy and its ECR read permissions (such as the AmazonEC2ContainerRegistryReadOnly policy); after changing the role, restart the controller pod." },
  { entry: 'B2', kind: 'ImageRepository', quote: 'failed to configure authentication options: AWS_REGION environment variable is not set in the Flux controller. if you have properly configured IAM Roles for Service Accounts (IRSA) or EKS Pod Identity, please delete/replace the controller pod so the EKS admission controllers can inject this environment variable, or set it manually if the cluster is not EKS', spec: { image: ECR, provider: 'aws' }, reason: 'AuthenticationFailed', codes: ['FIA410', 'FIA209'] },
  { entry: 'B2', kind: 'ImageRepository', quote: 'NoCredentialProviders: no valid providers in chain', spec: { image: ECR, provider: 'aws' }, reason: 'AuthenticationFailed', codes: ['FIA410', 'FIA209'] },
  { entry: 'B2', kind: 'ImageRepository', quote: "invalid AWS registry: '<host>'. must match", message: "failed to configure authentication options: invalid AWS registry: 'ghcr.io'. must match ^([0-9+]*).dkr.ecr(?:-fips)?\\.([^/.]*)\\.(amazonaws\\.com[.cn]*)$", spec: { image: 'ghcr.io/org/app', provider: 'aws' }, reason: 'AuthenticationFailed', codes: ['FIA410', 'FIA456'] },
  { entry: 'B4', kind: 'ImageRepository', quote: 'to use spec.serviceAccountName for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller', spec: { image: ECR, provider: 'aws', serviceAccountName: 'ecr' }, reason: 'FeatureGateDisabled', stalled: true, codes: ['FIA410', 'FIA215'] },
  { entry: 'B5', kind: 'ImageRepository', quote: "GET https://gcr.io/v2/<proj>/<img>/tags/list?n=1000: DENIED: Failed to read tags for host 'gcr.io'", message: "scan failed: GET https://gcr.io/v2/proj/img/tags/list?n=1000: DENIED: Failed to read tags for host 'gcr.io', repository '/v2/proj/img'", spec: { image: 'gcr.io/proj/img' }, codes: ['FIA410', 'FIA208', 'FIA202'], fix: "Set spec.provider: gcp and give the image-reflector-controller's service account access (IRSA / workload identity), instead of a static Secret." },
  { entry: 'B5', kind: 'ImageRepository', quote: '403: denied: Permission "artifactregistry.repositories.downloadArtifacts" denied', message: 'scan failed: GET https://europe-docker.pkg.dev/v2/proj/repo/img/tags/list?n=1000: unexpected status code 403: denied: Permission "artifactregistry.repositories.downloadArtifacts" denied on resource', spec: { image: 'europe-docker.pkg.dev/proj/repo/img', provider: 'gcp' }, codes: ['FIA410', 'FIA202'], fix: "The gcp provider's identity was refused: bind image-reflector-controller's Kubernetes ServiceAccount to a Google service account (workload identity) and grant it roles/artifactregistry.reader on the repository." },
  { entry: 'B6', kind: 'ImageRepository', quote: 'failed to configure authentication options: DefaultAzureCredential: failed to acquire a token.', message: 'failed to configure authentication options: DefaultAzureCredential: failed to acquire a token. ManagedIdentityCredential: no default identity is assigned to this resource', spec: { image: 'shop.azurecr.io/app', provider: 'azure' }, reason: 'AuthenticationFailed', codes: ['FIA410', 'FIA209'] },
  { entry: 'B6', kind: 'ImageRepository', quote: 'failed to create provider access token for the controller: ManagedIdentityCredential: context deadline exceeded', spec: { image: 'shop.azurecr.io/app', provider: 'azure' }, reason: 'AuthenticationFailed', codes: ['FIA410', 'FIA209'] },
  { entry: 'B7', kind: 'ImageRepository', quote: 'auth for "index.docker.io" not found in secret flux-system/dockerhub', spec: { image: 'docker.io/org/app', secretRef: { name: 'dockerhub' } }, codes: ['FIA410', 'FIA211'] },
  { entry: 'B7', kind: 'ImageRepository', quote: 'auth for "ghcr.io" not found in secret flux-system/github', spec: { image: 'ghcr.io/org/app', secretRef: { name: 'github' } }, codes: ['FIA410', 'FIA211'] },
  { entry: 'B9', kind: 'ImageRepository', quote: 'unexpected status code 429 Too Many Requests', message: 'scan failed: GET https://index.docker.io/v2/org/app/tags/list?n=1000: unexpected status code 429 Too Many Requests', spec: { image: 'docker.io/org/app' }, codes: ['FIA410', 'FIA204'] },
  { entry: 'B9', kind: 'ImageRepository', quote: 'TOOMANYREQUESTS: You have reached your pull rate limit', message: 'scan failed: GET https://index.docker.io/v2/org/app/tags/list?n=1000: TOOMANYREQUESTS: You have reached your pull rate limit.', spec: { image: 'docker.io/org/app' }, codes: ['FIA410', 'FIA204'] },
  { entry: 'B10', kind: 'ImageRepository', quote: 'x509: certificate signed by unknown authority', message: 'scan failed: Get "https://harbor.example.com/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority', spec: { image: 'harbor.example.com/org/app' }, codes: ['FIA410', 'FIA205'] },
  { entry: 'B11', kind: 'ImageRepository', quote: "image 'ghcr.io/x/y:1.0' should not include a tag; remove ':1.0'", spec: { image: 'ghcr.io/x/y:1.0' }, reason: 'ImageURLInvalid', stalled: true, codes: ['FIA410', 'FIA210'] },
  // C. The policy selects nothing.
  { entry: 'C1', kind: 'ImagePolicy', quote: 'unable to determine latest version from provided list', codes: ['FIA420', 'FIA105'] },
  { entry: 'C2', kind: 'ImagePolicy', quote: 'version list argument cannot be empty', spec: { filterTags: { pattern: '^main-[0-9]+$' } }, codes: ['FIA420', 'FIA106'] },
  { entry: 'C3', kind: 'ImagePolicy', quote: 'retrying in 30s error: no tags in database', reason: 'DependencyNotReady', codes: ['FIA423'] },
  { entry: 'C3', kind: 'ImagePolicy', quote: 'referenced ImageRepository has not been scanned yet', reason: 'DependencyNotReady', flux: 6, codes: ['FIA423'] },
  { entry: 'C4', kind: 'ImagePolicy', quote: "failed to parse invalid numeric value '<v>'", message: "failed to parse invalid numeric value '20260528-153652'", spec: { policy: { numerical: { order: 'asc' } } }, codes: ['FIA420', 'FIA107'] },
  { entry: 'C5', kind: 'ImagePolicy', quote: 'failed to get the referred ImageRepository: referenced ImageRepository does not exist:', message: 'failed to get the referred ImageRepository: referenced ImageRepository does not exist: imagerepositories.image.toolkit.fluxcd.io "app" not found', reason: 'DependencyNotReady', codes: ['FIA422'] },
  { entry: 'C5', kind: 'ImagePolicy', quote: "cannot access 'ImageRepository/<ns>/<name>', cross-namespace references have been blocked", message: "failed to get the referred ImageRepository: cannot access 'ImageRepository/images/app', cross-namespace references have been blocked", reason: 'AccessDenied', codes: ['FIA422'] },
  { entry: 'C6', kind: 'ImagePolicy', quote: 'failed fetching digest of <image>:<tag>:', message: 'failed fetching digest of ghcr.io/org/app:1.2.3: GET https://ghcr.io/v2/org/app/manifests/1.2.3: MANIFEST_UNKNOWN: manifest unknown', codes: ['FIA425'] },
  { entry: 'C', kind: 'ImagePolicy', quote: "failed to filter tags: invalid regular expression pattern '<p>':", message: "failed to filter tags: invalid regular expression pattern '^(?<v>[0-9.]+)$': error parsing regexp: invalid or unsupported Perl syntax: `(?<`", reason: 'InvalidPolicy', stalled: true, spec: { filterTags: { pattern: '^(?<v>[0-9.]+)$', extract: '$v' } }, codes: ['FIA420', 'FIA104'] },
  // F. The automation does not commit or push.
  { entry: 'F2', kind: 'ImageUpdateAutomation', quote: 'unknown error: remote: ', message: 'failed to push to remote: unknown error: remote: ', codes: ['FIA434'] },
  { entry: 'F2', kind: 'ImageUpdateAutomation', quote: 'failed to update source: failed to push to remote: unknown error: ERROR: The key you are authenticating with has been marked as read only.', codes: ['FIA434'] },
  { entry: 'F3', kind: 'ImageUpdateAutomation', quote: '… failed to push to remote: authorization failed: <body>', message: 'failed to update source: failed to push to remote: authorization failed: remote: Write access to repository not granted.', codes: ['FIA434'] },
  { entry: 'F4', kind: 'ImageUpdateAutomation', quote: 'command error on refs/heads/main: protected branch hook declined', message: 'failed to update source: failed to push to remote: command error on refs/heads/main: protected branch hook declined', codes: ['FIA435'] },
  { entry: 'F4', kind: 'ImageUpdateAutomation', quote: 'pre-receive hook declined', message: 'failed to update source: failed to push to remote: command error on refs/heads/main: pre-receive hook declined', codes: ['FIA435'] },
  { entry: 'F6', kind: 'ImageUpdateAutomation', quote: 'non-fast-forward update: refs/heads/<b>', message: 'failed to update source: failed to push to remote: non-fast-forward update: refs/heads/flux-image-updates', codes: ['FIA436'] },
  { entry: 'F7', kind: 'ImageUpdateAutomation', quote: `failed to checkout source: unable to clone '<url>': couldn't find remote ref "refs/heads/<b>"`, message: `failed to checkout source: unable to clone 'ssh://git@github.com/org/fleet': couldn't find remote ref "refs/heads/release"`, codes: ['FIA437'] },
  { entry: 'F9', kind: 'ImageUpdateAutomation', quote: 'failed configuring source manager: referenced git repository does not exist: …', message: 'failed configuring source manager: referenced git repository does not exist: gitrepositories.source.toolkit.fluxcd.io "fleet" not found', reason: 'SourceManagerFailed', codes: ['FIA433'] },
  { entry: 'F9', kind: 'ImageUpdateAutomation', quote: 'failed to get auth secret …', message: "failed configuring source manager: failed to get auth secret 'flux-system/fleet': secrets \"fleet\" not found", reason: 'SourceManagerFailed', codes: ['FIA433'] },
  { entry: 'F10', kind: 'ImageUpdateAutomation', quote: 'RemovedTemplateField', message: "template uses removed '.Updated' field. Please use '.Changed' instead. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template", reason: 'RemovedTemplateField', stalled: true, codes: ['FIA431', 'FIA503'] },
  // The feature gate on image-automation-controller (v1.0+), for the GitRepository's provider.
  { entry: 'B4', kind: 'ImageUpdateAutomation', quote: 'to use spec.serviceAccountName for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller', reason: 'FeatureGateDisabled', stalled: true, codes: ['FIA431', 'FIA457'] },
  // A. The CRDs (a Kustomization applying the image objects).
  { entry: 'A1', kind: 'Kustomization', quote: 'no matches for kind "ImageRepository" in version "image.toolkit.fluxcd.io/v1alpha1"', message: 'ImageRepository/flux-system/app dry-run failed: no matches for kind "ImageRepository" in version "image.toolkit.fluxcd.io/v1alpha1"', codes: ['FIA454', 'FIA504'], fix: 'Write apiVersion: image.toolkit.fluxcd.io/v1 in the manifest (v1beta2 and v1 have the same fields).' },
]

function object(row: Row): KObject {
  const message = row.message ?? row.quote
  const conditions = [{ type: 'Ready', status: 'False', reason: row.reason ?? 'Failure', message }, ...(row.stalled ? [{ type: 'Stalled', status: 'True', reason: row.reason ?? 'Failure', message }] : [])]
  const base: Record<Kind, Record<string, unknown>> = {
    ImageRepository: { image: 'ghcr.io/org/app', interval: '5m' },
    ImagePolicy: { imageRepositoryRef: { name: 'app' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } } },
    ImageUpdateAutomation: { interval: '30m', sourceRef: { kind: 'GitRepository', name: 'fleet' }, git: { commit: { author: { email: 'bot@example.com' } }, push: { branch: 'main' } }, update: { path: './clusters', strategy: 'Setters' } },
    Kustomization: { interval: '10m', path: './clusters', sourceRef: { kind: 'GitRepository', name: 'fleet' } },
  }
  return { kind: row.kind, metadata: meta, spec: { ...base[row.kind], ...row.spec }, status: { conditions } }
}

function snapshot(row: Row): Snapshot {
  const s: Snapshot = { fluxNamespace: 'flux-system', now: NOW, objects: new Map(), unavailable: new Map(), uncovered: new Map(), fluxVersion: { minors: [row.flux ?? 9], basis: 'test', known: true } }
  const objects: Partial<Record<SnapshotKind, KObject[]>> = { [row.kind]: [object(row)] }
  if (row.kind === 'ImagePolicy') {
    objects.ImageRepository = [{ kind: 'ImageRepository', metadata: meta, spec: { image: 'ghcr.io/org/app', interval: '5m' }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: `successful scan: found 3 tags${(row.flux ?? 9) >= 7 ? ' with checksum 1' : ''}` }], lastScanResult: { scanTime: '2026-11-24T09:58:00Z', latestTags: ['1.2.3', '1.2.2', '1.0.0'] } } }]
  }
  const secret = (row.spec?.secretRef as { name?: string } | undefined)?.name
  if (secret) {
    // The snapshot keeps a Secret's key names, never its values.
    objects.Secret = [{ kind: 'Secret', metadata: { name: secret, namespace: 'flux-system' }, type: 'kubernetes.io/dockerconfigjson', keys: ['.dockerconfigjson'] } as KObject]
  }
  if (row.kind === 'Kustomization') {
    objects.ImageUpdateAutomation = [{ ...object({ ...row, kind: 'ImageUpdateAutomation' }), status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'repository up-to-date' }] } }]
    objects.GitRepository = [{ kind: 'GitRepository', metadata: { name: 'fleet', namespace: 'flux-system' }, spec: { interval: '1m', url: 'ssh://git@github.com/org/fleet', ref: { branch: 'main' } }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Succeeded', message: 'stored artifact' }] } }]
  }
  for (const k of ['CustomResourceDefinition', 'Deployment', 'ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation', 'GitRepository', 'Kustomization', 'HelmRelease', 'Secret'] as SnapshotKind[]) {
    if (objects[k]) s.objects.set(k, objects[k])
    else if (['GitRepository', 'Kustomization', 'HelmRelease', 'Secret'].includes(k)) s.objects.set(k, [])
    else s.uncovered?.set(k, 'not in the case')
  }
  return s
}

describe('the failure catalogue, message by message: the cause it gives', () => {
  it.each(ROWS.map((r) => [r.entry, r.quote, r] as const))('%s %s', (_entry, quote, row) => {
    expect(CATALOGUE, 'the quote is in the catalogue').toContain(quote.replace(/\s+/g, ' '))
    const found = runChecks(snapshot(row)).flatMap((c) => c.findings)
    expect(found.map((f) => f.code)).toEqual(row.codes)
    const cause = found.at(-1)
    expect(cause?.subject).toEqual({ kind: row.kind, ...meta })
    expect(cause?.fix).toBe(row.fix ?? FINDING_CODES[row.codes.at(-1) as keyof typeof FINDING_CODES].fix)
  })
})
