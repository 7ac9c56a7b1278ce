import { describe, expect, it } from 'vitest'
import { classifyRegistryFailure, type FailureFacts } from '../../src/core/registry/classify.js'

const codes = (f: FailureFacts): string[] => classifyRegistryFailure(f).map((x) => x.code)

// Messages as the cluster shows them on an ImageRepository (§1B), and as a live listing fails.
describe('registry failures, classified', () => {
  it.each([
    ['ECR 401 with IRSA missing', { message: 'scan failed: GET https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/api/tags/list?n=1000: unexpected status code 401 Unauthorized: Not Authorized', registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' }, ['FIA208', 'FIA201']],
    ['ECR token expired in a static Secret', { message: 'scan failed: … 401 Unauthorized', registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', secretRef: 'ecr-token' }, ['FIA208', 'FIA207']],
    ['AWS_REGION not injected', { message: 'failed to configure authentication options: AWS_REGION environment variable is not set in the Flux controller.', reason: 'AuthenticationFailed', provider: 'aws' }, ['FIA209']],
    ['ACR managed identity', { message: 'failed to configure authentication options: DefaultAzureCredential: failed to acquire a token.', provider: 'azure' }, ['FIA209']],
    ['GCR denied without provider', { message: "GET https://gcr.io/v2/p/i/tags/list?n=1000: DENIED: Failed to read tags for host 'gcr.io'", registry: 'gcr.io' }, ['FIA208', 'FIA202']],
    ['a tag in spec.image', { message: "image 'ghcr.io/x/y:1.0' should not include a tag; remove ':1.0'", reason: 'ImageURLInvalid' }, ['FIA210']],
    ['Docker Hub rate limit', { message: 'unexpected status code 429 Too Many Requests: TOOMANYREQUESTS: You have reached your pull rate limit', registry: 'index.docker.io' }, ['FIA204']],
    ['a private CA', { message: 'Get "https://registry.internal/v2/": x509: certificate signed by unknown authority' }, ['FIA205']],
    ['DNS', { message: 'dial tcp: lookup registry.internal on 10.96.0.10:53: no such host' }, ['FIA206']],
    ['connection refused', { message: 'dial tcp 10.0.0.5:443: connect: connection refused' }, ['FIA206']],
    ['a timeout', { message: 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)' }, ['FIA213']],
    ['a 404', { message: 'unexpected status code 404 Not Found: NAME_UNKNOWN' }, ['FIA203']],
    ['a 502', { message: 'unexpected status code 502 Bad Gateway' }, ['FIA214']],
    ['the workload identity gate', { message: 'to use spec.serviceAccountName for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller' }, ['FIA215']],
    ['a Link to another host, refused here', { message: "GET http://127.0.0.1:5000/v2/a/tags/list: the registry's Link header points the next page at http://127.0.0.1:6000, not at http://127.0.0.1:5000", kind: 'refused', status: 200 }, ['FIA217']],
    ['a realm refused by the controller', { message: 'scan failed: invalid realm in www-authenticate: realm host "169.254.169.254" is a private or link-local address' }, ['FIA217']],
    ['a Link refused by a newer controller', { message: 'scan failed: pagination URL host does not match registry host: potential SSRF attack' }, ['FIA217']],
    ['no auths entry for the host (older controllers)', { message: 'auth for "ghcr.io" not found in secret flux-system/github', reason: 'AuthenticationFailed', secretRef: 'github' }, ['FIA211']],
    ['ECR token expired, answered 403 DENIED', { message: 'scan failed: GET https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/api/tags/list?n=1000: unexpected status code 403 Forbidden: DENIED: Your authorization token has expired. Reauthenticate and try again.', registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', secretRef: 'ecr-token' }, ['FIA208', 'FIA207']],
    ['ECR 403 from a static Secret, no wording', { message: 'scan failed: … unexpected status code 403 Forbidden', registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', secretRef: 'ecr-token' }, ['FIA208', 'FIA207']],
    ['a plain-HTTP registry', { message: 'scan failed: Get "https://registry.local:5000/v2/": http: server gave HTTP response to HTTPS client', registry: 'registry.local:5000' }, ['FIA218']],
    ['a 400 from the token endpoint', { message: 'scan failed: GET https://auth.docker.io/token?scope=repository%3AOrg%2FApp%3Apull&service=registry.docker.io: unexpected status code 400 Bad Request', registry: 'index.docker.io' }, ['FIA219']],
    ['a 400 from the registry', { message: 'scan failed: GET https://registry.example.com/v2/x/tags/list?n=1000: unexpected status code 400 Bad Request' }, ['FIA219']],
    ['an unknown failure is quoted, not called unreachable', { message: 'scan failed: unexpected end of JSON input' }, ['FIA409']],
  ] as [string, FailureFacts, string[]][])('%s', (_name, facts, want) => {
    expect(codes(facts)).toEqual(want)
  })

  it('gives no two contradictory fixes: a cloud registry read without its provider is fixed by the provider', () => {
    const f = classifyRegistryFailure({ message: '401 Unauthorized', registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', subject: { kind: 'ImageRepository', name: 'api', namespace: 'apps' } })
    expect(f.map((x) => [x.code, x.fix])).toEqual([
      ['FIA208', "Set spec.provider: aws and give the image-reflector-controller's service account access (IRSA / workload identity), instead of a static Secret."],
      ['FIA201', "Set spec.provider: aws and give the image-reflector-controller's service account access (IRSA / workload identity), instead of a static Secret."],
    ])
    expect(f.every((x) => x.subject?.name === 'api')).toBe(true)
  })

  it('names the host keys when the credentials are for another host', () => {
    const f = classifyRegistryFailure({ message: '401 Unauthorized', status: 401, registry: 'ghcr.io', keys: ['https://index.docker.io/v1/', 'registry.gitlab.com'], tried: ['Secret flux-system/regcred'] })
    expect(f.map((x) => x.code)).toEqual(['FIA201', 'FIA211'])
    expect(f[1]?.message).toBe('The credentials hold entries for https://index.docker.io/v1/, registry.gitlab.com, none for ghcr.io, so Flux falls back to anonymous access.')
  })

  it('spots a Harbor robot account that lost its "$"', () => {
    const f = classifyRegistryFailure({ message: '401 Unauthorized', status: 401, registry: 'harbor.example.com', username: 'robotproj+ci', used: 'Secret flux-system/harbor' })
    expect(f.map((x) => x.code)).toEqual(['FIA201', 'FIA212'])
    expect(codes({ message: '401', status: 401, username: 'robot$proj+ci', used: 'x' })).toEqual(['FIA201'])
  })
})
