// The bundle (scripts/bundle.js) loads the cluster client, execa and listr2 only on the paths
// that need them: a command that reads only files never loads their chunks.

import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../support/cli.js'
import { writeTree } from '../support/tree.js'

const BUNDLE = join(ROOT, 'dist/bundle')
const HEAVY = ['@kubernetes/client-node', 'execa', 'listr2']

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>
}

/** The bundle's output files (paths relative to dist/bundle) that hold code of `pkg`. */
function outputsOf(pkg: string): string[] {
  const meta = JSON.parse(readFileSync(join(BUNDLE, 'meta.json'), 'utf8')) as Metafile
  return Object.entries(meta.outputs)
    .filter(([, o]) => Object.keys(o.inputs).some((input) => input.includes(`node_modules/${pkg}/`)))
    .map(([out]) => relative('dist/bundle', out))
}

/** Runs the CLI and returns the bundle's files it loaded, relative to dist/bundle. */
function loaded(args: string[]): { code: number | null; stderr: string; files: string[] } {
  const record = join(mkdtempSync(join(tmpdir(), 'fia-imports-')), 'imports.txt')
  writeFileSync(record, '')
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(ROOT, 'test/support/record-imports.mjs')).href, join(ROOT, 'bin/run.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', FIA_RECORD_IMPORTS: record },
    encoding: 'utf8',
  })
  const prefix = pathToFileURL(BUNDLE).href + '/'
  const files = readFileSync(record, 'utf8').split('\n').filter((u) => u.startsWith(prefix)).map((u) => u.slice(prefix.length))
  return { code: r.status, stderr: r.stderr, files }
}

describe('bundle: lazily loaded chunks', () => {
  it.each(HEAVY)('%s is in chunks of its own, not in the entry', (pkg) => {
    const outputs = outputsOf(pkg)
    expect(outputs.length).toBeGreaterThan(0)
    expect(outputs).not.toContain('flux-imgauto.js')
  })

  const repo = writeTree({ 'apps/deploy.yaml': 'image: ghcr.io/acme/app:1.0.0 # {"$imagepolicy": "flux-system:app"}\n' })
  it.each([
    ['explain policy --file', ['explain', 'policy', '--file', 'fixtures/policies/podinfo-semver.yaml', '--tags-file', 'fixtures/policies/podinfo-tags.txt']],
    ['trace', ['trace', join(repo, 'apps'), '--policies-file', 'fixtures/markers/app-policies.yaml']],
    ['lint', ['lint', repo]],
  ])('%s loads the entry and none of the heavy chunks', (_, args) => {
    const r = loaded(args)
    expect(r.stderr).not.toMatch(/error [A-Z_]+:/)
    expect(r.files).toContain('flux-imgauto.js')
    for (const pkg of HEAVY) for (const chunk of outputsOf(pkg)) expect(r.files).not.toContain(chunk)
  })

  it('a command that reads the cluster loads the client chunk', () => {
    // A kubeconfig without a current context: the client is loaded to read it, then refused.
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'fia-kube-')), 'config')
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n')
    const r = loaded(['doctor', '--kubeconfig', kubeconfig])
    expect(r.stderr).toContain('error ERR_KUBECONFIG: the kubeconfig has no current context or cluster')
    expect(outputsOf('@kubernetes/client-node').some((chunk) => r.files.includes(chunk))).toBe(true)
  })
})
