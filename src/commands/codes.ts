import { BaseCommand } from '../cli/base.js'
import { ERROR_CODES, FINDING_CODES } from '../core/findings/catalogue.js'
import { renderCodes } from '../render/codes.js'

export default class Codes extends BaseCommand {
  static override summary = 'List every finding code and error code flux-imgauto can report.'
  static override examples = ['<%= config.bin %> codes', '<%= config.bin %> codes --json']

  protected kind(): string {
    return 'CodeCatalogue'
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Codes)
    const result = { findings: Object.values(FINDING_CODES), errors: Object.values(ERROR_CODES) }
    this.emit('CodeCatalogue', result, [], [], flags['fail-on'], () => renderCodes('text'))
  }
}
