// What scaffold tells a person: where the files went (or the YAML itself), the markers to
// add, and what --insert changed.

import type { ScaffoldRun } from '../cli/scaffold-run.js'

export function renderScaffold(run: ScaffoldRun, toStdout: boolean): string {
  if (toStdout) return run.generated.yaml
  let out = ''
  const edited = new Set(run.inserted.map((i) => i.file))
  const created = run.written.filter((w) => !edited.has(w))
  if (created.length > 0) out += `Wrote:\n${created.map((w) => `  ${w}\n`).join('')}`
  for (const i of run.inserted) out += `Inserted ${i.setter} at ${i.file}:${i.line} (${i.field})\n`
  for (const i of run.present) out += `Already marked ${i.setter} at ${i.file}:${i.line} (${i.field})\n`
  return out
}

/** The marker snippets, for the terminal (stderr) when the YAML goes to stdout. */
export function renderSnippets(run: ScaffoldRun): string {
  let out = '# Markers: add these to the files under each environment\'s update.path (or use --insert ENV=FILE).\n'
  for (const s of run.generated.snippets) out += `\n# ${s.environment}, ${s.location} (update.path ${run.scaffold.environments.find((e) => e.name === s.environment)?.path}):\n${s.yaml}`
  return out
}
