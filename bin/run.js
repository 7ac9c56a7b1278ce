#!/usr/bin/env node
// `--version` is answered without loading oclif, so it costs about a bare `node` start.
// Everything else runs the bundle (scripts/bundle.js): one file to load instead of hundreds.
import { readFileSync } from 'node:fs'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else if (argv[0] === '__complete' || argv[0] === '__completeNoDesc') {
  // Cobra's completion protocol (flux imgauto <TAB>, kubectl plugins, our completion scripts).
  const { runComplete } = await import('../dist/cli/complete-run.js')
  await runComplete(argv, import.meta.url)
} else {
  const { run } = await import('../dist/bundle/flux-imgauto.js')
  await run(import.meta.url)
}
