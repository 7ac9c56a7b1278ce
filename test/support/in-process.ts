// Runs the built CLI (dist/bundle, as bin/run.js loads it) inside the test process: the same
// oclif config, commands and hook, without a child's start-up (~0.5 s each), so that a table of
// hundreds of cases stays cheap. stdout, stderr and the exit code are captured as a child's
// would be; process.exit (the unknown-command hook) ends the run instead of the test process.
// Not for commands that read standard input or run until signalled (mcp, serve once started).

import { Config, run } from '@oclif/core'
import { ROOT, type RunResult } from './cli.js'

let config: Config | undefined

class Exited extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`)
  }
}

/** `cwd`: the directory relative paths resolve in during the run (vitest's forks pool allows chdir). */
export async function runInProcess(args: string[], opts: { cwd?: string } = {}): Promise<RunResult> {
  config ??= await Config.load(ROOT)
  // oclif reads standard input for arguments when it is not a terminal; a child given an
  // empty stdin reads nothing, and so does this run.
  ;(globalThis as { oclif?: object }).oclif = { ...(globalThis as { oclif?: object }).oclif, stdinCache: '' }
  let stdout = ''
  let stderr = ''
  const { write: out } = process.stdout
  const { write: err } = process.stderr
  const exit = process.exit
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write
  process.exit = ((code?: number) => {
    throw new Exited(code ?? 0)
  }) as typeof process.exit
  process.exitCode = undefined
  // vitest sets NODE_ENV=test, under which oclif warns on stderr of a command whose parse
  // failed ("did not parse its arguments"); a user's run is not in that mode.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  let code: number
  const cwd = process.cwd()
  if (opts.cwd !== undefined) process.chdir(opts.cwd)
  try {
    await run(args, config)
    code = Number(process.exitCode ?? 0)
  } catch (e) {
    if (e instanceof Exited) code = e.code
    else {
      // What would escape to oclif's handler in a real run: reported as main.ts reports it.
      code = 4
      stderr += `uncaught: ${(e as Error).stack ?? String(e)}\n`
    }
  } finally {
    process.stdout.write = out
    process.stderr.write = err
    process.exit = exit
    process.exitCode = undefined
    process.env.NODE_ENV = nodeEnv
    process.chdir(cwd)
  }
  return { code, stdout, stderr }
}
