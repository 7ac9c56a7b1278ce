// An unknown command ends like every other usage error: one coded line (or the JSON envelope
// with --json) and exit 2, instead of oclif's own "command not found" banner.

import type { Hook } from '@oclif/core'
import { reportError } from '../cli/last-resort.js'
import type { ToolError } from '../core/findings/types.js'
import { EXIT } from '../cli/base.js'

/** Reports command `id` (oclif's form, `explain:nope`) as unknown among `known` ids and exits. */
export function reportUnknownCommand(id: string, argv: string[], known: string[]): never {
  const words = id.split(':').join(' ')
  const commands = known.map((c) => c.split(':').join(' ')).sort()
  const error: ToolError = { code: 'ERR_USAGE', message: `unknown command "${words}"; the commands are ${commands.join(', ')}`, suggestion: 'Run flux-imgauto --help.' }
  reportError(error, argv)
  process.exit(EXIT.input)
}

const hook: Hook<'command_not_found'> = async function (opts) {
  reportUnknownCommand(opts.id, opts.argv ?? [], opts.config.commands.map((c) => c.id))
}

export default hook
