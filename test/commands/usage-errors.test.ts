// Usage errors outside any one command's own flags end as every other error does: one coded
// line on stderr (or the JSON envelope with --json), exit 2, no oclif banner, no stack.

import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'

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
