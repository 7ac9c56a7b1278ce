// The CLI as one module. esbuild bundles it (scripts/bundle.js → dist/bundle/flux-imgauto.js),
// and package.json's oclif.commands and oclif.hooks name that same bundle, so oclif finds the
// commands and the hook in the module bin/run.js has already loaded instead of importing the
// tree of dist/ modules.

import { execute } from '@oclif/core'

export { commands } from './commands/index.js'
export { default as commandNotFound } from './hooks/command-not-found.js'

/** Runs the CLI on process.argv; `dir` is a file or directory inside the package (oclif finds package.json from it). */
export function run(dir: string): Promise<unknown> {
  return execute({ dir })
}
