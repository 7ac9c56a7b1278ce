// image-automation-controller v1.2.1's own test data, run as its README describes.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanRepository } from '../../src/adapters/repo-files.js'
import type { PolicyLike } from '../../src/core/markers/setters.js'
import { traceMarkers } from '../../src/core/markers/trace.js'
import { planUpdate } from '../../src/core/markers/update.js'
import { runCli } from '../support/cli.js'
import { copyVector, listTree, tempDir, VECTORS, writeTree } from '../support/tree.js'

const DIGEST = 'sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be'

function policy(namespace: string, name: string, ref: string): PolicyLike {
  const [rest, digest] = ref.split('@') as [string, string | undefined]
  const i = rest.lastIndexOf(':')
  return { metadata: { name, namespace }, status: { latestRef: { name: rest.slice(0, i), tag: rest.slice(i + 1), ...(digest ? { digest } : {}) } } }
}

describe('setters vector (TestUpdateWithSetters)', () => {
  it('writes exactly the three expected files, byte for byte, with the change list in order', async () => {
    const input = copyVector('internal/update/testdata/setters/original')
    const out = join(tempDir(), 'out')
    const r = await runCli(['preview', input, '-n', 'automation-ns', '--policies-file', 'fixtures/markers/setters-policies.yaml', '--out', out, '--json'])
    expect(r.stderr).toBe('')
    const env = JSON.parse(r.stdout)
    const expected = listTree(join(VECTORS, 'internal/update/testdata/setters/expected'))
    expect([...listTree(out).keys()]).toEqual([...expected.keys()])
    for (const [file, content] of expected) expect(readFileSync(join(out, file), 'utf8'), file).toBe(content)
    expect(env.result.files.map((f: { exact: boolean }) => f.exact)).toEqual([true, true, true])
    const kust = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: '', name: '' }
    expect(env.result.files.map((f: { file: string; objects: unknown }) => [f.file, f.objects])).toEqual([
      ['Kustomization', [{ object: kust, changes: [
        { oldValue: 'replaced', newValue: 'index.repo.fake/updated', setter: 'automation-ns:policy:name' },
        { oldValue: 'v1', newValue: 'v1.0.1', setter: 'automation-ns:policy:tag' },
      ] }]],
      ['kustomization.yml', [{ object: kust, changes: [
        { oldValue: 'replaced', newValue: 'index.repo.fake/updated', setter: 'automation-ns:policy:name' },
        { oldValue: 'v1', newValue: 'v1.0.1', setter: 'automation-ns:policy:tag' },
        { oldValue: 'sha256:1234567890abcdef', newValue: DIGEST, setter: 'automation-ns:policy-with-digest:digest' },
        { oldValue: 'image', newValue: `image:v1.0.0@${DIGEST}`, setter: 'automation-ns:policy-with-digest' },
      ] }]],
      ['marked.yaml', [{ object: { apiVersion: 'batch/v1beta1', kind: 'CronJob', namespace: 'bar', name: 'foo' }, changes: [
        { oldValue: 'image:v1.0.0', newValue: 'index.repo.fake/updated:v1.0.1', setter: 'automation-ns:policy' },
      ] }]],
    ])
    expect(env.result.commitMessage).toBe('Update from image update automation')
  })
})

describe('screening (TestScreeningLocalReader)', () => {
  it('reads exactly the four files that carry the token', () => {
    const scan = scanRepository(copyVector('internal/update/testdata/setters/original'), undefined)
    expect(scan.files.map((f) => f.path).sort()).toEqual(['Kustomization', 'kustomization.yml', 'marked.yaml', 'otherns.yaml'])
    expect(scan.runError).toBeUndefined()
  })
})

describe('policy applier (Test_applyPolicies)', () => {
  // SETTER_SITE is replaced in the input and the expected copy alike, then the update is
  // applied and the whole directory compared with the expected one.
  function applierTree(dir: string, target: string): { input: string; expected: Map<string, string> } {
    const marker = `{"$imagepolicy": "test-ns:${target}"}`
    const files: Record<string, string> = {}
    for (const [p, c] of listTree(join(VECTORS, 'internal/policy/testdata', dir))) files[p] = c.replaceAll('SETTER_SITE', marker)
    const expected = new Map<string, string>()
    const expectedDir = dir === 'pathconfig' ? 'pathconfig-expected' : 'appconfig-setters-expected'
    for (const [p, c] of listTree(join(VECTORS, 'internal/policy/testdata', expectedDir))) expected.set(p, c.replaceAll('SETTER_SITE', marker))
    return { input: writeTree(files), expected }
  }

  function apply(input: string, updatePath: string | undefined, policies: PolicyLike[]): Map<string, string> {
    const scan = scanRepository(input, updatePath)
    const updates = planUpdate(traceMarkers({ namespace: 'test-ns' }, policies, scan), new Map(scan.files.map((f) => [f.path, f.text])))
    const tree = listTree(input)
    const prefix = updatePath ? updatePath.replace(/^\.\//, '') + '/' : ''
    for (const u of updates) tree.set(prefix + u.file, u.rewrite.text)
    return tree
  }

  it('valid update strategy and one policy', () => {
    const { input, expected } = applierTree('appconfig', 'policy1')
    expect(apply(input, undefined, [policy('test-ns', 'policy1', 'helloworld:1.0.1')])).toEqual(expected)
  })

  it('valid update strategy and multiple policies', () => {
    const { input, expected } = applierTree('appconfig', 'policy2')
    const policies = [policy('test-ns', 'policy1', 'foo:1.1.1'), policy('test-ns', 'policy2', 'helloworld:1.0.1'), policy('test-ns', 'policy3', 'bar:2.2.2')]
    expect(apply(input, undefined, policies)).toEqual(expected)
  })

  it('valid update strategy with update path', () => {
    const { input, expected } = applierTree('pathconfig', 'policy1')
    expect(apply(input, './yes', [policy('test-ns', 'policy1', 'helloworld:1.0.1')])).toEqual(expected)
  })

  it('an unknown update strategy fails the run', async () => {
    const { input } = applierTree('appconfig', 'policy1')
    const auto = writeTree({ 'a.yaml': 'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata:\n  name: a\n  namespace: test-ns\nspec:\n  update:\n    strategy: foo\n' })
    const pols = writeTree({ 'p.yaml': 'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: policy1\n  namespace: test-ns\nstatus:\n  latestRef: {name: helloworld, tag: 1.0.1}\n' })
    const r = await runCli(['preview', input, '--automation-file', `${auto}/a.yaml`, '--policies-file', `${pols}/p.yaml`, '--json'])
    expect(r.code).toBe(1)
    const env = JSON.parse(r.stdout)
    expect(env.findings[0]).toMatchObject({ code: 'FIA343', message: 'unsupported update strategy: foo' })
    expect(env.result.files).toEqual([])
  })
})
