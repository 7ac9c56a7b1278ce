// `flux-imgauto __complete …` and `__completeNoDesc …`, dispatched by bin/run.js before oclif
// sees the words (oclif would answer any --help among them with the help text).

import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { type CompletableCommand, complete, formatCobra } from './complete.js'

/** The contexts of the kubeconfig a command line would load: --kubeconfig, $KUBECONFIG, ~/.kube/config. */
export function kubeconfigContexts(words: readonly string[]): string[] {
  const i = words.findIndex((w) => w === '--kubeconfig' || w.startsWith('--kubeconfig='))
  const given = i < 0 ? undefined : words[i]?.includes('=') ? words[i]?.slice('--kubeconfig='.length) : words[i + 1]
  const files = given ? [given] : process.env.KUBECONFIG ? process.env.KUBECONFIG.split(':').filter(Boolean) : [join(homedir(), '.kube', 'config')]
  const names = new Set<string>()
  for (const f of files) {
    try {
      if (!existsSync(f)) continue
      const cfg = parse(readFileSync(f, 'utf8')) as { contexts?: { name?: unknown }[] } | null
      for (const c of cfg?.contexts ?? []) if (typeof c.name === 'string') names.add(c.name)
    } catch {
      // A kubeconfig that does not parse offers no names; completion never fails loudly.
    }
  }
  return [...names]
}

export async function runComplete(argv: readonly string[], root: string): Promise<void> {
  const { Config } = await import('@oclif/core')
  const config = await Config.load(root.startsWith('file:') ? fileURLToPath(root) : root)
  const words = argv.slice(1)
  const toComplete = words.pop() ?? ''
  const result = complete(config.commands as unknown as CompletableCommand[], words, toComplete, {
    topics: Object.fromEntries(config.topics.map((t) => [t.name, t.description])),
    contexts: kubeconfigContexts,
  })
  const out = formatCobra(result, argv[0] === '__complete')
  process.stdout.write(out.stdout)
  process.stderr.write(out.stderr)
}
