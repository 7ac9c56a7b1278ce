// What no command caught: a failure in oclif's own start-up or after a command returned (an
// unhandled rejection, an exception in a timer). It still ends as every error does — one coded
// line, or the JSON envelope when JSON was asked for — with exit 4, never a stack trace.

import type { ToolError } from '../core/findings/types.js'
import { renderToolError } from '../render/findings.js'

/** Exit code of an internal failure (README, "Exit codes"). */
const INTERNAL = 4

/** --json, or -o/--output json in any of its spellings (-o json, -ojson, -o=json, --output=json). */
export function jsonRequestedIn(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--json' || /^(-o=?|--output=)json$/.test(a) || ((a === '-o' || a === '--output') && argv[i + 1] === 'json'))
}

/** Prints one tool error as the envelope (kind `Error`) or as one coded line. */
export function reportError(error: ToolError, argv: readonly string[], kind = 'Error'): void {
  if (jsonRequestedIn(argv)) process.stdout.write(JSON.stringify({ apiVersion: 'flux-imgauto/v1', kind, status: 'incomplete', findings: [], errors: [error], result: null }, null, 2) + '\n')
  else process.stderr.write(renderToolError(error))
}

let reported = false

/** Reports an uncaught failure once, as ERR_INTERNAL, and sets exit code 4. */
export function internalFailure(e: unknown, argv: readonly string[] = process.argv.slice(2)): void {
  process.exitCode = INTERNAL
  if (reported) return
  reported = true
  const message = e instanceof Error ? e.message : String(e)
  reportError({ code: 'ERR_INTERNAL', message: `unexpected failure: ${message.split('\n')[0]}`, suggestion: 'Please report this with the command line that caused it.' }, argv)
}
