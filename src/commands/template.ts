import { Flags } from '@oclif/core'
import { parse as parseYaml } from 'yaml'
import { automationFromObject } from '../cli/automation-inputs.js'
import { BaseCommand } from '../cli/base.js'
import { readManifests, readText } from '../adapters/manifests.js'
import { commitMessageFindings } from '../core/markers/findings.js'
import { type CommitSpec, renderCommitMessage } from '../core/markers/commit-message.js'
import { changesFromRecord, SAMPLE_CHANGES } from '../core/markers/changes.js'
import { CodedError } from '../core/tool-error.js'
import { renderTemplateResult } from '../render/markers.js'

export default class Template extends BaseCommand {
  static override summary = 'Render a commit message template as image-automation-controller would, against sample or real changes.'
  static override description =
    "The template comes from --automation-file (spec.git.commit.messageTemplate and messageTemplateValues) or --template. The changes come from --changes, in the shape preview --json prints under result.changes ({file: {apiVersion/kind/namespace/name: [{oldValue, newValue, setter}]}}), or else a sample of two files and three objects. Errors are Flux's own, word for word."

  static override examples = [
    '<%= config.bin %> template --automation-file clusters/prod/automation.yaml',
    "<%= config.bin %> template --template '{{ range .Changed.Changes }}{{ .NewValue }} {{ end }}'",
    '<%= config.bin %> preview . --automation-file a.yaml --policies-file p.yaml --json | jq .result.changes > changes.json && <%= config.bin %> template --automation-file a.yaml --changes changes.json',
  ]

  static override flags = {
    'automation-file': Flags.string({ description: 'Take the template and its values from this ImageUpdateAutomation manifest.' }),
    template: Flags.string({ description: 'The template text itself (instead of --automation-file).' }),
    changes: Flags.string({ description: 'The changes to render, as preview --json prints result.changes (JSON or YAML; - for standard input).' }),
    namespace: Flags.string({ char: 'n', default: 'flux-system', description: 'The automation namespace, when the manifest names none.' }),
  }

  protected kind(): string {
    return 'TemplateRender'
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Template)
    if ((flags['automation-file'] === undefined) === (flags.template === undefined)) throw new CodedError('ERR_USAGE', 'give --automation-file or --template (one of them)')
    let automation = { namespace: flags.namespace, name: 'sample' }
    let commit: CommitSpec | undefined = { messageTemplate: flags.template ?? '' }
    if (flags['automation-file'] !== undefined) {
      const objs = (await readManifests(flags['automation-file'])).filter((o) => o.kind === 'ImageUpdateAutomation')
      if (objs.length !== 1) throw new CodedError('ERR_MANIFEST', `${flags['automation-file']} holds ${objs.length} ImageUpdateAutomations; it must hold exactly one`)
      const a = automationFromObject(objs[0] as NonNullable<(typeof objs)[0]>, flags.namespace)
      automation = { namespace: a.namespace, name: a.name ?? '' }
      commit = a.commit
    }
    const updates = flags.changes === undefined ? SAMPLE_CHANGES : changesFromRecord(readChanges(await readText(flags.changes), flags.changes))
    const message = renderCommitMessage(automation, commit, updates)
    const findings = commitMessageFindings(message, flags['automation-file'] ?? '--template')
    const result = { automation, sample: flags.changes === undefined, message: message.ok ? message.message : null, ...(message.ok ? (message.orderNote ? { order: message.orderNote } : {}) : { error: { reason: message.reason, message: message.message } }) }
    await this.emit('TemplateRender', result, findings, [], flags['fail-on'], () => renderTemplateResult(message), true)
  }
}

function readChanges(text: string, path: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: 100 }) as unknown
  } catch (e) {
    throw new CodedError('ERR_YAML', `${path}: ${(e as Error).message.split('\n')[0]}`)
  }
}
