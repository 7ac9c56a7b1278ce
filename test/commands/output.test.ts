// -o/--output on every command that prints a report: json is the --json envelope, the other
// formats are the ones each command documents.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../support/cli.js'
import { writeTree } from '../support/tree.js'

const tree = writeTree({
  'apps/web.yaml': 'image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "flux-system:web"}\n',
  'policies.yaml':
    'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: web, namespace: flux-system}\nspec: {imageRepositoryRef: {name: web}, policy: {semver: {range: ">=2.0.0"}}}\nstatus: {latestRef: {name: ghcr.io/shop/web, tag: 2.4.0}}\n',
})

describe('-o json is --json', () => {
  it.each([
    ['explain policy', ['explain', 'policy', '--file', 'fixtures/policies/podinfo-semver.yaml', '--tags-file', 'fixtures/policies/podinfo-tags.txt']],
    ['preview', ['preview', tree, '--policies-file', `${tree}/policies.yaml`]],
    ['trace', ['trace', tree, '--policies-file', `${tree}/policies.yaml`]],
    ['codes', ['codes']],
  ])('%s', async (_name, args) => {
    const viaOutput = await runCli([...args, '-o', 'json'])
    const viaJson = await runCli([...args, '--json'])
    expect(viaOutput.code).toBe(viaJson.code)
    expect(JSON.parse(viaOutput.stdout)).toMatchObject({ apiVersion: 'flux-imgauto/v1' })
    expect(viaOutput.stdout).toBe(viaJson.stdout)
  })
})

describe('the other formats', () => {
  it('preview -o diff is the default diff', async () => {
    const r = await runCli(['preview', tree, '--policies-file', `${tree}/policies.yaml`, '-o', 'diff'])
    expect(r.stdout).toContain('-image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "flux-system:web"}\n+image: ghcr.io/shop/web:2.4.0 # {"$imagepolicy": "flux-system:web"}\n')
  })

  it('codes -o markdown prints the tables the README carries', async () => {
    const r = await runCli(['codes', '-o', 'markdown'])
    expect(r.code).toBe(0)
    const readme = readFileSync(`${ROOT}/README.md`, 'utf8')
    expect(readme).toContain(`<!-- codes:start -->\n${r.stdout}<!-- codes:end -->`)
  })

  it('refuses a format a command does not have, in one coded line', async () => {
    const r = await runCli(['explain', 'policy', '--file', 'fixtures/policies/podinfo-semver.yaml', '-o', 'sarif'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error ERR_USAGE: /)
  })
})
