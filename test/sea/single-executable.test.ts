// The single executable (scripts/sea.js) answers as the npm-installed CLI does. Building it
// copies and patches the ~110 MB node binary (about 7 s of CPU, more than half a minute of wall
// clock on a shared 2-core machine), so `npm test` skips it; `npm run sea:test` builds it and
// runs this file.

import { execFileSync, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../support/cli.js'
import { writeTree } from '../support/tree.js'

const EXE = join(ROOT, 'out/flux-imgauto')

function runExe(args: string[]): { code: number | null; stdout: string; stderr: string } {
  // A bare environment: no NODE_OPTIONS, no NODE_PATH.
  const r = spawnSync(EXE, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' }, encoding: 'utf8' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe.skipIf(process.env.FIA_SEA_TEST !== '1')('single executable (npm run sea:test)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/sea.js'], { cwd: ROOT, stdio: 'ignore' })
  }, 600_000)

  const repo = writeTree({ 'apps/deploy.yaml': 'image: ghcr.io/acme/app:1.0.0 # {"$imagepolicy": "flux-system:app"}\n' })
  it.each([
    ['--version', ['--version']],
    ['explain policy --file', ['explain', 'policy', '--file', 'fixtures/policies/podinfo-semver.yaml', '--tags-file', 'fixtures/policies/podinfo-tags.txt']],
    ['trace', ['trace', join(repo, 'apps'), '--policies-file', 'fixtures/markers/app-policies.yaml']],
    ['an unknown command', ['explain', 'nope']],
    ['a file that does not exist', ['explain', 'policy', '--file', 'fixtures/policies/none.yaml', '--tags-file', 'fixtures/policies/podinfo-tags.txt']],
  ])('%s: the same output and exit code as bin/run.js', async (_, args) => {
    const want = await runCli(args)
    const got = runExe(args)
    expect(got).toEqual(want)
  })

  it('explain policy from the executable picks the winner', () => {
    const r = runExe(['explain', 'policy', '--file', 'fixtures/policies/podinfo-semver.yaml', '--tags-file', 'fixtures/policies/podinfo-tags.txt'])
    expect(r.stdout).toMatch(/^Result {7}v6\.7\.1$/m)
  })
})
