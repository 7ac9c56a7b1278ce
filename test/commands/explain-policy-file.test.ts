import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { tempDir } from '../support/tree.js'

const POLICY = 'fixtures/policies/podinfo-semver.yaml'
const TAGS = 'fixtures/policies/podinfo-tags.txt'

describe('explain policy --file', () => {
  it('prints the winner, every verdict and the findings', async () => {
    const r = await runCli(['explain', 'policy', '--file', POLICY, '--tags-file', TAGS])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain('ImagePolicy flux-system/podinfo (semver ">=6.0.0")')
    expect(r.stdout).toContain('Result       v6.7.1')
    expect(r.stdout).toMatch(/^6\.8\.0-rc\.1\s+prerelease-excluded/m)
    expect(r.stdout).toMatch(/^sha256-abc\.sig\s+excluded\s+matches exclusionList pattern \^\.\*\\\.sig\$/m)
    expect(r.stdout).toContain('warning FIA120')
  })

  it('gives the documented JSON envelope', async () => {
    const r = await runCli(['explain', 'policy', '--file', POLICY, '--tags-file', TAGS, '--json'])
    expect(r.code).toBe(0)
    const env = JSON.parse(r.stdout)
    expect(env).toMatchObject({ apiVersion: 'flux-imgauto/v1', kind: 'PolicyExplanation', status: 'problems', errors: [] })
    expect(env.findings.map((f: { code: string }) => f.code)).toEqual(['FIA120'])
    expect(env.findings[0]).toMatchObject({ severity: 'warning', subject: { kind: 'ImagePolicy', namespace: 'flux-system', name: 'podinfo' } })
    expect(env.result.replay.latest).toBe('v6.7.1')
    expect(env.result.replay.tags).toHaveLength(8)
    expect(env.result.tagSource).toEqual({ kind: 'file', description: TAGS, count: 8, complete: true })
  })

  it('exits 1 when a finding reaches --fail-on', async () => {
    const r = await runCli(['explain', 'policy', '--file', POLICY, '--tags-file', TAGS, '--fail-on', 'warning'])
    expect(r.code).toBe(1)
  })

  it('counts a tag listed twice in a file once', async () => {
    const r = await runCli(['explain', 'policy', '--file', POLICY, '--tags-file', '-', '--json'], { stdin: '6.1.0\n6.1.0\r\n\n6.0.0\n' })
    expect(JSON.parse(r.stdout).result.replay.tags.map((t: { tag: string }) => t.tag)).toEqual(['6.1.0', '6.0.0'])
  })

  it('reads tags from standard input as a JSON array', async () => {
    const r = await runCli(['explain', 'policy', '--file', POLICY, '--tags-file', '-', '--json'], { stdin: '["6.1.0", "6.2.0-rc.1", "7.0.0"]' })
    expect(JSON.parse(r.stdout).result.replay.latest).toBe('7.0.0')
  })

  it('reports a policy Flux cannot evaluate as an error finding (exit 1)', async () => {
    const r = await runCli(['explain', 'policy', '--file', 'fixtures/policies/bad-regex.yaml', '--tags-file', TAGS, '--json'])
    expect(r.code).toBe(1)
    const env = JSON.parse(r.stdout)
    expect(env.findings[0]).toMatchObject({ code: 'FIA104', severity: 'error', message: "failed to filter tags: invalid regular expression pattern '^v(?P<ver>.*': error parsing regexp: missing closing ): `^v(?P<ver>.*`" })
  })

  it('refuses more distinct tags than it replays, with a coded error', async () => {
    const file = join(tempDir(), 'tags.txt')
    const tags = new Array<string>(5_000_001)
    for (let i = 0; i < tags.length; i++) tags[i] = `1.0.${i}`
    writeFileSync(file, tags.join('\n'))
    const r = await runCli(['explain', 'policy', '--file', POLICY, '--tags-file', file])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`error ERR_TAGS_FILE: ${file}: more than 5,000,000 distinct tags, the most explain policy replays\n  hint: Replay over part of the list (e.g. the tags the filterTags pattern admits); the README lists the limits.\n`)
  }, 120_000)

  it('names the first few of many policies in a file, and how many more', async () => {
    const dir = tempDir()
    const policies = Array.from({ length: 8 }, (_, i) => `---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: app-${i}\nspec:\n  policy:\n    semver:\n      range: ">=1.0.0"\n`)
    writeFileSync(join(dir, 'policies.yaml'), policies.join(''))
    const r = await runCli(['explain', 'policy', '--file', join(dir, 'policies.yaml'), '--tags-file', TAGS])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe(`error ERR_MANIFEST: ${join(dir, 'policies.yaml')} holds 8 ImagePolicies; name one (app-0, app-1, app-2, app-3, app-4 and 3 more)`)
  })

  it.each([
    [['explain', 'policy', '--file', 'fixtures/policies/missing.yaml', '--tags-file', TAGS], 'ERR_FILE_READ', 2],
    [['explain', 'policy', '--file', 'fixtures/policies/broken.yaml', '--tags-file', TAGS], 'ERR_YAML', 2],
    [['explain', 'policy', 'other', '--file', POLICY, '--tags-file', TAGS], 'ERR_MANIFEST', 2],
    [['explain', 'policy', '--file', POLICY, '--tags-file', 'fixtures/policies/bad-tags.json'], 'ERR_TAGS_FILE', 2],
    [['explain', 'policy', '--file', POLICY, '--no-registry'], 'ERR_USAGE', 2],
    [['explain', 'policy', '--file', POLICY, '--show', 'some'], 'ERR_USAGE', 2],
    [['explain', 'policy', '--no-such-flag'], 'ERR_USAGE', 2],
    [['explain', 'policy', '--file', 'fixtures/policies/wrong-type.yaml', '--tags-file', TAGS], 'ERR_MANIFEST', 2],
  ])('bad input %j → %s, exit %i, one line, no stack', async (args, code, exit) => {
    const r = await runCli(args as string[])
    expect(r.code).toBe(exit)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(new RegExp(`^error ${code}: .+\\n  hint: .+\\n$`))
    expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/)
    const json = await runCli([...(args as string[]), '--json'])
    expect(json.code).toBe(exit)
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'incomplete', errors: [{ code }] })
  })
})

describe('codes and --version', () => {
  it('lists the catalogue', async () => {
    const r = await runCli(['codes', '--json'])
    const env = JSON.parse(r.stdout)
    expect(env.kind).toBe('CodeCatalogue')
    expect(env.result.findings.map((c: { code: string }) => c.code)).toContain('FIA105')
    expect(env.result.errors.map((c: { code: string }) => c.code)).toContain('ERR_CLUSTER_UNREACHABLE')
  })
  it('prints the version without loading oclif', async () => {
    const r = await runCli(['--version'])
    expect(r.stdout).toMatch(/^flux-imgauto\/\d+\.\d+\.\d+ \S+ node-v\d+/)
  })
})

describe('explain policy: a field of the wrong type', () => {
  it('names the file, the line and the field, instead of failing inside', async () => {
    const r = await runCli(['explain', 'policy', '--file', 'fixtures/policies/wrong-type.yaml', '--tags-file', TAGS])
    expect(r.stderr.split('\n')[0]).toBe('error ERR_MANIFEST: fixtures/policies/wrong-type.yaml:11: ImagePolicy flux-system/podinfo: spec.filterTags.pattern must be a string, not a number (5)')
  })
})
