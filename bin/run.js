#!/usr/bin/env node
// `--version` is answered without loading oclif, so it costs about a bare `node` start.
// Everything else runs the bundle (scripts/bundle.js): one file to load instead of hundreds.
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'

const argv = process.argv.slice(2)
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${pkg.name}/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else if (argv[0] === '__complete' || argv[0] === '__completeNoDesc') {
  // Cobra's completion protocol (flux imgauto <TAB>, kubectl plugins, our completion scripts).
  const { runComplete } = await import('../dist/cli/complete-run.js')
  await runComplete(argv, import.meta.url)
} else {
  // A container runs the image as a uid with no passwd entry (USER 65532): os.userInfo()
  // throws, and os.homedir() too when HOME is unset; oclif calls them as it loads (for SHELL
  // and HOME), and every command failed. Such a user has no login shell, and container
  // runtimes give it HOME=/.
  try {
    userInfo()
  } catch {
    process.env.HOME ||= '/'
    process.env.SHELL ??= ''
  }
  if (argv[0] === 'serve') {
    // serve runs for weeks under a memory limit (deploy/: 256Mi). V8's memory-saving mode keeps
    // the heap near what is live: on the bench's cluster of 2,000 policies and workloads, peak
    // RSS 213–219 → 142–157 MB, for evaluations of 160–220 ms instead of ~95, well inside the
    // second a change has to reach /metrics. Set before anything is loaded, as a flag on the command
    // line would be.
    const { setFlagsFromString } = await import('node:v8')
    setFlagsFromString('--optimize-for-size')
  }
  const { run } = await import('../dist/bundle/flux-imgauto.js')
  await run(import.meta.url)
}
