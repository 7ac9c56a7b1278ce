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
