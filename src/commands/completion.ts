import { Args } from '@oclif/core'
import { BaseCommand } from '../cli/base.js'
import { completionScript, type Shell, SHELLS } from '../cli/completion-scripts.js'

export default class Completion extends BaseCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish.'
  static override description =
    'The script asks flux-imgauto itself what to complete (the __complete protocol the flux CLI uses for plugins), so commands, flags, flag values and kubeconfig contexts complete as they do under `flux imgauto`.'

  static override examples = ['source <(<%= config.bin %> completion bash)', 'source <(<%= config.bin %> completion zsh)', '<%= config.bin %> completion fish | source']

  // A script, not a report: no --json, no --fail-on. (The cast only satisfies the static
  // side's type; oclif reads the object, which is empty.)
  static override baseFlags = {} as typeof BaseCommand.baseFlags
  static override args = { shell: Args.string({ required: true, options: [...SHELLS], description: 'The shell.' }) }

  protected kind(): string {
    return 'CompletionScript'
  }

  async run(): Promise<void> {
    const { args } = await this.parse(Completion)
    process.stdout.write(completionScript(args.shell as Shell, this.config.bin))
  }
}
