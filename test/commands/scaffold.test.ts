// scaffold as users run it. Every generated set is checked by the tools that judge real
// repositories: lint must find nothing, and trace (with the policies as a cluster would
// report them) must find every marker under each environment's path eligible.

import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments, stringify } from 'yaml'
import { runCli } from '../support/cli.js'
import { hashTree, listTree, snapshotTree, tempDir, writeTree } from '../support/tree.js'

interface Obj {
  kind: string
  metadata: { name: string; namespace: string }
  spec: Record<string, unknown>
}
interface Snippet {
  environment: string
  location: string
  yaml: string
}

const CASES: [string, string[]][] = [
  ['ghcr-deployment', ['--image', 'ghcr.io/acme/podinfo', '--version', '6.5']],
  ['ecr-kustomization', ['--image', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/podinfo', '--env', 'dev', '--env', 'staging=sha-timestamp', '--env', 'production', '--marker', 'kustomization']],
  ['gar-helmrelease-digest', ['--image', 'europe-west1-docker.pkg.dev/acme/apps/podinfo', '--env', 'dev=calver', '--env', 'production', '--marker', 'helmrelease', '--digest', '--version', '0.3']],
  ['acr-deployment-kustomization', ['--image', 'acme.azurecr.io/podinfo', '-n', 'apps', '--marker', 'deployment', '--marker', 'kustomization']],
  ['harbor-ca-anonymous', ['--image', 'harbor.example.com/platform/podinfo', '--anonymous', '--cert-secret-ref', 'harbor-ca', '--env', 'dev=timestamp', '--env', 'live', '--env', 'prod-eu', '--tag-branch', 'release']],
]

/** The policies as the cluster would show them once they picked a tag. */
function withLatestRefs(objects: Obj[]): string {
  return objects
    .filter((o) => o.kind === 'ImagePolicy')
    .map((o) => stringify({ apiVersion: 'image.toolkit.fluxcd.io/v1', ...o, status: { latestRef: { name: 'registry.example/podinfo', tag: '9.9.9', ...(o.spec.digestReflectionPolicy ? { digest: 'sha256:' + 'a'.repeat(64) } : {}) } } }))
    .join('---\n')
}

describe('flux-imgauto scaffold, per registry provider and marker location', () => {
  it.each(CASES)('%s: golden files, lint-clean, every marker eligible', async (golden, args) => {
    const root = tempDir('scaffold-')
    const json = JSON.parse((await runCli(['scaffold', ...args, '--json'])).stdout)
    expect(json).toMatchObject({ kind: 'Scaffold', status: 'ok', findings: [], errors: [] })
    const r = await runCli(['scaffold', ...args, '--out', join(root, 'flux')])
    expect(r.code).toBe(0)
    const files = [...listTree(join(root, 'flux'))].map(([p, c]) => `==> ${p} <==\n${c}`).join('\n')
    const path = `test/golden/scaffold-${golden}.txt`
    if (process.env.UPDATE === '1') writeFileSync(path, files)
    expect(files).toBe(readFileSync(path, 'utf8'))

    // The snippets, pasted as files under each environment's update.path.
    const objects = json.result.objects as Obj[]
    const automations = objects.filter((o) => o.kind === 'ImageUpdateAutomation')
    const pathOf = (env: string): string => String((automations.find((a) => a.metadata.name.endsWith(`-${env}`))?.spec.update as { path: string }).path)
    for (const s of json.result.snippets as Snippet[]) {
      const file = join(root, pathOf(s.environment), `${s.location}.yaml`)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, s.yaml)
    }
    const lint = await runCli(['lint', root, '--json', '--fail-on', 'info'])
    expect(JSON.parse(lint.stdout).findings).toEqual([])
    expect(lint.code).toBe(0)
    expect(JSON.parse(lint.stdout).result.markers).toBe((json.result.snippets as Snippet[]).reduce((n, s) => n + (s.yaml.match(/\$imagepolicy/g) ?? []).length, 0))

    writeFileSync(join(root, 'policies.yaml'), withLatestRefs(objects))
    for (const a of automations) {
      const env = a.metadata.name.slice('podinfo-'.length)
      const t = await runCli(['trace', root, '--automation-file', join(root, 'flux', `${env}.yaml`), '--policies-file', join(root, 'policies.yaml'), '--json'])
      const markers = JSON.parse(t.stdout).result.markers as { file: string; status: string; reason?: { code: string } }[]
      const own = markers.filter((m) => !m.file.startsWith('..'))
      expect(own.length).toBeGreaterThan(0)
      for (const m of own) expect([m.file, m.status]).toEqual([m.file, 'update'])
      // The other environments' markers are their automations' (one automation per environment).
      for (const m of markers.filter((x) => x.file.startsWith('..'))) expect(m.reason?.code).toBe('FIA336')
    }
  })
})

describe('scaffold output and spec', () => {
  it('prints the objects as YAML on stdout and the marker snippets on stderr; the YAML lints clean', async () => {
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo'])
    expect(r.code).toBe(0)
    const docs = parseAllDocuments(r.stdout) as unknown as { toJS(): Obj }[]
    expect(docs.map((d) => `${d.toJS().kind}/${d.toJS().metadata.name}`)).toEqual(['ImageRepository/podinfo', 'ImagePolicy/podinfo-dev', 'ImageUpdateAutomation/podinfo-dev', 'ImagePolicy/podinfo-production', 'ImageUpdateAutomation/podinfo-production'])
    expect(r.stderr).toContain('image: ghcr.io/acme/podinfo:main-1764000000 # {"$imagepolicy": "flux-system:podinfo-dev"}')
    // With the directories its automations' update.paths name (lint reports a missing one).
    const paths = docs.map((d) => d.toJS()).filter((o) => o.kind === 'ImageUpdateAutomation').map((o) => String((o.spec.update as { path: string }).path))
    const dir = writeTree({ 'image-automation.yaml': r.stdout, ...Object.fromEntries(paths.map((p) => [join(p, 'kustomization.yaml'), 'resources: []\n'])) })
    const lint = await runCli(['lint', dir, '--fail-on', 'info'])
    expect(lint.stdout).toContain('No findings.')
    expect(lint.code).toBe(0)
  })

  it('reads the same spec from a file with --from', async () => {
    const spec = writeTree({ 'spec.yaml': 'image: ghcr.io/acme/podinfo\nversion: "2.1"\nenvironments:\n  - name: dev\n    tags: sha-timestamp\n  - name: production\n    pushBranch: release-bot\n' })
    const fromFile = JSON.parse((await runCli(['scaffold', '--from', join(spec, 'spec.yaml'), '--json'])).stdout).result.objects as Obj[]
    const fromFlags = JSON.parse((await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--version', '2.1', '--env', 'dev=sha-timestamp', '--env', 'production', '--json'])).stdout).result.objects as Obj[]
    const prod = (os: Obj[]): unknown => (os.find((o) => o.metadata.name === 'podinfo-production' && o.kind === 'ImageUpdateAutomation')?.spec.git as { push: unknown }).push
    expect(prod(fromFile)).toEqual({ branch: 'release-bot' })
    expect(prod(fromFlags)).toEqual({ branch: 'flux-image-updates-production' })
    expect(fromFile.filter((o) => o.kind === 'ImagePolicy')).toEqual(fromFlags.filter((o) => o.kind === 'ImagePolicy'))
    expect((fromFile[1] as Obj).spec.filterTags).toEqual({ pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' })
    expect((fromFile[3] as Obj).spec.policy).toEqual({ semver: { range: '>=2.1.0 <3.0.0' } })
  })

  it('refuses --secret-ref beside --anonymous instead of dropping it', async () => {
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--anonymous', '--secret-ref', 'creds'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n')[0]).toBe('error ERR_USAGE: --secret-ref=creds cannot also be provided when using --anonymous')
  })

  it('reports what lint says of a range the spec asked for on stderr, keeping stdout pure YAML', async () => {
    const spec = writeTree({ 'spec.yaml': 'image: ghcr.io/acme/podinfo\nenvironments:\n  - name: production\n    range: ">=1.0.0"\n' })
    const r = await runCli(['scaffold', '--from', join(spec, 'spec.yaml'), '--fail-on', 'warning'])
    expect(r.code).toBe(1)
    expect(parseAllDocuments(r.stdout).map((d) => (d.toJS() as Obj).kind)).toEqual(['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'])
    expect(r.stderr).toContain('warning FIA120 ImagePolicy flux-system/podinfo-production: The semver range has no upper bound')
  })

  it.each([
    [['--image', 'ghcr.io/acme/podinfo:1.0'], "image ghcr.io/acme/podinfo:1.0: image 'ghcr.io/acme/podinfo:1.0' should not include a tag; remove ':1.0'"],
    [['--image', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app', '--provider', 'generic'], '123456789012.dkr.ecr.eu-west-1.amazonaws.com is ECR: use provider aws (short-lived tokens), not a static secret'],
    [['--image', 'ghcr.io/acme/podinfo', '--env', 'production=timestamp'], 'environment production is production: it takes released semver tags, not timestamp'],
    [['--image', 'ghcr.io/acme/podinfo', '--interval', '30s'], 'interval 30s is shorter than 1m; registries rate-limit frequent scans'],
    [['--image', 'ghcr.io/acme/podinfo', '--version', '1'], 'version "1" must be MAJOR.MINOR, e.g. 1.4'],
    [[], 'the image is required (--image, or image: in the spec file)'],
    [['--image', 'ghcr.io/acme/podinfo', '--tag-branch', 'feature/x'], 'tagBranch "feature/x" must be usable in an image tag (letters, digits, "_", "." and "-")'],
    // image-reflector-controller never reads secretRef beside a cloud provider.
    [['--image', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/app', '--secret-ref', 'ecr-creds'], "secretRef ecr-creds would be ignored: with provider aws the controller logs in with the provider's identity and never reads secretRef; drop it, or use provider generic"],
  ])('refuses an unsafe or incomplete spec: %j', async (args, message) => {
    const r = await runCli(['scaffold', ...args])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`error ERR_SCAFFOLD_SPEC: ${message}\n  hint: Correct the flag or the field named (flux-imgauto scaffold --help shows the spec file).\n`)
  })

  it.each([
    ['image: ghcr.io/acme/app\nversion: 6.10\n', 'version must be a string (quote it: version: "6.1")'],
    ['image: ghcr.io/acme/app\nenvironments: production\n', 'environments must be a list of mappings, each with a name'],
    ['image: ghcr.io/acme/app\nmarkers: deployment\n', 'markers must be a list of deployment, kustomization, helmrelease'],
    ['- image: ghcr.io/acme/app\n', '(file) must hold a mapping (image:, environments:, …)'],
    ['image: ghcr.io/acme/app\nenvironments:\n  - name: production\n    range: one point two\n', 'environment production: range "one point two" does not parse: improper constraint: "one point two"'],
  ])('refuses a spec file of the wrong shape: %j', async (text, message) => {
    const dir = writeTree({ 'spec.yaml': text })
    const r = await runCli(['scaffold', '--from', join(dir, 'spec.yaml')])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(`error ERR_SCAFFOLD_SPEC: ${message.replace('(file)', join(dir, 'spec.yaml'))}`)
  })

  it('never overwrites: an existing file in --out stops it before anything is written', async () => {
    const root = writeTree({ 'flux/dev.yaml': 'mine\n' })
    const before = hashTree(root)
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--out', join(root, 'flux')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`error ERR_FILE_EXISTS: ${join(root, 'flux/dev.yaml')} already exists; nothing was written`)
    expect(hashTree(root)).toBe(before)
  })
})

describe('scaffold --insert', () => {
  const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\nspec:\n  template:\n    spec:\n      containers:\n        - name: podinfo\n          image: ghcr.io/acme/podinfo:main-1700000000   \n        - name: sidecar\n          image: ghcr.io/acme/proxy:1.0\n'
  const KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: podinfo\n    newName: ghcr.io/acme/podinfo\n    newTag: 6.5.1\n  - name: other\n    newTag: 2.0.0\n'
  const HELMRELEASE = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  values:\n    image:\n      repository: ghcr.io/acme/podinfo\n      tag: "6.5.1"\n      digest: ""\n'

  it('marks only the fields that hold the image, with one appended comment each; trace finds them eligible', async () => {
    const root = writeTree({ 'apps/dev/deployment.yaml': DEPLOYMENT, 'apps/production/kustomization.yaml': KUSTOMIZATION, 'apps/production/release.yaml': HELMRELEASE })
    // Run from the repository root, where update.path names the environment of a plain FILE.
    // --version 6.5: the files hold 6.5.1, which the production range admits (no FIA348).
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--version', '6.5', '--digest', '--out', 'flux', '--insert', 'apps/dev/deployment.yaml', '--insert', 'production=apps/production/kustomization.yaml', '--insert', 'apps/production/release.yaml'], { cwd: root })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const tree = listTree(root)
    expect(tree.get('apps/dev/deployment.yaml')).toBe(DEPLOYMENT.replace('main-1700000000   ', 'main-1700000000 # {"$imagepolicy": "flux-system:podinfo-dev"}'))
    expect(tree.get('apps/production/kustomization.yaml')).toBe(KUSTOMIZATION.replace('newName: ghcr.io/acme/podinfo', 'newName: ghcr.io/acme/podinfo # {"$imagepolicy": "flux-system:podinfo-production:name"}').replace('newTag: 6.5.1', 'newTag: 6.5.1 # {"$imagepolicy": "flux-system:podinfo-production:tag"}'))
    expect(tree.get('apps/production/release.yaml')).toBe(
      HELMRELEASE.replace('podinfo\n      tag', 'podinfo # {"$imagepolicy": "flux-system:podinfo-production:name"}\n      tag')
        .replace('"6.5.1"', '"6.5.1" # {"$imagepolicy": "flux-system:podinfo-production:tag"}')
        .replace('digest: ""', 'digest: "" # {"$imagepolicy": "flux-system:podinfo-production:digest"}'),
    )
    expect(r.stdout).toContain('Inserted flux-system:podinfo-dev at apps/dev/deployment.yaml:10 (spec.template.spec.containers[0].image)\n')

    const json = JSON.parse((await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--digest', '--json'])).stdout)
    writeFileSync(join(root, 'policies.yaml'), withLatestRefs(json.result.objects))
    const t = await runCli(['trace', root, '--automation-file', join(root, 'flux/production.yaml'), '--policies-file', join(root, 'policies.yaml'), '--json'])
    const own = (JSON.parse(t.stdout).result.markers as { file: string; status: string }[]).filter((m) => !m.file.startsWith('..'))
    expect(own.map((m) => [m.file, m.status])).toEqual([
      ['kustomization.yaml', 'update'],
      ['kustomization.yaml', 'update'],
      ['release.yaml', 'update'],
      ['release.yaml', 'update'],
      ['release.yaml', 'update'],
    ])
    const lint = await runCli(['lint', root, '--json', '--fail-on', 'info'])
    expect(JSON.parse(lint.stdout).findings).toEqual([])
  })

  it('marks docker.io/x/y for an image x/y, and warns when the tag there is one the policy can never select (FIA348)', async () => {
    const root = writeTree({ 'apps/production/deploy.yaml': 'image: docker.io/acme/podinfo:1.9.0\n', 'apps/dev/deploy.yaml': 'image: index.docker.io/acme/podinfo:2.3.0\n' })
    const r = await runCli(['scaffold', '--image', 'acme/podinfo', '--version', '2.1', '--env', 'production', '--env', 'dev=semver', '--insert', 'apps/production/deploy.yaml', '--insert', 'apps/dev/deploy.yaml', '--json'], { cwd: root })
    expect(r.code).toBe(0)
    const env = JSON.parse(r.stdout) as { findings: { code: string; message: string; location?: { file: string; line: number } }[] }
    expect(env.findings.map((f) => [f.code, f.location])).toEqual([['FIA348', { file: 'apps/production/deploy.yaml', line: 1 }]])
    expect(env.findings[0]?.message).toBe("image holds tag 1.9.0, which ImagePolicy flux-system/podinfo-production (semver range >=2.1.0 <3.0.0) can never select: the next run replaces it with the policy's pick, whatever that is, and never writes 1.9.0 again.")
    expect(listTree(root).get('apps/production/deploy.yaml')).toBe('image: docker.io/acme/podinfo:1.9.0 # {"$imagepolicy": "flux-system:podinfo-production"}\n')
  })

  it('writes nothing when one file cannot be marked, and says why', async () => {
    const root = writeTree({ 'apps/dev/deployment.yaml': DEPLOYMENT, 'apps/dev/other.yaml': DEPLOYMENT.replace(/podinfo:main-1700000000 {3}/, 'podinfo:main-1700000000 # pinned by hand') })
    const before = hashTree(root)
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--out', join(root, 'flux'), '--insert', `dev=${join(root, 'apps/dev/deployment.yaml')}`, '--insert', `dev=${join(root, 'apps/dev/other.yaml')}`])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error ERR_INSERT: ${join(root, 'apps/dev/other.yaml')}: line 10 (spec.template.spec.containers[0].image) already has the comment # pinned by hand; replace it with # {"$imagepolicy": "flux-system:podinfo-dev"} by hand; nothing was written\n  hint: Name the file whose image:, newName/newTag or repository/tag holds the image, or paste the snippet by hand.\n`)
    expect(hashTree(root)).toBe(before)
    const none = await runCli(['scaffold', '--image', 'ghcr.io/acme/other', '--insert', `dev=${join(root, 'apps/dev/deployment.yaml')}`])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('no image:, newName:/newTag: or repository:/tag: field holds ghcr.io/acme/other; nothing was written')
    expect(hashTree(root)).toBe(before)
  })

  it('refuses the same file twice, and infers the environment under a dot-directory path', async () => {
    const root = writeTree({ '.env/dev/deployment.yaml': DEPLOYMENT })
    const spec = writeTree({ 'spec.yaml': 'image: ghcr.io/acme/podinfo\nenvironments:\n  - name: dev\n    path: ./.env/dev\n  - name: production\n' })
    const twice = await runCli(['scaffold', '--from', join(spec, 'spec.yaml'), '--insert', '.env/dev/deployment.yaml', '--insert', 'production=.env/dev/deployment.yaml'], { cwd: root })
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('error ERR_USAGE: --insert names .env/dev/deployment.yaml twice; a field takes one marker')
    const once = await runCli(['scaffold', '--from', join(spec, 'spec.yaml'), '--insert', '.env/dev/deployment.yaml'], { cwd: root })
    expect(once.stdout).toBe('Inserted flux-system:podinfo-dev at .env/dev/deployment.yaml:10 (spec.template.spec.containers[0].image)\n')
    const before = hashTree(root)
    const again = await runCli(['scaffold', '--from', join(spec, 'spec.yaml'), '--insert', '.env/dev/deployment.yaml'], { cwd: root })
    expect(again.stdout).toBe('Already marked flux-system:podinfo-dev at .env/dev/deployment.yaml:10 (spec.template.spec.containers[0].image)\n')
    expect(hashTree(root)).toBe(before)
  })

  // Tests run as root, which the kernel lets write anything: --insert refuses by the mode
  // bits itself, so the read-only case holds for root too.
  const MARKED = DEPLOYMENT.replace('main-1700000000   ', 'main-1700000000 # {"$imagepolicy": "flux-system:podinfo-dev"}')
  const FILE = 'apps/dev/deployment.yaml'
  const HINT = '  hint: Check the path named (its symlinks, its mode, its filesystem); nothing was written.\n'

  it('edits the file in place: its mode, owner and hard links stay as they were', async () => {
    const root = writeTree({ [FILE]: DEPLOYMENT })
    const file = join(root, FILE)
    chmodSync(file, 0o600)
    chownSync(file, 1234, 1234)
    linkSync(file, join(root, 'also-deployment.yaml'))
    const { ino } = statSync(file)
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--insert', FILE], { cwd: root })
    expect(r.stderr).toBe('')
    const st = statSync(file)
    expect([st.mode & 0o777, st.uid, st.gid, st.ino, st.nlink]).toEqual([0o600, 1234, 1234, ino, 2])
    expect([readFileSync(file, 'utf8'), readFileSync(join(root, 'also-deployment.yaml'), 'utf8')]).toEqual([MARKED, MARKED])
  })

  it('refuses a read-only file (0444) and changes nothing', async () => {
    const root = writeTree({ [FILE]: DEPLOYMENT })
    chmodSync(join(root, FILE), 0o444)
    const before = hashTree(root)
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--insert', FILE], { cwd: root })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error ERR_FILE_WRITE: cannot write ${FILE}: it is read-only (mode 0444); nothing was written\n${HINT}`)
    expect(hashTree(root)).toBe(before)
  })

  it('marks the target of a symlink inside the checkout, and the link stays a link', async () => {
    const root = writeTree({ 'apps/base/deployment.yaml': DEPLOYMENT, [FILE]: { link: '../base/deployment.yaml' } })
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--insert', FILE], { cwd: root })
    expect(r.stderr).toBe('')
    expect(readFileSync(join(root, 'apps/base/deployment.yaml'), 'utf8')).toBe(MARKED)
    expect(lstatSync(join(root, FILE)).isSymbolicLink()).toBe(true)
  })

  it('refuses a symlink that leads out of the checkout (the current directory), changing nothing', async () => {
    const elsewhere = writeTree({ 'deployment.yaml': DEPLOYMENT })
    const root = writeTree({ [FILE]: { link: join(elsewhere, 'deployment.yaml') } })
    const before = [hashTree(root), hashTree(elsewhere)]
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--insert', FILE], { cwd: root })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error ERR_FILE_WRITE: cannot write ${FILE}: its real path ${join(elsewhere, 'deployment.yaml')} is outside ${root}; nothing was written\n${HINT}`)
    expect([hashTree(root), hashTree(elsewhere)]).toEqual(before)
  })

  it('refuses two names of one file, whose second edit would undo the first', async () => {
    const root = writeTree({ [FILE]: DEPLOYMENT, 'apps/production/deployment.yaml': { link: '../dev/deployment.yaml' } })
    const before = hashTree(root)
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--insert', FILE, '--insert', 'apps/production/deployment.yaml'], { cwd: root })
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(`error ERR_FILE_WRITE: cannot write apps/production/deployment.yaml: it is the same file as ${FILE}; nothing was written`)
    expect(hashTree(root)).toBe(before)
  })

  it('writes no --out file when an --insert is refused', async () => {
    const root = writeTree({ [FILE]: DEPLOYMENT })
    chmodSync(join(root, FILE), 0o444)
    const before = snapshotTree(root)
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--out', 'flux/podinfo', '--insert', FILE], { cwd: root })
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(`error ERR_FILE_WRITE: cannot write ${FILE}: it is read-only (mode 0444); nothing was written`)
    expect(snapshotTree(root)).toEqual(before)
  })

  it('takes back the --out files and their directories when the edit fails while committing', async () => {
    // The file sits just under a 16 KiB size limit; the marker takes it past, so its rewrite
    // fails after the --out files were linked into place: all of it is undone.
    const pad = 16 * 1024 - 10 - DEPLOYMENT.length
    const text = DEPLOYMENT + '#'.repeat(pad - 1) + '\n'
    const root = writeTree({ [FILE]: text })
    const before = snapshotTree(root)
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--out', 'flux/podinfo', '--insert', FILE], { cwd: root, fileSizeLimit: 16 })
    expect(snapshotTree(root)).toEqual(before)
    expect(readFileSync(join(root, FILE), 'utf8')).toBe(text)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`error ERR_FILE_WRITE: cannot write ${FILE}: file too large; nothing was written\n${HINT}`)
  })

  it('asks for ENV=FILE when the file lies under no environment path', async () => {
    const root = writeTree({ 'deploy.yaml': DEPLOYMENT })
    const r = await runCli(['scaffold', '--image', 'ghcr.io/acme/podinfo', '--insert', join(root, 'deploy.yaml')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`error ERR_USAGE: --insert ${join(root, 'deploy.yaml')}: the file is under no environment's update.path; write --insert ENV=${join(root, 'deploy.yaml')}`)
  })
})
