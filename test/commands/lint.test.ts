// lint as users run it: the table, --json, --output junit, --fail-on, exit codes, errors.

import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'

const CASE = 'fixtures/lint/trees/marker-suppressed'

describe('flux-imgauto lint', () => {
  it('prints findings with file, line and fix, and exits 1 on an error', async () => {
    const r = await runCli(['lint', 'fixtures/lint/objects/automation-template-updated.yaml'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('error   FIA503 automation-template-updated.yaml:2: The message template uses a field removed in the v1 API')
    expect(r.stdout).toContain("template uses removed '.Updated' field. Please use '.Changed' instead.")
    expect(r.stdout).toContain('fix: Use .Changed')
  })

  it('exits 0 on warnings unless --fail-on warning', async () => {
    const path = 'fixtures/lint/objects/semver-unbounded.yaml'
    expect((await runCli(['lint', path])).code).toBe(0)
    expect((await runCli(['lint', path, '--fail-on', 'warning'])).code).toBe(1)
  })

  it('lists suppressed findings with their reasons, and reports none', async () => {
    const r = await runCli(['lint', CASE, '--fail-on', 'info'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('No findings.')
    expect(r.stdout).toContain('Suppressed (1):\n  FIA304 apps/deploy.yaml:12: the api policy lives in the platform repository\n')
  })

  it('prints the flux-imgauto/v1 envelope with --json and with -o json', async () => {
    for (const flag of [['--json'], ['-o', 'json']]) {
      const r = await runCli(['lint', 'fixtures/lint/trees/marker-other-namespace', ...flag])
      const env = JSON.parse(r.stdout)
      expect(env).toMatchObject({ apiVersion: 'flux-imgauto/v1', kind: 'LintReport', status: 'problems', errors: [] })
      expect(env.result.objects.map((o: { kind: string }) => o.kind)).toEqual(['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'])
      expect(env.result.markers).toBe(1)
      expect(env.findings.map((f: { code: string; location: unknown }) => [f.code, f.location])).toEqual([['FIA302', { file: 'apps/deploy.yaml', line: 11, column: 18 }]])
    }
  })

  it('writes JUnit with one test case per file, failing those with findings at --fail-on', async () => {
    const r = await runCli(['lint', 'fixtures/lint/trees/marker-other-namespace', '--output', 'junit', '--fail-on', 'warning'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('<testsuites name="flux-imgauto lint" tests="2" failures="1">')
    expect(r.stdout).toContain(`<testcase classname="lint" name="apps/deploy.yaml"><failure message="FIA302 The marker names a namespace other than the automation's`)
    expect(r.stdout).toContain('<testcase classname="lint" name="flux.yaml"></testcase>')
    const lenient = await runCli(['lint', 'fixtures/lint/trees/marker-other-namespace', '--output', 'junit'])
    expect(lenient.code).toBe(0)
    expect(lenient.stdout).toContain('failures="0"')
    expect(lenient.stdout).toContain('<system-out>warning FIA302 apps/deploy.yaml:11')
  })

  it('says so in one coded line when the path does not exist', async () => {
    const r = await runCli(['lint', 'no/such/dir'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('error ERR_FILE_READ: cannot read no/such/dir: no such file or directory\n  hint: Check the path and its permissions.\n')
    const j = await runCli(['lint', 'no/such/dir', '--json'])
    expect(JSON.parse(j.stdout)).toMatchObject({ kind: 'LintReport', status: 'incomplete', errors: [{ code: 'ERR_FILE_READ' }] })
  })
})
