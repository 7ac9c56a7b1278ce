import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { Flags } from '@oclif/core'
import { automationFlags, checkoutArg } from '../cli/automation-inputs.js'
import { BaseCommand } from '../cli/base.js'
import { runMarkers } from '../cli/markers-run.js'
import { CodedError } from '../core/tool-error.js'
import { DEFAULT_COMMIT_MESSAGE } from '../core/markers/update.js'
import { renderPreview } from '../render/markers.js'

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
    const root = resolve(args.path)
    if (flags.out !== undefined) {
      const rel = relative(root, resolve(flags.out))
      if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) throw new CodedError('ERR_USAGE', `--out ${flags.out} is inside ${args.path}; preview never writes into the checkout`)
    }
    const run = await runMarkers(args.path, flags)
    if (flags.out !== undefined) for (const u of run.updates) writeAtomically(join(flags.out, u.file), u.rewrite.text)
    const changes: Record<string, Record<string, { oldValue: string; newValue: string; setter: string }[]>> = {}
    for (const u of run.updates) {
      const perObject: Record<string, { oldValue: string; newValue: string; setter: string }[]> = {}
      for (const o of u.objects) perObject[`${o.object.apiVersion}/${o.object.kind}/${o.object.namespace}/${o.object.name}`] = o.changes
      changes[u.file] = perObject
    }
    const result = {
      automation: run.automation,
      commitMessage: run.updates.length > 0 ? DEFAULT_COMMIT_MESSAGE : null,
      changes,
      files: run.updates.map((u) => ({ file: u.file, exact: u.rewrite.exact, content: u.rewrite.text, objects: u.objects, normalised: u.rewrite.normalised, unreproduced: u.rewrite.unreproduced })),
      markers: run.entries,
      ...(run.runError ? { runError: run.runError } : {}),
    }
    this.emit('CommitPreview', result, run.findings, [], flags['fail-on'], () => renderPreview(run))
  }
}

// A file is written whole or not at all: a temporary sibling, then a rename.
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, text)
  renameSync(tmp, path)
}
