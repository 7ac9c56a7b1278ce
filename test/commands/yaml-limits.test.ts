// Every command reads YAML through one reader with one set of limits: hostile input ends in
// one ERR_YAML line with the reason and exit 2, never ERR_INTERNAL, a stack trace or a stall.

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { tempDir } from '../support/tree.js'

const POLICY = 'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  imageRepositoryRef:\n    name: app\n  policy:\n    semver:\n      range: ">=1.0.0 <2.0.0"\n'
let BOMB = 'x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n'
for (let i = 1; i < 9; i++) BOMB += `x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]\n`
const MARKED = 'image: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "flux-system:app"}\n'

function files(entries: Record<string, string>): string {
  const dir = tempDir()
  for (const [name, text] of Object.entries(entries)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

describe('YAML limits, for every command', () => {
  const dir = files({
    'bomb.yaml': POLICY + BOMB,
    'unresolved.yaml': POLICY.replace('name: app\n  namespace', 'name: *app\n  namespace'),
    'tags.txt': '1.0.0\n',
    'repo/apps/bomb.yaml': POLICY + BOMB,
    'deep/apps/deploy.yaml': `${MARKED}deep: ${'['.repeat(300)}${']'.repeat(300)}\n`,
    'spec.yaml': `image: ghcr.io/org/app\n${BOMB}`,
    'p.yaml': `${POLICY}status:\n  latestRef:\n    name: ghcr.io/org/app\n    tag: 1.2.0\n`,
    'blockdeep/apps/deploy.yaml': `${MARKED}x:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(2 * i + 2)}k:\n`).join('')}`,
  })
  const at = (name: string): string => join(dir, name)

  it.each([
    ['explain policy --file, an alias bomb', ['explain', 'policy', '--file', at('bomb.yaml'), '--tags-file', at('tags.txt')], /bomb\.yaml: aliases expand to more than 100,000 nodes, the limit/],
    ['explain policy --file, an alias with no anchor', ['explain', 'policy', '--file', at('unresolved.yaml'), '--tags-file', at('tags.txt')], /unresolved\.yaml: an alias names no anchor defined before it: \*app/],
    ['trace --policies-file', ['trace', at('deep'), '--policies-file', at('bomb.yaml')], /bomb\.yaml: aliases expand/],
    ['doctor --snapshot', ['doctor', '--snapshot', at('bomb.yaml'), '--no-flux'], /bomb\.yaml: aliases expand/],
    ['lint, a manifest in the tree', ['lint', at('repo')], /apps\/bomb\.yaml: aliases expand/],
    ['scaffold --from', ['scaffold', '--from', at('spec.yaml')], /spec\.yaml: aliases expand/],
    // Marked files, read by the yaml.v3 port: past the depth limit its recursion overflowed the stack.
    ['preview, a marked file nested past the limit', ['preview', at('blockdeep'), '--policies-file', at('p.yaml')], /apps\/deploy\.yaml:202: mappings and sequences nested more than 200 deep/],
    ['scaffold --insert, a file nested past the limit', ['scaffold', '--image', 'ghcr.io/org/app', '--insert', `dev=${at('blockdeep/apps/deploy.yaml')}`], /deploy\.yaml:202: mappings and sequences nested more than 200 deep/],
  ])('%s', async (_name, args, message) => {
    const r = await runCli(args as string[])
    expect(r.stderr).toMatch(/^error ERR_YAML: .+\n  hint: The YAML limits are listed in the README \(Limits\).+\n$/)
    expect(r.stderr).toMatch(message)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
  })

  it('trace names a marked file nested past the limit, which Flux itself would still read', async () => {
    const policies = files({ 'p.yaml': `${POLICY}status:\n  latestRef:\n    name: ghcr.io/org/app\n    tag: 1.2.0\n` })
    const r = await runCli(['trace', at('deep'), '--policies-file', join(policies, 'p.yaml')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error ERR_YAML: apps\/deploy\.yaml:2: mappings and sequences nested more than 200 deep, the limit\n/)
  })
})
