import { Flags } from '@oclif/core'
import { automationFlags, checkoutArg } from '../cli/automation-inputs.js'
import { renderToolError } from '../render/findings.js'
import { BaseCommand } from '../cli/base.js'
import { runMarkers } from '../cli/markers-run.js'
import { artifactUnder, objectAt } from '../cli/sarif-output.js'
import { renderTrace } from '../render/markers.js'
import { renderSarif } from '../render/sarif.js'

export default class Trace extends BaseCommand {
  static override summary = 'List every $imagepolicy marker and near miss, and what Flux will do with each.'
  static override description =
    'Scans a checkout as image-automation-controller v1.2.1 does (update.path, file names, the "$imagepolicy" screen, yaml.v3 comment rules, setters from the ImagePolicies in the automation\'s namespace) and reports, for every marker, the file, line, field, setter, current and next value, and whether Flux will update it, find it current, or ignore it, and why. Read-only.'

  static override examples = [
    '<%= config.bin %> trace . --automation flux-system -n flux-system',
    '<%= config.bin %> trace ./fleet --automation-file clusters/prod/automation.yaml --policies-file policies.yaml',
    '<%= config.bin %> trace . -n apps --path ./apps --policies-file policies.yaml --json',
    '<%= config.bin %> trace . --automation flux-system -o sarif > markers.sarif',
  ]

  static override args = checkoutArg
  static override flags = {
    ...automationFlags,
    output: Flags.option({ char: 'o', options: ['table', 'json', 'sarif'] as const, default: 'table' as const, description: 'The report format (sarif: SARIF 2.1.0 for code scanning, paths relative to the current directory).' })(),
  }

  protected kind(): string {
    return 'MarkerTrace'
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Trace)
    const run = await runMarkers(args.path, flags)
    if (flags.output === 'sarif' && !flags.json) {
      process.stdout.write(renderSarif(run.findings, { version: this.config.version, artifact: artifactUnder(run.base), objectOf: objectAt(run.base) }))
      for (const e of run.errors) process.stderr.write(renderToolError(e))
      this.setExit(run.findings, run.errors, flags['fail-on'])
      return
    }
    const result = { automation: run.automation, filesRead: run.filesRead, markers: run.entries }
    await this.emit('MarkerTrace', result, run.findings, run.errors, flags['fail-on'], () => renderTrace(run))
  }
}
