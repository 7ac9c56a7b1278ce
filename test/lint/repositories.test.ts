// Real repository layouts (issue 12): lint FILE judges that file, one automation per app,
// automations that overlap, branches nothing deploys, update.paths that do not exist,
// environments read off the layout. Trees are written from tables.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLint } from '../../src/cli/lint-run.js'
import { runCli } from '../support/cli.js'
import { writeTree } from '../support/tree.js'

const repository = (name: string, image: string): string => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  image: ${image}
  interval: 5m
`
const policy = (name: string, range: string, repo = name): string => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: ${name}
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: ${repo}
  policy:
    semver:
      range: '${range}'
`
const automation = (name: string, path: string, git: { checkout?: string; push?: string; source?: string } = {}): string => `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 30m
  sourceRef:
    kind: GitRepository
    name: ${git.source ?? 'flux-system'}
  git:
    checkout:
      ref:
        branch: ${git.checkout ?? 'main'}
    commit:
      author:
        email: fluxcdbot@users.noreply.github.com
        name: fluxcdbot
${git.push ? `    push:\n      branch: ${git.push}\n` : ''}  update:
    path: ${path}
    strategy: Setters
`
const deployment = (image: string, setter: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
        - name: app
          image: ${image} # {"$imagepolicy": "${setter}"}
`
const docs = (...d: string[]): string => d.join('---\n')
const codes = (run: ReturnType<typeof runLint>): string[] => run.findings.map((f) => `${f.code} ${f.location?.file}`)

describe('lint FILE judges only that file', () => {
  const tree = writeTree({
    'images.yaml': docs(repository('app', 'ghcr.io/acme/app'), policy('app', '>=1.0.0')),
    'deploy.yaml': deployment('ghcr.io/acme/app:1.0.0', 'flux-system:app'),
    'other.yaml': deployment('ghcr.io/acme/app:1.0.0', 'flux-system:missing'),
    'broken.yaml': 'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nspec: [\n',
  })

  it('reports the directory as a whole', () => {
    expect(codes(runLint(tree, 'flux-system')).sort()).toEqual(['FIA120 images.yaml', 'FIA304 other.yaml', 'FIA506 broken.yaml'])
  })

  it('reports no finding of another file, and counts only its own objects and markers', () => {
    const run = runLint(join(tree, 'images.yaml'), 'flux-system')
    expect(codes(run)).toEqual(['FIA120 images.yaml'])
    expect(run.result.objects.map((o) => o.name)).toEqual(['app', 'app'])
    expect(run.result.markers).toBe(0)
  })

  it('judges the file\'s markers with the policies of its directory as context', () => {
    const run = runLint(join(tree, 'deploy.yaml'), 'flux-system')
    expect(codes(run)).toEqual([])
    expect(run.result.objects).toEqual([])
    expect(run.result.markers).toBe(1)
  })
})

const withLatest = (name: string, image: string, tag: string): string => `${policy(name, '>=1.0.0 <2.0.0')}status:
  latestRef:
    name: ${image}
    tag: ${tag}
`

describe('one automation per app (FIA320, FIA336)', () => {
  const tree = writeTree({
    'clusters/flux-system/images.yaml': docs(repository('a', 'ghcr.io/acme/a'), policy('a', '>=1.0.0 <2.0.0'), repository('b', 'ghcr.io/acme/b'), policy('b', '>=1.0.0 <2.0.0')),
    'clusters/flux-system/app-a.yaml': automation('app-a', './environments/a'),
    'clusters/flux-system/app-b.yaml': automation('app-b', './environments/b'),
    'environments/a/deploy.yaml': deployment('ghcr.io/acme/a:1.0.0', 'flux-system:a'),
    'environments/b/deploy.yaml': deployment('ghcr.io/acme/b:1.0.0', 'flux-system:b'),
    'legacy/deploy.yaml': deployment('ghcr.io/acme/a:1.0.0', 'flux-system:a'),
    'policies.yaml': docs(withLatest('a', 'ghcr.io/acme/a', '1.1.0'), withLatest('b', 'ghcr.io/acme/b', '1.1.0')),
  })

  it('trace --automation-file: a marker another automation covers is its, not a near miss; the message quotes update.path as written', async () => {
    const r = await runCli(['trace', tree, '--automation-file', join(tree, 'clusters/flux-system/app-a.yaml'), '--policies-file', join(tree, 'policies.yaml'), '--json'])
    expect(r.stderr).toBe('')
    const env = JSON.parse(r.stdout) as { result: { markers: { file: string; status: string; reason?: { code: string; message: string } }[] }; findings: { code: string; severity: string }[] }
    expect(env.result.markers.map((m) => [m.file, m.status, m.reason?.code])).toEqual([
      ['../../legacy/deploy.yaml', 'ignored', 'FIA320'],
      ['../b/deploy.yaml', 'ignored', 'FIA336'],
      ['deploy.yaml', 'update', undefined],
    ])
    expect(env.result.markers[0]?.reason?.message).toBe('the file is outside update.path (./environments/a), which is the only directory Flux scans')
    expect(env.result.markers[1]?.reason?.message).toBe('the file is outside update.path (./environments/a) of flux-system/app-a, and automation flux-system/app-b (update.path ./environments/b) covers it')
    expect(env.findings.filter((f) => f.code === 'FIA336').map((f) => f.severity)).toEqual(['info'])
  })

  it('lint: only the marker no automation covers is outside, and the message names every update.path', () => {
    const run = runLint(tree, 'flux-system')
    expect(codes(run)).toEqual(['FIA320 legacy/deploy.yaml'])
    expect(run.findings[0]?.message).toContain('flux-system/app-a: ./environments/a, flux-system/app-b: ./environments/b')
  })
})

describe('an update.path that does not exist (FIA341)', () => {
  it('is reported at the automation, with the error Flux runs into', () => {
    const tree = writeTree({
      'clusters/staging/automation.yaml': automation('apps', './cluster/staging'),
      'clusters/staging/deploy.yaml': 'kind: ConfigMap\n',
    })
    const run = runLint(tree, 'flux-system')
    expect(codes(run)).toEqual(['FIA341 clusters/staging/automation.yaml'])
    expect(run.findings[0]?.location?.line).toBe(1)
    expect(run.findings[0]?.message).toMatch(/^spec\.update\.path \.\/cluster\/staging does not exist in this tree, so every run of flux-system\/apps fails: failed to apply policies: walking path for files: lstat .*\/cluster\/staging: no such file or directory$/)
  })

  it('is not reported when the path exists', () => {
    const tree = writeTree({ 'clusters/staging/automation.yaml': automation('apps', './clusters/staging') })
    expect(codes(runLint(tree, 'flux-system'))).toEqual([])
  })

  it('is not reported for a subdirectory of a Git work tree when the path exists from its top', () => {
    const tree = writeTree({ '.git/HEAD': 'ref: refs/heads/main\n', 'clusters/staging/automation.yaml': automation('apps', './clusters/staging') })
    expect(codes(runLint(join(tree, 'clusters'), 'flux-system'))).toEqual([])
    expect(codes(runLint(join(tree, 'clusters/staging'), 'flux-system'))).toEqual([])
  })
})

describe('two automations rewriting the same files of one branch (FIA337)', () => {
  const overlapping = (web: { push?: string; path?: string } = {}): Record<string, string> => ({
    'clusters/flux-system/images.yaml': docs(repository('web', 'ghcr.io/acme/web'), policy('web', '>=1.0.0 <2.0.0')),
    'clusters/flux-system/apps.yaml': automation('apps', './apps'),
    'clusters/flux-system/web.yaml': automation('web', web.path ?? './apps/web', web.push ? { push: web.push } : {}),
    'apps/web/deploy.yaml': deployment('ghcr.io/acme/web:1.0.0', 'flux-system:web'),
    'apps/api/deploy.yaml': 'kind: ConfigMap\n',
    'policies.yaml': withLatest('web', 'ghcr.io/acme/web', '1.1.0'),
  })

  it('lint names both automations, the overlapping path and the files', () => {
    const run = runLint(writeTree(overlapping()), 'flux-system')
    expect(codes(run)).toEqual(['FIA337 clusters/flux-system/web.yaml'])
    expect(run.findings[0]?.message).toBe(
      "automations flux-system/apps (update.path ./apps) and flux-system/web (update.path ./apps/web) both rewrite 1 file(s) under ./apps/web and push them to branch main of GitRepository flux-system/flux-system: apps/web/deploy.yaml; their commits race, and each may undo the other's",
    )
  })

  it('lint: equal paths overlap too', () => {
    expect(codes(runLint(writeTree(overlapping({ path: './apps' })), 'flux-system'))).toEqual(['FIA337 clusters/flux-system/web.yaml'])
  })

  it('lint: none when one pushes to another branch, or the paths are disjoint', () => {
    expect(codes(runLint(writeTree(overlapping({ push: 'image-updates' })), 'flux-system'))).toEqual([])
    const disjoint = overlapping()
    disjoint['clusters/flux-system/apps.yaml'] = automation('apps', './apps/api')
    expect(codes(runLint(writeTree(disjoint), 'flux-system'))).toEqual([])
  })

  it('trace --automation-file reports it for the automation traced', async () => {
    const tree = writeTree(overlapping())
    const r = await runCli(['trace', tree, '--automation-file', join(tree, 'clusters/flux-system/apps.yaml'), '--policies-file', join(tree, 'policies.yaml'), '--json'])
    const env = JSON.parse(r.stdout) as { findings: { code: string; message: string }[] }
    expect(env.findings.map((f) => f.code)).toEqual(['FIA337'])
    expect(env.findings[0]?.message).toContain('flux-system/apps (update.path ./apps) and flux-system/web (update.path ./apps/web) both rewrite 1 file(s) under ./apps/web')
    const apart = writeTree(overlapping({ push: 'image-updates' }))
    const r2 = await runCli(['trace', apart, '--automation-file', join(apart, 'clusters/flux-system/apps.yaml'), '--policies-file', join(apart, 'policies.yaml'), '--json'])
    expect((JSON.parse(r2.stdout) as { findings: unknown[] }).findings).toEqual([])
  })
})

const gitRepository = (name: string, url: string, branch: string): string => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 1m
  url: ${url}
  ref:
    branch: ${branch}
`

describe('a branch no GitRepository reconciles (FIA338, FIA349)', () => {
  const tree = (git: { checkout?: string; push?: string }, more: Record<string, string> = {}): string =>
    writeTree({
      'clusters/flux-system/gotk-sync.yaml': gitRepository('flux-system', 'ssh://git@github.com/acme/fleet', 'main'),
      'clusters/flux-system/automation.yaml': automation('apps', './apps', git),
      'apps/.keep.yaml': '',
      ...more,
    })

  it('a typo in the branch it checks out and pushes is a warning naming what is reconciled', () => {
    const run = runLint(tree({ checkout: 'mani' }), 'flux-system')
    expect(run.findings.map((f) => [f.code, f.severity])).toEqual([['FIA338', 'warning']])
    expect(codes(run)).toEqual(['FIA338 clusters/flux-system/automation.yaml'])
    expect(run.findings[0]?.message).toBe('checks out and pushes branch mani, which no GitRepository of ssh://git@github.com/acme/fleet reconciles (flux-system/flux-system (main)): its commits are never deployed.')
  })

  it('a separate push branch for pull requests is info, saying nothing deploys it', () => {
    const run = runLint(tree({ checkout: 'main', push: 'flux-image-updates' }), 'flux-system')
    expect(codes(run)).toEqual(['FIA349 clusters/flux-system/automation.yaml'])
    expect(run.findings.map((f) => [f.code, f.severity])).toEqual([['FIA349', 'info']])
    expect(run.findings[0]?.message).toContain('nothing deploys it until it is merged into main')
  })

  it('a push branch another GitRepository of the same URL reconciles is deployed: nothing to say', () => {
    const staging = { 'clusters/staging/source.yaml': gitRepository('staging', 'ssh://git@GitHub.com/acme/fleet.git/', 'staging') }
    expect(codes(runLint(tree({ checkout: 'staging' }, staging), 'flux-system'))).toEqual([])
    expect(codes(runLint(tree({ checkout: 'main' }), 'flux-system'))).toEqual([])
    // Another repository's GitRepository on that branch does not deploy this one.
    const other = { 'clusters/staging/source.yaml': gitRepository('staging', 'ssh://git@github.com/acme/other', 'staging') }
    expect(codes(runLint(tree({ checkout: 'staging' }, other), 'flux-system'))).toEqual(['FIA338 clusters/flux-system/automation.yaml'])
  })

  it('says nothing without the GitRepository in the tree', () => {
    const run = runLint(writeTree({ 'automation.yaml': automation('apps', '.', { checkout: 'mani' }) }), 'flux-system')
    expect(codes(run)).toEqual([])
  })
})

describe('environments read off the layout (FIA339)', () => {
  const overlays = (range: string, git: { push?: string } = {}, envs = ['blue', 'green']): Record<string, string> => ({
    'clusters/flux-system/images.yaml': docs(repository('podinfo', 'ghcr.io/acme/podinfo'), policy('podinfo', range)),
    'clusters/flux-system/automation.yaml': automation('apps', '.', git),
    'apps/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'apps/base/deployment.yaml': 'kind: Deployment\n',
    ...Object.fromEntries(envs.flatMap((e) => [
      [`apps/${e}/kustomization.yaml`, 'resources:\n  - ../base\npatches:\n  - path: image.yaml\n'],
      [`apps/${e}/image.yaml`, deployment('ghcr.io/acme/podinfo:1.0.0', 'flux-system:podinfo')],
    ])),
  })

  it('warns when one automation pushes overlays of one base straight to its branch from an unbounded range, whatever they are called', () => {
    const run = runLint(writeTree(overlays('>=1.0.0')), 'flux-system')
    expect(codes(run).sort()).toEqual(['FIA120 clusters/flux-system/images.yaml', 'FIA339 clusters/flux-system/automation.yaml'])
    expect(run.findings.find((f) => f.code === 'FIA339')?.message).toBe(
      'flux-system/apps (update.path .) rewrites markers in 2 environments (apps/blue, apps/green: overlays of apps/base) from unbounded ranges (flux-system/podinfo >=1.0.0) and pushes straight to the branch it deploys from: a new major reaches every one of them at once, unreviewed.',
    )
  })

  it('says nothing for a bounded range, a review branch, or a single environment', () => {
    expect(codes(runLint(writeTree(overlays('>=1.0.0 <2.0.0')), 'flux-system'))).toEqual([])
    expect(codes(runLint(writeTree(overlays('>=1.0.0', { push: 'image-updates' })), 'flux-system'))).toEqual(['FIA120 clusters/flux-system/images.yaml'])
    expect(codes(runLint(writeTree(overlays('>=1.0.0', {}, ['blue'])), 'flux-system'))).toEqual(['FIA120 clusters/flux-system/images.yaml'])
  })

  it('reads environments from Flux Kustomization paths too', () => {
    const ks = (name: string, path: string): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${path}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`
    const tree = writeTree({
      'clusters/flux-system/images.yaml': docs(repository('podinfo', 'ghcr.io/acme/podinfo'), policy('podinfo', '*')),
      'clusters/flux-system/automation.yaml': automation('fleet', './deploy'),
      'clusters/eu/apps.yaml': ks('apps', './deploy/eu-1'),
      'clusters/us/apps.yaml': ks('apps', './deploy/us-1/'),
      'deploy/eu-1/web.yaml': deployment('ghcr.io/acme/podinfo:1.0.0', 'flux-system:podinfo'),
      'deploy/us-1/web.yaml': deployment('ghcr.io/acme/podinfo:1.0.0', 'flux-system:podinfo'),
    })
    const run = runLint(tree, 'flux-system')
    expect(run.findings.filter((f) => f.code === 'FIA339').map((f) => f.message)).toEqual([
      'flux-system/fleet (update.path ./deploy) rewrites markers in 2 environments (deploy/eu-1, deploy/us-1: Flux Kustomization paths) from unbounded ranges (flux-system/podinfo *) and pushes straight to the branch it deploys from: a new major reaches every one of them at once, unreviewed.',
    ])
  })
})
