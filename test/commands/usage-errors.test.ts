// Usage errors outside any one command's own flags end as every other error does: one coded
// line on stderr (or the JSON envelope with --json), exit 2, no oclif banner, no stack.

import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { ROOT, runCli } from '../support/cli.js'

describe('usage errors', () => {
  it.each([
    [['nope'], 'unknown command "nope"; the commands are codes, completion, doctor, explain policy, lint, mcp, preview, scaffold, serve, template, trace'],
    [['explain', 'nope'], 'unknown command "explain nope"; the commands are codes, completion, doctor, explain policy, lint, mcp, preview, scaffold, serve, template, trace'],
    // oclif's "The following error occurred:" heading alone said nothing; the reason is the message.
    [['doctor', '--snapshot', 'a.yaml', '--flux-output', 'b.txt'], '--flux-output=b.txt cannot also be provided when using --snapshot'],
  ])('%j → one coded line, exit 2', async (args, message) => {
    const r = await runCli(args)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^error ERR_USAGE: .+\n  hint: .+\n$/)
    expect(r.stderr.split('\n')[0]).toBe(`error ERR_USAGE: ${message}`)
    const json = await runCli([...args, '--json'])
    expect(json.code).toBe(2)
    expect(json.stderr).toBe('')
    expect(JSON.parse(json.stdout)).toEqual({
      apiVersion: 'flux-imgauto/v1',
      kind: expect.any(String),
      status: 'incomplete',
      findings: [],
      errors: [{ code: 'ERR_USAGE', message, suggestion: expect.any(String) }],
      result: null,
    })
  })
})

// A container run as an arbitrary uid (the Dockerfile's USER 65532): no passwd entry, no
// SHELL, and HOME=/ or (where the runtime sets none) no HOME. Only root can become such a user.
const asUidWithoutPasswd = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0

describe.skipIf(!asUidWithoutPasswd)('as a uid with no passwd entry', () => {
  it.each([['HOME=/', { HOME: '/' }], ['no HOME', {}]])('%s: a bad kubeconfig is one coded line', (_, env) => {
    const r = spawnSync('setpriv', ['--reuid=65532', '--regid=65532', '--clear-groups', process.execPath, 'bin/run.js', 'doctor', '--kubeconfig', '/nonexistent/config'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' })
    expect(r.stderr).toBe('error ERR_KUBECONFIG: kubeconfig /nonexistent/config does not exist\n  hint: Pass --kubeconfig and --context, or set KUBECONFIG.\n')
    expect(r.status).toBe(2)
  })
})
