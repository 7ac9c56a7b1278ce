// lint at a size where a search per object used to make it quadratic: the findings must be
// exactly those of the small case, times the count (the timing is in npm run bench).

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLint } from '../../src/cli/lint-run.js'
import { lint } from '../../src/core/lint/index.js'
import { tempDir } from '../support/tree.js'

const repository = (ns: string, name: string): string => `---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  image: ghcr.io/org/${name}\n  interval: 5m\n`
const policy = (ns: string, name: string, repo: string): string =>
  `---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  imageRepositoryRef:\n    name: ${repo}\n  policy:\n    semver:\n      range: ">=1.0.0 <2.0.0"\n`

describe('lint over 5,000 policies in one file', () => {
  const dir = tempDir()
  const parts: string[] = []
  for (let n = 0; n < 50; n++) for (let r = 0; r < 8; r++) parts.push(repository(`team-${n}`, `repo-${r}`))
  // Each policy names repo-0 … repo-9 in turn; repo-8 and repo-9 do not exist.
  for (let i = 0; i < 5000; i++) parts.push(policy(`team-${i % 50}`, `app-${i}`, `repo-${i % 10}`))
  writeFileSync(join(dir, 'image-automation.yaml'), parts.join(''))
  mkdirSync(join(dir, 'apps'))
  // 500 markers, each naming a policy of its own namespace and image; the last ten name none.
  const containers = Array.from({ length: 500 }, (_, i) => `      - name: c${i}\n        image: ghcr.io/org/repo-${i % 10}:1.0.0 # {"$imagepolicy": "team-${i % 50}:app-${i < 490 ? i : 9000 + i}"}\n`).join('')
  writeFileSync(join(dir, 'apps/deploy.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n${containers}`)
  let run: ReturnType<typeof runLint> | undefined
  const once = (): ReturnType<typeof runLint> => (run ??= runLint(dir, 'flux-system'))

  it('reports every policy whose repository is missing, naming the first few repositories there', () => {
    const missing = once().findings.filter((f) => f.code === 'FIA422')
    expect(missing).toHaveLength(1000)
    expect(missing[0]?.message).toBe('referenced ImageRepository does not exist: team-8/repo-8; this tree defines repo-0, repo-1, repo-2, repo-3, repo-4 and 3 more in team-8.')
    expect(once().result.objects).toHaveLength(5400)
  })

  it('judges all 500 markers, each file parsed once for every namespace traced', () => {
    const r = once()
    expect(r.result.markers).toBe(500)
    const unknown = r.findings.filter((f) => f.code === 'FIA304')
    expect(unknown.map((f) => f.location?.line)).toEqual(Array.from({ length: 10 }, (_, k) => 9 + 2 * (490 + k) + 1))
    expect(r.findings.filter((f) => f.location?.file === 'apps/deploy.yaml').map((f) => f.code)).toEqual(Array(10).fill('FIA304'))
  })
})

describe('150,000 findings from one file', () => {
  it('are all reported (they were spread into one call, which overflows the stack)', () => {
    const text = '# flux-imgauto:ignore FIA999 no such code\n'.repeat(150_000)
    const { findings } = lint({ objects: [], unparsable: [], scans: [], everything: { files: [], skipped: [] }, unread: [], defaultNamespace: 'flux-system', texts: new Map([['a.yaml', text]]) })
    expect(findings).toHaveLength(150_000)
    expect(findings[149_999]).toMatchObject({ code: 'FIA505', location: { file: 'a.yaml', line: 150_000 } })
  })
})

describe('20,000 documents, each silencing its own finding', () => {
  it('silences each finding with its own document\'s comment, and not the one after', () => {
    const n = 20_000
    const objects = Array.from({ length: n + 1 }, (_, i) => ({ file: 'a.yaml', line: 3 * i + 3, apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy' as const, name: `app-${i}`, namespace: 'flux-system', labels: {}, spec: { policy: { semver: { range: '>=1.0.0' } } } }))
    const text = Array.from({ length: n }, (_, i) => `---\n# flux-imgauto:ignore FIA120 app-${i} follows every major\nkind: ImagePolicy\n`).join('') + '---\n# another comment\nkind: ImagePolicy\n'
    const { findings, result } = lint({ objects, unparsable: [], scans: [], everything: { files: [], skipped: [] }, unread: [], defaultNamespace: 'flux-system', texts: new Map([['a.yaml', text]]) })
    expect(result.suppressed).toHaveLength(n)
    expect(result.suppressed[n - 1]?.reason).toBe(`app-${n - 1} follows every major`)
    expect(findings.map((f) => [f.code, f.subject?.name])).toEqual([['FIA120', `app-${n}`]])
  })
})
