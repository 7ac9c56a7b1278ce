import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanRepository, secureJoin } from '../../src/adapters/repo-files.js'
import { runCli } from '../support/cli.js'
import { hashTree, tempDir, writeTree } from '../support/tree.js'

const M = '# {"$imagepolicy": "flux-system:app"}'
const POLICIES = 'fixtures/markers/app-policies.yaml'

describe('which files Flux reads', () => {
  const root = writeTree({
    'apps/deploy.yaml': `image: x:1 ${M}\n`,
    'apps/kustomization.yml': `images:\n- newTag: v1 # {"$imagepolicy": "flux-system:app:tag"}\n`,
    'apps/Kustomization': `images:\n- newTag: v1 # {"$imagepolicy": "flux-system:app:tag"}\n`,
    'apps/UPPER.YAML': `image: x:1 ${M}\n`,
    'apps/values.yaml.gotmpl': `image: x:1 ${M}\n`,
    'apps/notes.json': `{"image": "x:1"} ${M}\n`,
    'apps/README.md': `Mark the image: image: x:1 ${M}\n`,
    'apps/quotes.yaml': "image: x:1 # {'$imagepolicy': 'flux-system:app'}\n",
    'apps/.github/ci.yaml': `image: x:1 ${M}\n`,
    'apps/dangling.yaml': { link: 'missing.yaml' },
    'apps/plain.yaml': 'kind: ImagePolicy\nimage: x:1\n',
    'apps/tool.js': 'const kind = "ImagePolicy" // see the $imagepolicy docs\n',
    'shared/base.yaml': `image: x:1 ${M}\n`,
    'apps/linked': { link: '../shared' },
  })

  it('reads .yaml, .yml and Kustomization with the token, dot-directories included', () => {
    const scan = scanRepository(root, 'apps')
    expect(scan.files.map((f) => f.path)).toEqual(['.github/ci.yaml', 'Kustomization', 'deploy.yaml', 'kustomization.yml'])
  })

  it('notes every near-miss file with its reason, but not documentation showing a marker', () => {
    const scan = scanRepository(root, 'apps')
    expect(scan.skipped.map((s) => [s.path, s.code])).toEqual([
      ['UPPER.YAML', 'FIA321'],
      ['linked/base.yaml', 'FIA324'],
      ['notes.json', 'FIA321'],
      ['quotes.yaml', 'FIA325'],
      ['values.yaml.gotmpl', 'FIA321'],
      ['../shared/base.yaml', 'FIA320'],
    ])
  })

  it('reads a single file when update.path names one', () => {
    const scan = scanRepository(root, 'apps/deploy.yaml')
    expect(scan.files.map((f) => f.path)).toEqual(['deploy.yaml'])
  })

  it('fails the run as Flux does when update.path does not exist', () => {
    const scan = scanRepository(root, 'nope')
    expect(scan.runError).toBe(`failed to apply policies: walking path for files: lstat ${join(root, 'nope')}: no such file or directory`)
  })
})

describe('path safety', () => {
  it('joins update.path under the root whatever it says', () => {
    const root = writeTree({ 'a/b.yaml': 'x: 1\n', 'up': { link: '../../..' }, 'abs': { link: '/etc' } })
    expect(secureJoin(root, '../..')).toBe(root)
    expect(secureJoin(root, '/etc')).toBe(join(root, 'etc'))
    expect(secureJoin(root, 'a/../../b')).toBe(join(root, 'b'))
    expect(secureJoin(root, 'up')).toBe(root)
    expect(secureJoin(root, 'abs/passwd')).toBe(join(root, 'etc/passwd'))
  })

  it('never reads a marker file outside the root', () => {
    const outside = tempDir('fia-outside-')
    writeFileSync(join(outside, 'secret.yaml'), `image: x:1 ${M}\n`)
    const root = writeTree({ 'in.yaml': `image: x:1 ${M}\n`, 'escape.yaml': { link: join(outside, 'secret.yaml') }, 'dir': { link: outside } })
    for (const updatePath of ['..', '../..', outside, 'dir', 'escape.yaml']) {
      const scan = scanRepository(root, updatePath)
      const all = [...scan.files, ...scan.skipped]
      expect(all.every((f) => !f.path.includes('secret')), `update.path ${updatePath}`).toBe(true)
    }
  })
})

describe('trace and preview are read-only', () => {
  it('leave the scanned tree exactly as it was', async () => {
    const root = writeTree({
      'deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: ghcr.io/org/app:1.0.0 ${M}\n`,
      'crlf.yaml': `a: 1\r\n\r\nimage: x:1 ${M}\r\n`,
    })
    const before = hashTree(root)
    for (const cmd of ['trace', 'preview']) {
      const r = await runCli([cmd, root, '--policies-file', POLICIES])
      expect(r.code, r.stderr).toBe(0)
    }
    const out = join(tempDir(), 'out')
    await runCli(['preview', root, '--policies-file', POLICIES, '--out', out])
    expect(hashTree(root)).toBe(before)
  })

  it('refuses an --out inside the checkout', async () => {
    const root = writeTree({ 'd.yaml': `image: x:1 ${M}\n` })
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--out', join(root, 'out')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error ERR_USAGE: --out .* is inside/)
  })
})

describe('trace from the command line', () => {
  it('reports near misses as findings with their location, and exits by --fail-on', async () => {
    const root = writeTree({ 'a.yaml': `image: x:1 # {"$imagepolicy": "apps:app"}\n`, 'b.YAML': `image: x:1 ${M}\n` })
    const r = await runCli(['trace', root, '--policies-file', POLICIES, '--json', '--fail-on', 'warning'])
    expect(r.code).toBe(1)
    const env = JSON.parse(r.stdout)
    expect(env.kind).toBe('MarkerTrace')
    expect(env.findings.map((f: { code: string; location: unknown }) => [f.code, f.location])).toEqual([
      ['FIA302', { file: 'a.yaml', line: 1, column: 8 }], // the value Flux would rewrite
      ['FIA321', { file: 'b.YAML', line: 1, column: 12 }], // a file Flux never parses: the marker itself
    ])
    expect(env.result.markers.map((m: { status: string }) => m.status)).toEqual(['ignored', 'ignored'])
  })
})


describe('run-wide outcomes', () => {
  it('reports a missing update.path as the failure Flux would have (FIA341)', async () => {
    const root = writeTree({ 'a.yaml': `image: x:1 ${M}\n` })
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--path', 'nope', '--json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ code: 'FIA341', severity: 'error' })
  })

  it('says which other lines Flux reformats in a file it writes (FIA333)', async () => {
    const root = writeTree({ 'a.yaml': `a: 1\n\nimage: x:1 ${M}\n` })
    const r = await runCli(['preview', root, '--policies-file', POLICIES, '--json'])
    const f = JSON.parse(r.stdout).findings.find((x: { code: string }) => x.code === 'FIA333')
    expect(f).toMatchObject({ severity: 'info', location: { file: 'a.yaml', line: 2 }, evidence: ['line 2: the blank line is dropped'] })
    expect(r.code).toBe(0)
  })
})
