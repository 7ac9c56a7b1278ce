// An unknown command ends like every other usage error: one coded line (or the JSON envelope
// with --json) and exit 2, instead of oclif's own "command not found" banner.

import type { Hook } from '@oclif/core'
import { renderToolError } from '../render/findings.js'
import type { ToolError } from '../core/findings/types.js'
import { EXIT } from '../cli/base.js'

/** Reports command `id` (oclif's form, `explain:nope`) as unknown among `known` ids and exits. */
export function reportUnknownCommand(id: string, argv: string[], known: string[]): never {
  const words = id.split(':').join(' ')
  const commands = known.map((c) => c.split(':').join(' ')).sort()
  const error: ToolError = { code: 'ERR_USAGE', message: `unknown command "${words}"; the commands are ${commands.join(', ')}`, suggestion: 'Run flux-imgauto --help.' }
  if (argv.includes('--json') || /(^|\s)(-o|--output)[= ]json(\s|$)/.test(argv.join(' '))) {
    process.stdout.write(JSON.stringify({ apiVersion: 'flux-imgauto/v1', kind: 'Error', status: 'incomplete', findings: [], errors: [error], result: null }, null, 2) + '\n')
  } else {
    process.stderr.write(renderToolError(error))
  }
  process.exit(EXIT.input)
}

const hook: Hook<'command_not_found'> = async function (opts) {
  reportUnknownCommand(opts.id, opts.argv ?? [], opts.config.commands.map((c) => c.id))
}

export default hook
