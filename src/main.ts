// The CLI as one module. esbuild bundles it (scripts/bundle.js → dist/bundle/flux-imgauto.js),
// and package.json's oclif.commands and oclif.hooks name that same bundle, so oclif finds the
// commands and the hook in the module bin/run.js has already loaded instead of importing the
// tree of dist/ modules.

import { flush, run as runOclif } from '@oclif/core'
import { internalFailure } from './cli/last-resort.js'

export { commands } from './commands/index.js'
export { default as commandNotFound } from './hooks/command-not-found.js'

/**
 * Runs the CLI on process.argv; `dir` is a file or directory inside the package (oclif finds
 * package.json from it). Commands report their own errors (BaseCommand.catch); what escapes
 * them, or oclif, is an internal failure, reported as one (oclif's own handler would print
 * a stack and exit 1, a code the README gives to findings).
 */
export async function run(dir: string): Promise<unknown> {
  // Node would print the stack and exit 1 (or 7); the state after such a failure is unknown, so
  // the run still ends, with its coded line.
  const fatal = (e: unknown): void => {
    internalFailure(e)
    process.exit()
  }
  process.on('uncaughtException', fatal)
  process.on('unhandledRejection', fatal)
  try {
    return await runOclif(process.argv.slice(2), dir)
  } catch (e) {
    // this.exit(n) inside oclif (help, --version) ends with an ExitError carrying the code.
    const exit = (e as { oclif?: { exit?: unknown } }).oclif?.exit
    if (typeof exit === 'number') process.exitCode = exit
    else internalFailure(e)
    return undefined
  } finally {
    // As oclif's execute does: not awaited (it waits for a drain event a short write never emits).
    void flush()
  }
}
