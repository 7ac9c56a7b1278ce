import { join, resolve } from 'node:path'
import { Flags } from '@oclif/core'
import { automationFlags, checkoutArg } from '../cli/automation-inputs.js'
import { inside, realPathOf, writeAll } from '../adapters/write-files.js'
import { BaseCommand } from '../cli/base.js'
import { runMarkers } from '../cli/markers-run.js'
import { CodedError } from '../core/tool-error.js'
import { renderPreview } from '../render/markers.js'
import { recordedChanges } from '../core/markers/update.js'

export default class Preview extends BaseCommand {
  static override summary = 'Show the commit Flux would make: the diff of every file it would write.'
  static override description =
    'Runs the marker trace, applies the setters as Flux does, and prints a unified diff per changed file, saying for each whether it is byte-for-byte what Flux writes or naming the lines Flux also reformats. It never touches the files under PATH; --out DIR writes the changed files there, at their paths relative to update.path.'

  static override examples = [
    '<%= config.bin %> preview . --automation flux-system',
    '<%= config.bin %> preview . --automation-file automation.yaml --policies-file policies.yaml --out /tmp/preview',
    '<%= config.bin %> preview . -n apps --policies-file policies.yaml --json',
  ]

  static override args = checkoutArg
  static override flags = {
    ...automationFlags,
    out: Flags.string({ description: 'Write the files Flux would change into this directory (outside PATH), relative to update.path.' }),
    output: Flags.option({ char: 'o', options: ['diff', 'json'] as const, default: 'diff' as const, description: 'The report format (json: as --json).' })(),
  }

  protected kind(): string {
    return 'CommitPreview'
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Preview)
    const run = await runMarkers(args.path, flags)
    const out = flags.out
    if (out !== undefined) {
      // Real paths (the checkout was read above, so it resolves): an --out that is a symlink
      // into the checkout, or a PATH given through a symlink, must not let preview write
      // into the files it only reads.
      const root = realPathOf(args.path)
      const dir = realPathOf(out)
      if (inside(dir, root)) throw new CodedError('ERR_USAGE', `--out ${out} is inside ${args.path}${dir === resolve(out) ? '' : ` (its real path is ${dir})`}; preview never writes into the checkout`)
    }
    // Each file is checked again as it is written: a symlink under --out may lead elsewhere.
    if (out !== undefined) writeAll(run.updates.map((u) => ({ path: join(out, u.file), content: u.rewrite.text, within: out, outside: args.path, existing: 'any' })))
    const changes: Record<string, Record<string, { oldValue: string; newValue: string; setter: string }[]>> = {}
    for (const u of recordedChanges(run.updates)) {
      const perObject: Record<string, { oldValue: string; newValue: string; setter: string }[]> = {}
      for (const o of u.objects) perObject[`${o.object.apiVersion}/${o.object.kind}/${o.object.namespace}/${o.object.name}`] = o.changes
      changes[u.file] = perObject
    }
    const result = {
      automation: run.automation,
      commitMessage: run.commitMessage?.ok ? run.commitMessage.message : null,
      ...(run.commitMessage && !run.commitMessage.ok ? { commitMessageError: { reason: run.commitMessage.reason, message: run.commitMessage.message } } : {}),
      ...(run.commitMessage?.ok && run.commitMessage.orderNote ? { commitMessageOrder: run.commitMessage.orderNote } : {}),
      changes,
      files: run.updates.map((u) => ({ file: u.file, exact: u.rewrite.exact, content: u.rewrite.text, objects: u.objects, normalised: u.rewrite.normalised, unreproduced: u.rewrite.unreproduced })),
      markers: run.entries,
      ...(run.runError ? { runError: run.runError } : {}),
    }
    await this.emit('CommitPreview', result, run.findings, run.errors, flags['fail-on'], () => renderPreview(run))
  }
}
