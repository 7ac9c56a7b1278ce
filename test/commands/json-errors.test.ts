// Every command, asked for JSON, answers in JSON — the envelope with its `errors` — whatever
// goes wrong: an unknown flag, a missing or bad flag value, an unexpected argument, input it
// cannot read. The exit code is the README's for that error. The commands that print no
// report (completion, mcp, serve) take no --json: given one, it is their usage error, in JSON.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli.js'
import { runInProcess } from '../support/in-process.js'

// The registry (src/commands/index.ts), so that a command added there is checked here too.
const COMMANDS = [...readFileSync('src/commands/index.ts', 'utf8').matchAll(/^\s+'?([a-z:]+)'?: [A-Z]\w+,$/gm)].map((m) => (m[1] as string).split(':'))

// Per command: one bad flag value and one input it cannot read, with the code and exit code.
const BAD: Record<string, [string[], string, number][]> = {
  codes: [[['-o', 'yaml'], 'ERR_USAGE', 2], [['extra'], 'ERR_USAGE', 2]],
  completion: [[['tcsh'], 'ERR_USAGE', 2], [[], 'ERR_USAGE', 2]],
  doctor: [[['--flux-version', 'three'], 'ERR_USAGE', 2], [['--snapshot', '/nonexistent/s.yaml'], 'ERR_FILE_READ', 2]],
  'explain policy': [[['--top', 'many', '--file', 'x'], 'ERR_USAGE', 2], [['--file', '/nonexistent/p.yaml'], 'ERR_FILE_READ', 2]],
  lint: [[['--flux-version', 'x'], 'ERR_USAGE', 2], [['/nonexistent/tree'], 'ERR_FILE_READ', 2]],
  mcp: [[['--request-timeout', '0'], 'ERR_USAGE', 2], [['stdio'], 'ERR_USAGE', 2]],
  preview: [[['--request-timeout', 'soon'], 'ERR_USAGE', 2], [['--policies-file', '/nonexistent/p.yaml', '--path', '.'], 'ERR_FILE_READ', 2]],
  scaffold: [[['--provider', 'ibm'], 'ERR_USAGE', 2], [['--from', '/nonexistent/spec.yaml'], 'ERR_FILE_READ', 2]],
  serve: [[['--listen', 'nowhere'], 'ERR_USAGE', 2], [['--debounce', '-1'], 'ERR_USAGE', 2]],
  template: [[['--changes'], 'ERR_USAGE', 2], [['--automation-file', '/nonexistent/a.yaml'], 'ERR_FILE_READ', 2]],
  trace: [[['-o', 'xml'], 'ERR_USAGE', 2], [['--automation-file', '/nonexistent/a.yaml'], 'ERR_FILE_READ', 2]],
}

interface Envelope {
  apiVersion: string
  status: string
  errors: { code: string; message: string }[]
}

function envelope(stdout: string): Envelope {
  const env = JSON.parse(stdout) as Envelope
  expect(env.apiVersion).toBe('flux-imgauto/v1')
  expect(env.status).toBe('incomplete')
  return env
}

describe('every command answers --json with JSON, whatever goes wrong', () => {
  it('the table covers every command in the registry', () => {
    expect(COMMANDS.map((c) => c.join(' ')).sort()).toEqual(Object.keys(BAD).sort())
  })

  const json = [['--json'], ['-o', 'json'], ['-ojson'], ['--output=json']]
  const cases = COMMANDS.flatMap((command) => [
    ...json.map((j): [string, string[], string, number] => [command.join(' '), [...command, '--no-such-flag', ...j], 'ERR_USAGE', 2]),
    ...(BAD[command.join(' ')] ?? []).map(([args, code, exit]): [string, string[], string, number] => [command.join(' '), [...command, ...args, '--json'], code, exit]),
  ])
  it.each(cases)('%s: %j → %s, exit %i', async (_name, args, code, exit) => {
    const r = await runInProcess(args)
    expect(r.stderr).toBe('')
    expect(envelope(r.stdout).errors).toEqual([expect.objectContaining({ code, message: expect.any(String) })])
    expect(r.code).toBe(exit)
  })

  // As a user runs it: a child, once per kind of failure the process itself handles.
  it.each([
    [['nope', '-ojson'], 'ERR_USAGE', 2],
    [['explain', 'nope', '--output=json'], 'ERR_USAGE', 2],
    [['lint', '--bogus', '-o', 'json'], 'ERR_USAGE', 2],
    [['doctor', '--snapshot', '/nonexistent/s.yaml', '-ojson'], 'ERR_FILE_READ', 2],
  ])('a child: %j → JSON with %s, exit %i', async (args, code, exit) => {
    const r = await runCli(args)
    expect(r.stderr).toBe('')
    expect(envelope(r.stdout).errors).toEqual([expect.objectContaining({ code })])
    expect(r.code).toBe(exit)
  })
})
