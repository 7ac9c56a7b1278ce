// Commit ancestry from a local checkout: `git merge-base --is-ancestor A B` answers whether A
// is in B's history (exit 0 yes, 1 no); anything else (a commit the checkout does not hold, no
// git, not a repository) leaves the question open. Reads only.

/** "A..B" → whether A is in B's history, for the pairs the checkout can answer. */
export async function ancestry(repo: string, pairs: readonly [string, string][]): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>()
  if (pairs.length === 0) return out
  const { execa } = await import('execa')
  for (const [a, b] of pairs) {
    const key = `${a}..${b}`
    if (out.has(key)) continue
    const r = await execa('git', ['-C', repo, 'merge-base', '--is-ancestor', a, b], { reject: false, stdin: 'ignore', timeout: 10_000 })
    if (r.exitCode === 0) out.set(key, true)
    else if (r.exitCode === 1) out.set(key, false)
  }
  return out
}
