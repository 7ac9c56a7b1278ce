// Where an automation's commits land, against what the tree's GitRepositories reconcile: a
// push branch that no GitRepository of the same repository URL reconciles is never deployed.
// That is a typo (FIA338) when it is the branch the automation checks out, or when what it
// checks out is not reconciled either; a separate push branch meant for pull requests is
// legitimate, and only noted (FIA349).

import { finding } from '../findings/catalogue.js'
import type { Finding } from '../findings/types.js'
import type { GitRepositoryRef, LintObject } from './types.js'

/** Repository URLs compared without a trailing slash or .git, and with the host in lower case. */
export function sameRepository(a: string, b: string): boolean {
  const norm = (u: string): string =>
    u
      .trim()
      .replace(/\/+$/, '')
      .replace(/\.git$/, '')
      .replace(/^([a-z+]+:\/\/(?:[^@/]*@)?)([^/:]+)/i, (_, p: string, h: string) => p + h.toLowerCase())
  return norm(a) === norm(b)
}

export function branchFindings(objects: readonly LintObject[], sources: readonly GitRepositoryRef[]): Finding[] {
  const out: Finding[] = []
  for (const a of objects.filter((o) => o.kind === 'ImageUpdateAutomation')) {
    const spec = a.spec as { sourceRef?: { name?: string; namespace?: string }; git?: { checkout?: { ref?: { branch?: unknown } }; push?: { branch?: unknown } } }
    const source = sources.find((g) => g.name === spec.sourceRef?.name && g.namespace === (spec.sourceRef?.namespace ?? a.namespace))
    if (!source?.url) continue
    const reconciled = sources.filter((g) => g.url !== undefined && g.branch !== undefined && sameRepository(g.url, source.url as string))
    if (reconciled.length === 0) continue
    const checkout = typeof spec.git?.checkout?.ref?.branch === 'string' ? spec.git.checkout.ref.branch : source.branch
    const push = typeof spec.git?.push?.branch === 'string' && spec.git.push.branch !== '' ? spec.git.push.branch : checkout
    if (push === undefined || reconciled.some((g) => g.branch === push)) continue
    const branches = [...new Set(reconciled.map((g) => g.branch as string))].sort()
    const by = reconciled.map((g) => `${g.namespace}/${g.name} (${g.branch})`).join(', ')
    const separate = push !== checkout && (checkout === undefined || branches.includes(checkout))
    const f = separate
      ? finding('FIA349', `spec.git.push.branch ${push} is reconciled by no GitRepository of ${source.url} (${by}): nothing deploys it until it is merged into ${branches.join(' or ')}, as a pull-request flow intends.`, { subject: { kind: 'ImageUpdateAutomation', namespace: a.namespace, name: a.name } })
      : finding('FIA338', `${push === checkout ? `checks out and pushes branch ${push}` : `checks out branch ${checkout} and pushes branch ${push}`}, which no GitRepository of ${source.url} reconciles (${by}): its commits are never deployed.`, { subject: { kind: 'ImageUpdateAutomation', namespace: a.namespace, name: a.name } })
    f.location = { file: a.file, line: a.line }
    out.push(f)
  }
  return out
}
