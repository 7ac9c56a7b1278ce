import { Flags } from '@oclif/core'
import { BaseCommand } from '../cli/base.js'
import { ERROR_CODES, FINDING_CODES } from '../core/findings/catalogue.js'
import { renderCodes } from '../render/codes.js'

export default class Codes extends BaseCommand {
  static override summary = 'List every finding code and error code flux-imgauto can report.'
  static override examples = ['<%= config.bin %> codes', '<%= config.bin %> codes --json', '<%= config.bin %> codes -o markdown']

  static override flags = {
    output: Flags.option({ char: 'o', options: ['table', 'json', 'markdown'] as const, default: 'table' as const, description: 'The format (markdown: the tables in the README; json: as --json).' })(),
  }

  protected kind(): string {
    return 'CodeCatalogue'
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Codes)
    const result = { findings: Object.values(FINDING_CODES), errors: Object.values(ERROR_CODES) }
    if (flags.output === 'markdown' && !flags.json) {
      process.stdout.write(renderCodes('markdown'))
      return
    }
    await this.emit('CodeCatalogue', result, [], [], flags['fail-on'], () => renderCodes('text'))
  }
}
