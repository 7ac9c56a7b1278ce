// An unknown command ends like every other usage error: one coded line (or the JSON envelope
// with --json) and exit 2, instead of oclif's own "command not found" banner.

import type { Hook } from '@oclif/core'
import { renderToolError } from '../render/findings.js'
import type { ToolError } from '../core/findings/types.js'
import { EXIT } from '../cli/base.js'

const hook: Hook<'command_not_found'> = async function (opts) {
  const words = opts.id.split(':').join(' ')
  const known = opts.config.commands.map((c) => c.id.split(':').join(' ')).sort()
  const error: ToolError = { code: 'ERR_USAGE', message: `unknown command "${words}"; the commands are ${known.join(', ')}`, suggestion: 'Run flux-imgauto --help.' }
  const argv = opts.argv ?? []
  if (argv.includes('--json') || /(^|\s)(-o|--output)[= ]json(\s|$)/.test(argv.join(' '))) {
    process.stdout.write(JSON.stringify({ apiVersion: 'flux-imgauto/v1', kind: 'Error', status: 'incomplete', findings: [], errors: [error], result: null }, null, 2) + '\n')
  } else {
    process.stderr.write(renderToolError(error))
  }
  process.exit(EXIT.input)
}

export default hook
