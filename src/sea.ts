// The entry of the single executable (scripts/sea.js). Node 20 runs an executable's one
// CommonJS script, whose require() reaches only built-in modules, so oclif cannot import the
// commands and the hook by the paths package.json names, nor read package.json beside it.
// Everything comes from inside the executable instead: package.json is an asset of it, the
// commands map is handed to the root plugin, and an unknown command is reported here before
// oclif would look for the hook's file.

import { dirname } from 'node:path'
import { getAsset } from 'node:sea'
import type { Interfaces } from '@oclif/core'

async function main(argv: string[]): Promise<void> {
  const pjson = JSON.parse(getAsset('package.json', 'utf8')) as Interfaces.PJSON
  // As in bin/run.js, `--version` is answered before oclif and the commands are loaded.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`)
    return
  }
  const { Config, flush, handle, Plugin, run } = await import('@oclif/core')
  try {
    const { normalizeArgv } = await import('@oclif/core/help')
    const { commands } = await import('./commands/index.js')
    const { reportUnknownCommand } = await import('./hooks/command-not-found.js')
    pjson.oclif.hooks = {}
    const root = dirname(process.execPath)
    const plugin = new Plugin({ isRoot: true, pjson, root })
    // oclif 4 offers no public way to give a plugin its commands: with the "explicit" strategy
    // Plugin.loadCommandsFromTarget() imports oclif.commands.target and keeps the export in
    // `commandCache`, which it reads first (@oclif/core src/config/plugin.ts). Filled here, that
    // import never happens. npm run sea:test runs commands from the executable, so an oclif
    // that stops reading the field fails there.
    Object.assign(plugin, { commandCache: commands })
    await plugin.load()
    const config = await Config.load({ pjson, plugins: new Map([[plugin.name, plugin]]), root })
    // What oclif's run() does before it runs the command_not_found hook (@oclif/core src/main.ts):
    // no command, help and version are its own; a topic shows the topic's help.
    const [id = ''] = normalizeArgv(config, argv)
    if (id !== '' && id !== '--version' && !argv.includes('--help') && !config.findCommand(id) && !config.findTopic(id)) {
      reportUnknownCommand(id, argv, config.commandIDs)
    }
    await run(argv, config)
    await flush()
  } catch (error) {
    await handle(error as Error)
  }
}

void main(process.argv.slice(2))
