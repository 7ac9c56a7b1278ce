// Message-first classification, family by family: each row is a Ready message as the
// controllers word it (image-automation-controller and source-controller through fluxcd/pkg,
// go-git v5, golang.org/x/crypto/ssh and the forges; image-reflector-controller; go-containerregistry
// and the cloud providers), in every wording found in their sources and docs, and the code,
// subject and fix the doctor must give for it. A message no family knows gets FIA409 or FIA439,
// quoting it, never a guessed cause.

import { describe, expect, it } from 'vitest'
import { runChecks } from '../../src/core/doctor/index.js'
import type { KObject, Snapshot, SnapshotKind } from '../../src/core/doctor/snapshot.js'
import { FINDING_CODES } from '../../src/core/findings/catalogue.js'
import type { Finding } from '../../src/core/findings/types.js'

const NOW = Date.parse('2026-11-24T10:00:00Z')
const ready = (status: string, message: string, reason = 'Failed'): { conditions: object[] } => ({ conditions: [{ type: 'Ready', status, reason, message }] })

function snapshot(objects: Partial<Record<SnapshotKind, KObject[]>>): Snapshot {
  // Only what a case is about is judged: the kinds it does not give are not in it.
  const s: Snapshot = { fluxNamespace: 'flux-system', now: NOW, objects: new Map(), unavailable: new Map(), uncovered: new Map() }
  for (const k of ['CustomResourceDefinition', 'Deployment', 'ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation', 'GitRepository', 'Kustomization', 'HelmRelease', 'Secret'] as SnapshotKind[]) {
    if (objects[k]) s.objects.set(k, objects[k])
    else if (['GitRepository', 'Kustomization', 'HelmRelease', 'Secret'].includes(k)) s.objects.set(k, [])
    else s.uncovered?.set(k, 'not in the case')
  }
  return s
}

const meta = { name: 'app', namespace: 'flux-system' }
const automation = (message: string, stalled = false): KObject => ({
  kind: 'ImageUpdateAutomation',
  metadata: meta,
  spec: { interval: '30m', sourceRef: { kind: 'GitRepository', name: 'fleet' }, git: { commit: { author: { email: 'bot@example.com' } }, push: { branch: 'main' } } },
  status: stalled ? { conditions: [{ type: 'Stalled', status: 'True', reason: 'RemovedTemplateField', message }, { type: 'Ready', status: 'False', reason: 'RemovedTemplateField', message }] } : ready('False', message, 'GitOperationFailed'),
})
const gitRepository = (message: string): KObject => ({ kind: 'GitRepository', metadata: { name: 'fleet', namespace: 'flux-system' }, spec: { interval: '1m', url: 'ssh://git@github.com/org/fleet', ref: { branch: 'main' } }, status: ready('False', message, 'GitOperationFailed') })
const healthyAutomation: KObject = { ...automation(''), status: ready('True', 'repository up-to-date', 'Succeeded') }

function findingsFor(s: Snapshot): Finding[] {
  return runChecks(s).flatMap((c) => c.findings)
}

function expectFamily(found: Finding[], code: string, subject: { kind: string; name: string; namespace?: string }): void {
  const f = found.find((x) => x.code === code)
  expect(f, `${code} in ${found.map((x) => x.code).join(', ')}`).toBeDefined()
  expect(f?.subject).toEqual(subject)
  expect(f?.fix).toBe(FINDING_CODES[code as keyof typeof FINDING_CODES].fix)
}

// image-automation-controller Ready messages: push (§4.4), checkout and set-up (§4.5), and the
// go-git / x/crypto/ssh / forge texts inside them.
const GIT: [string, string][] = [
  // Read-only deploy keys and tokens without write scope.
  ['failed to update source: failed to push to remote: unknown error: ERROR: The key you are authenticating with has been marked as read only.', 'FIA434'],
  ['failed to update source: failed to push to remote: unknown error: remote: ', 'FIA434'],
  ['failed to push to remote: unknown error: remote:', 'FIA434'],
  ['failed to update source: failed to push to remote: authorization failed: ', 'FIA434'],
  ['failed to push to remote: authorization failed: remote: Write access to repository not granted.', 'FIA434'],
  ['failed to push to remote: unknown error: ERROR: Permission to org/fleet.git denied to deploy key', 'FIA434'],
  ['failed to push to remote: authorization failed: You are not allowed to push code to this project.', 'FIA434'],
  ["failed to push to remote: authorization failed: TF401027: You need the Git 'GenericContribute' permission to perform this action.", 'FIA434'],
  ['failed to push to remote: early EOF (the SSH key may not have write access to the repository)', 'FIA434'],
  // Protected branches, per forge.
  ['failed to update source: failed to push to remote: command error on refs/heads/main: protected branch hook declined', 'FIA435'],
  ['failed to push to remote: command error on refs/heads/main: pre-receive hook declined', 'FIA435'],
  ['failed to push to remote: unknown error: remote: error: GH006: Protected branch update failed for refs/heads/main.', 'FIA435'],
  ['failed to push to remote: unknown error: remote: GitLab: You are not allowed to push code to protected branches on this project.', 'FIA435'],
  ['failed to push to remote: command error on refs/heads/main: TF402455: Pushes to this branch are not permitted; you must use a pull request to update this branch.', 'FIA435'],
  ['failed to push to remote: unknown error: remote: Branch refs/heads/main can only be modified through pull requests.', 'FIA435'],
  // Repository rules and required signatures (GitHub rulesets).
  ['failed to push to remote: command error on refs/heads/main: push declined due to repository rule violations', 'FIA441'],
  ['failed to push to remote: unknown error: remote: error: GH013: Repository rule violations found for refs/heads/main.', 'FIA441'],
  ['failed to push to remote: unknown error: remote: - Commits must have verified signatures.', 'FIA441'],
  // Non-fast-forward, in go-git's and libgit2's wordings.
  ['failed to update source: failed to push to remote: non-fast-forward update: refs/heads/main', 'FIA436'],
  ['failed to push to remote: cannot push non-fastforwardable reference', 'FIA436'],
  ['failed to push: cannot push because a reference that you are trying to update on the remote contains commits that are not present locally.', 'FIA436'],
  // The ref to check out.
  ["failed to checkout source: unable to clone 'ssh://git@github.com/org/fleet': couldn't find remote ref \"refs/heads/non-existing-branch\"", 'FIA437'],
  ['failed to checkout source: unable to clone: reference not found', 'FIA437'],
  ["failed to checkout source: unable to resolve HEAD of branch 'main': reference not found", 'FIA437'],
  ["failed to checkout source: unable to find reference for tag 'v9': reference not found", 'FIA437'],
  ['failed to checkout source: no match found for semver: >=9.0.0', 'FIA437'],
  // SSH host keys.
  ["failed to checkout source: unable to clone 'ssh://git@github.com/org/fleet': ssh: handshake failed: knownhosts: key mismatch", 'FIA442'],
  ["failed to checkout source: unable to clone 'ssh://git@github.com/org/fleet': ssh: handshake failed: knownhosts: key is unknown", 'FIA442'],
  ['failed to checkout and determine revision: unable to clone: ssh: handshake failed: hostkey could not be verified', 'FIA442'],
  // SSH keys refused, and keys that cannot be used.
  ["failed to checkout source: unable to clone 'ssh://git@github.com/org/fleet': ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no supported methods remain", 'FIA443'],
  ["failed to checkout source: unable to clone 'ssh://git@github.com/org/fleet': ssh: handshake failed: EOF", 'FIA443'],
  ['failed to push to remote: unknown error: git@github.com: Permission denied (publickey).', 'FIA443'],
  ['failed configuring source manager: failed to configure authentication options: ssh: this private key is passphrase protected', 'FIA444'],
  ['failed to checkout source: unable to clone: x509: decryption password incorrect', 'FIA444'],
  ['failed configuring source manager: failed to configure authentication options: ssh: not an encrypted key', 'FIA444'],
  ['failed to checkout source: ssh: no key found', 'FIA444'],
  ['failed to checkout source: ssh: unsupported key type "DSA PRIVATE KEY"', 'FIA444'],
  // HTTPS credentials and unknown repositories.
  ["failed to checkout source: unable to clone 'https://github.com/org/fleet': authentication required: Invalid username or password.", 'FIA445'],
  ["failed to checkout source: unable to clone 'https://gitlab.com/org/fleet': authentication required: HTTP Basic: Access denied", 'FIA445'],
  ["failed to checkout source: unable to clone: repository not found: git repository: 'ssh://git@github.com/org/fleet'", 'FIA446'],
  ["failed to checkout source: unable to clone 'https://gitlab.com/org/fleet': repository not found: The project you were looking for could not be found or you don't have permission to view it.", 'FIA446'],
  // Set-up, template and signing.
  ['failed configuring source manager: referenced git repository does not exist: gitrepositories.source.toolkit.fluxcd.io "fleet" not found', 'FIA433'],
  ["failed configuring source manager: failed to get auth secret 'flux-system/fleet': secrets \"fleet\" not found", 'FIA433'],
  ['push spec not provided, and cannot be inferred from .spec.git.checkout.ref or GitRepository .spec.ref', 'FIA438'],
  ['failed configuring source manager: Push spec not provided, and cannot be inferred from .spec.git.checkout.ref or GitRepository .spec.ref', 'FIA438'],
  ['failed to update source: unable to create commit message template from spec: template: commit message:1: unexpected "}" in operand', 'FIA447'],
  ['failed to update source: failed to run template from spec: template: commit message:1:10: executing "commit message" at <.Values.x>: map has no entry for key "x"', 'FIA447'],
  ["failed configuring source manager: signing key secret 'gpg' does not contain a 'git.asc' key", 'FIA448'],
  ['failed configuring source manager: can not use passphrase protected signing key without \'passphrase\' field present in secret gpg', 'FIA448'],
  ['failed to apply policies: encountered invalid image ref "GHCR.io/Org/App:1.0": could not parse reference', 'FIA340'],
  // The walk over update.path, as IAC v0.38–v1.2 words it (filereader.go + Go's filepath.Walk):
  // the errno tells a missing path (FIA341) from a checkout the controller may not read (FIA455).
  ['failed to apply policies: walking path for files: lstat /tmp/x/clusters/none: no such file or directory', 'FIA341'],
  ['failed to apply policies: walking path for files: lstat /tmp/flux-system-fleet1234/clusters/prod/app.yaml/x: not a directory', 'FIA341'],
  ['failed to apply policies: walking path for files: open /tmp/flux-system-fleet1234/clusters/prod: permission denied', 'FIA455'],
  ['failed to apply policies: walking path for files: lstat /tmp/flux-system-fleet1234/clusters/prod: permission denied', 'FIA455'],
  ['failed to apply policies: reading YAML file: open /tmp/flux-system-fleet1234/clusters/prod/app.yaml: permission denied', 'FIA455'],
  ['failed to apply policies: walking path for files: open /tmp/flux-system-fleet1234/clusters/prod: operation not permitted', 'FIA455'],
]

describe('Git failures on an ImageUpdateAutomation: one family each', () => {
  it.each(GIT)('%s → %s', (message, code) => {
    const found = findingsFor(snapshot({ ImageUpdateAutomation: [automation(message)] }))
    expectFamily(found, code, { kind: 'ImageUpdateAutomation', ...meta })
    expect(found.filter((f) => f.code !== 'FIA440').map((f) => f.code)).toEqual([code])
  })

  it('a Stalled automation using .Updated is the removed-template finding, not just "stalled"', () => {
    const message = "template uses removed '.Updated' field. Please use '.Changed' instead. See: https://fluxcd.io/flux/components/image/imageupdateautomations/#message-template"
    const found = findingsFor(snapshot({ ImageUpdateAutomation: [automation(message, true)] }))
    expect(found.map((f) => f.code)).toEqual(['FIA431', 'FIA503'])
    expectFamily(found, 'FIA503', { kind: 'ImageUpdateAutomation', ...meta })
  })

  it('a walk error that is neither a missing path nor a permission is quoted, not called a missing path', () => {
    const found = findingsFor(snapshot({ ImageUpdateAutomation: [automation('failed to apply policies: walking path for files: open /tmp/flux-system-fleet1234/clusters/prod: too many open files')] }))
    expect(found.map((f) => f.code)).toEqual(['FIA439'])
    expect(found[0]?.evidence?.[0]).toContain('a missing or unreadable update.path')
  })

  it('a message no family knows is quoted with what was ruled out, not guessed', () => {
    const found = findingsFor(snapshot({ ImageUpdateAutomation: [automation('failed to update source: empty push commit revision')] }))
    expect(found.map((f) => f.code)).toEqual(['FIA439'])
    expect(found[0]?.message).toContain('empty push commit revision')
    expect(found[0]?.evidence?.[0]).toMatch(/^the message matches no known failure \(ruled out: /)
  })
})

describe("Git failures on the automation's GitRepository (source-controller)", () => {
  it.each(GIT.filter(([, code]) => ['FIA437', 'FIA442', 'FIA443', 'FIA444', 'FIA445', 'FIA446'].includes(code)).map(([m, c]) => [m.replace('failed to checkout source', 'failed to checkout and determine revision'), c]))('%s → %s', (message, code) => {
    const found = findingsFor(snapshot({ ImageUpdateAutomation: [healthyAutomation], GitRepository: [gitRepository(message)] }))
    expect(found.map((f) => f.code)).toEqual(['FIA453', code])
    expectFamily(found, code, { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' })
  })

  it('an unknown GitRepository failure is FIA409, quoting it', () => {
    const found = findingsFor(snapshot({ ImageUpdateAutomation: [healthyAutomation], GitRepository: [gitRepository('artifact storage full')] }))
    expect(found.map((f) => f.code)).toEqual(['FIA453', 'FIA409'])
    expect(found[1]?.message).toContain('"artifact storage full"')
  })
})

describe('Kustomizations built from that GitRepository', () => {
  const kustomization = (message: string): KObject => ({ kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { sourceRef: { kind: 'GitRepository', name: 'fleet' } }, status: ready('False', message, 'ReconciliationFailed') })
  const git: KObject = { ...gitRepository(''), status: ready('True', 'stored artifact', 'Succeeded') }
  const withVersion = (minor: number): Snapshot => {
    const s = snapshot({ ImageUpdateAutomation: [healthyAutomation], GitRepository: [git], Kustomization: [kustomization('ImagePolicy/flux-system/app dry-run failed: no matches for kind "ImagePolicy" in version "image.toolkit.fluxcd.io/v1"')] })
    s.fluxVersion = { minors: [minor], basis: 'test', known: true }
    return s
  }

  it('no matches for an image kind: FIA504, telling a Flux 2.6 user to write v1beta2 or upgrade', () => {
    const found = findingsFor(withVersion(6))
    expect(found.map((f) => f.code)).toEqual(['FIA454', 'FIA504'])
    expect(found[1]?.subject).toEqual({ kind: 'Kustomization', name: 'apps', namespace: 'flux-system' })
    expect(found[1]?.fix).toBe('Upgrade to Flux 2.7 or later, or write apiVersion: image.toolkit.fluxcd.io/v1beta2 in the manifest.')
  })
})

// image-reflector-controller ImagePolicy Ready messages, v0.29–v1.2, with and without the
// v0.24 prefix; the replay runs over tags that would make it say something else.
const POLICY: [string, string[], object][] = [
  ['version list argument cannot be empty', ['FIA420', 'FIA106'], { filterTags: { pattern: '^main-[0-9]+$' } }],
  ['version list argument cannot be empty', ['FIA420', 'FIA103'], {}],
  ['Cannot determine latest tag for policy: version list argument cannot be empty', ['FIA420', 'FIA103'], {}],
  ['unable to determine latest version from provided list', ['FIA420', 'FIA105'], {}],
  ["failed to parse invalid numeric value ''", ['FIA420', 'FIA107'], {}],
  ["failed to parse invalid numeric value 'sandbox-ce597c69'", ['FIA420', 'FIA107'], {}],
  ["failed to filter tags: invalid regular expression pattern '^(?<v>[0-9.]+)$': error parsing regexp: invalid or unsupported Perl syntax: `(?<`", ['FIA420', 'FIA104'], { filterTags: { pattern: '^(?<v>[0-9.]+)$', extract: '$v' } }],
  ['invalid policy: improper constraint: >=1.0.0 <', ['FIA420', 'FIA102'], {}],
  ['referenced ImageRepository has not been scanned yet', ['FIA423'], {}],
  ['no tags in database', ['FIA423'], {}],
  ['retrying in 30s error: no tags in database', ['FIA423'], {}],
  ["failed to get the referred ImageRepository: referenced ImageRepository does not exist: imagerepositories.image.toolkit.fluxcd.io \"app\" not found", ['FIA422'], {}],
  ["failed to get the referred ImageRepository: cannot access 'ImageRepository/apps/app', cross-namespace references have been blocked", ['FIA422'], {}],
  ['failed fetching digest of ghcr.io/org/app:1.2.3: GET https://ghcr.io/v2/org/app/manifests/1.2.3: MANIFEST_UNKNOWN', ['FIA425'], {}],
  ['the database is on fire', ['FIA420', 'FIA409'], {}],
]

describe('ImagePolicy failures: Flux\'s message wins over the replay', () => {
  const repository: KObject = { kind: 'ImageRepository', metadata: meta, spec: { image: 'ghcr.io/org/app', interval: '5m' }, status: { ...ready('True', 'successful scan: found 3 tags with checksum 1', 'Succeeded'), lastScanResult: { scanTime: '2026-11-24T09:58:00Z', latestTags: ['1.2.3', '1.2.2', '1.0.0'] } } }
  it.each(POLICY)('%s → %j', (message, codes, extra) => {
    const policy: KObject = { kind: 'ImagePolicy', metadata: meta, spec: { imageRepositoryRef: { name: 'app' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } }, ...extra }, status: ready('False', message) }
    const found = findingsFor(snapshot({ ImageRepository: [repository], ImagePolicy: [policy] }))
    expect(found.map((f) => f.code)).toEqual(codes)
    expectFamily(found, codes.at(-1) as string, { kind: 'ImagePolicy', ...meta })
  })

  it('says so when the replay disagrees: the message is first-hand', () => {
    const policy: KObject = { kind: 'ImagePolicy', metadata: meta, spec: { imageRepositoryRef: { name: 'app' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } } }, status: ready('False', "failed to parse invalid numeric value ''") }
    const found = findingsFor(snapshot({ ImageRepository: [repository], ImagePolicy: [policy] }))
    expect(found.at(-1)?.evidence).toEqual(["the replay over the tags the cluster holds selects a tag; Flux's own message is trusted over it"])
  })

  it('(?<name>…) rejected by an older controller: the finding says why today\'s Go disagrees', () => {
    const [message, , extra] = POLICY[6] as [string, string[], object]
    const policy: KObject = { kind: 'ImagePolicy', metadata: meta, spec: { imageRepositoryRef: { name: 'app' }, policy: { semver: { range: '>=1.0.0 <2.0.0' } }, ...extra }, status: ready('False', message) }
    const found = findingsFor(snapshot({ ImageRepository: [repository], ImagePolicy: [policy] }))
    expect(found.at(-1)?.evidence?.[1]).toBe('image-reflector-controller up to v0.31 (Flux 2.2) is built with Go 1.20, which rejects (?<name>…); write (?P<name>…)')
  })
})
