import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../cli/base.js'
import { runLint } from '../cli/lint-run.js'
import { artifactUnder, objectAt } from '../cli/sarif-output.js'
import { renderLintJUnit, renderLintTable } from '../render/lint.js'
import { parseFluxVersion } from '../core/flux/detect.js'
import { CodedError } from '../core/tool-error.js'
import { renderSarif } from '../render/sarif.js'

export default class Lint extends BaseCommand {
  static override summary = 'Check the image automation manifests and markers in a repository for the known footguns.'
  static override description =
    'Reads every ImageRepository, ImagePolicy and ImageUpdateAutomation under PATH and every $imagepolicy marker (traced from each automation\'s update.path, as Flux scans), with no cluster, and reports coded findings with file, line and fix. Silence one finding on one object with a comment in its YAML document: # flux-imgauto:ignore FIA120 <reason>. Read-only.'

  static override examples = [
    '<%= config.bin %> lint .',
    '<%= config.bin %> lint clusters/production --fail-on warning',
    '<%= config.bin %> lint . --output junit > lint.xml',
    '<%= config.bin %> lint . -o sarif > flux-imgauto.sarif',
  ]

  static override args = { path: Args.string({ default: '.', description: 'The directory (or file) to lint; update.path is relative to it.' }) }
  static override flags = {
    namespace: Flags.string({ char: 'n', default: 'flux-system', description: 'The namespace of objects whose metadata names none (as kubectl apply -n would place them).' }),
    'flux-version': Flags.string({ description: "The Flux version the manifests are for (e.g. 2.8); by default what the tree's gotk-components.yaml installs, else the newest." }),
    output: Flags.option({ char: 'o', options: ['table', 'json', 'junit', 'sarif'] as const, default: 'table' as const, description: 'The report format (sarif: SARIF 2.1.0 for code scanning, paths relative to the current directory).' })(),
  }

  protected kind(): string {
    return 'LintReport'
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Lint)
    const version = flags['flux-version'] === undefined ? undefined : parseFluxVersion(flags['flux-version'])
    if (flags['flux-version'] !== undefined && version === undefined) throw new CodedError('ERR_USAGE', `--flux-version ${flags['flux-version']} is not a Flux 2 version such as 2.7 or v2.7.3`)
    const run = runLint(args.path, flags.namespace, version)
    if (flags.output === 'junit' && !flags.json) {
      process.stdout.write(renderLintJUnit(run, flags['fail-on']))
      this.setExit(run.findings, [], flags['fail-on'])
      return
    }
    if (flags.output === 'sarif' && !flags.json) {
      process.stdout.write(renderSarif(run.findings, { version: this.config.version, artifact: artifactUnder(run.root), objectOf: objectAt(run.root), suppressed: run.result.suppressed }))
      this.setExit(run.findings, [], flags['fail-on'])
      return
    }
    await this.emit('LintReport', { path: run.path, filesRead: run.filesRead, ...run.result }, run.findings, [], flags['fail-on'], () => renderLintTable(run), true)
  }
}
