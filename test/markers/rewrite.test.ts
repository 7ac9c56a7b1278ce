import { describe, expect, it } from 'vitest'
import type { PolicyLike } from '../../src/core/markers/setters.js'
import { traceMarkers } from '../../src/core/markers/trace.js'
import { planUpdate, recordedChanges } from '../../src/core/markers/update.js'

function write(yaml: string, tag = '1.2.0', digest?: string) {
  const policies: PolicyLike[] = [{ metadata: { name: 'app', namespace: 'ns' }, status: { latestRef: { name: 'ghcr.io/org/app', tag, ...(digest ? { digest } : {}) } } }]
  const t = traceMarkers({ namespace: 'ns' }, policies, { files: [{ path: 'f.yaml', text: yaml }], skipped: [] })
  const [u] = planUpdate(t, new Map([['f.yaml', yaml]]))
  if (!u) throw new Error('nothing written')
  return u.rewrite
}

const FULL = '# {"$imagepolicy": "ns:app"}'
const TAG = '# {"$imagepolicy": "ns:app:tag"}'
const DIGEST = '# {"$imagepolicy": "ns:app:digest"}'

describe('how a value is written (kyaml FormatNonStringStyle, yaml.v3 tags)', () => {
  it.each([
    ['a plain value stays plain', `image: x:1 ${FULL}\n`, '1.2.0', `image: ghcr.io/org/app:1.2.0 ${FULL}\n`],
    ['a value YAML 1.1 reads as a float is double-quoted', `tag: v1 ${TAG}\n`, '1.10', `tag: "1.10" ${TAG}\n`],
    ['… an int', `tag: v1 ${TAG}\n`, '20260101', `tag: "20260101" ${TAG}\n`],
    ['… a YAML 1.1 bool', `tag: v1 ${TAG}\n`, 'on', `tag: "on" ${TAG}\n`],
    ['… an octal', `tag: v1 ${TAG}\n`, '012', `tag: "012" ${TAG}\n`],
    ['single quotes are kept', `tag: 'v1' ${TAG}\n`, '1.10', `tag: '1.10' ${TAG}\n`],
    ['double quotes are kept', `tag: "v1" ${TAG}\n`, 'v2', `tag: "v2" ${TAG}\n`],
    ['an old float keeps its tag', `tag: 1.9 ${TAG}\n`, '1.2.3', `tag: !!float 1.2.3 ${TAG}\n`],
    ['an old int keeps its tag', `tag: 100 ${TAG}\n`, 'v2', `tag: !!int v2 ${TAG}\n`],
    ['an old bool keeps its tag', `tag: true ${TAG}\n`, 'v2', `tag: !!bool v2 ${TAG}\n`],
  ])('%s', (_name, yaml, tag, want) => {
    const r = write(yaml, tag)
    expect(r.text).toBe(want)
    expect(r.exact).toBe(true)
  })

  it('an empty digest is written as ""', () => {
    expect(write(`digest: sha256:abc ${DIGEST}\n`).text).toBe(`digest: "" ${DIGEST}\n`)
  })
})

describe("yaml.v3's normalisations", () => {
  it('reproduces the mechanical ones exactly and names their lines', () => {
    const yaml = `---\napiVersion: v1\n\nkind: ConfigMap\ndata:   \n  image:    x:1     ${FULL}\n\n  other: y\n`
    const r = write(yaml)
    expect(r.text).toBe(`apiVersion: v1\nkind: ConfigMap\ndata:\n  image: ghcr.io/org/app:1.2.0 ${FULL}\n  other: y\n`)
    expect(r.exact).toBe(true)
    expect(r.normalised.map((n) => n.line)).toEqual([1, 3, 5, 6, 7])
  })

  it('turns CRLF into LF, drops a BOM and adds the final newline', () => {
    const r = write(`\uFEFFa: 1\r\nimage: x:1 ${FULL}`)
    expect(r.text).toBe(`a: 1\nimage: ghcr.io/org/app:1.2.0 ${FULL}\n`)
    expect(r.exact).toBe(true)
  })

  it('keeps block scalars, comments and the document separators between documents', () => {
    const yaml = `# head\na: 1\n---\nkind: X\ndata:\n  script: |\n    echo hi\n\n    echo bye\n  image: x:1 ${FULL}\n`
    const r = write(yaml)
    expect(r.text).toBe(`# head\na: 1\n---\nkind: X\ndata:\n  script: |\n    echo hi\n\n    echo bye\n  image: ghcr.io/org/app:1.2.0 ${FULL}\n`)
    expect(r.exact).toBe(true)
  })

  it.each([
    ['4-space indentation', `spec:\n    image: x:1 ${FULL}\n`, `spec:\n  image: ghcr.io/org/app:1.2.0 ${FULL}\n`, [2]],
    ['sequence styles mixed in one document (the first one wins)', `a:\n- x\nb:\n  - y\nimage: x:1 ${FULL}\n`, `a:\n- x\nb:\n- y\nimage: ghcr.io/org/app:1.2.0 ${FULL}\n`, [4]],
    ['a folded block scalar (an empty line follows it)', `note: >\n  folded\nimage: x:1 ${FULL}\n`, `note: >\n  folded\n\nimage: ghcr.io/org/app:1.2.0 ${FULL}\n`, [2]],
    ['a plain scalar over two lines', `note: one\n  two\nimage: x:1 ${FULL}\n`, `note: one two\nimage: ghcr.io/org/app:1.2.0 ${FULL}\n`, [1, 2]],
    ['escapes in a double-quoted string', `note: "caf\\u00e9"\nimage: x:1 ${FULL}\n`, `note: "café"\nimage: ghcr.io/org/app:1.2.0 ${FULL}\n`, [1]],
    ['a merge key', `base: &b {a: 1}\nc:\n  <<: *b\nimage: x:1 ${FULL}\n`, `base: &b {a: 1}\nc:\n  !!merge <<: *b\nimage: ghcr.io/org/app:1.2.0 ${FULL}\n`, [3]],
    ['an empty metadata', `metadata: {}\nimage: x:1 ${FULL}\n`, `image: ghcr.io/org/app:1.2.0 ${FULL}\n`, [1]],
    ['a flow collection over two lines', `args: [a,\n  b]\nimage: x:1 ${FULL}\n`, `args: [a, b]\nimage: ghcr.io/org/app:1.2.0 ${FULL}\n`, [1, 2]],
  ])('re-encodes %s as yaml.v3 does and names the lines', (_name, yaml, want, lines) => {
    const r = write(yaml)
    expect(r.text).toBe(want)
    expect(r.exact).toBe(true)
    expect(r.normalised.map((n) => n.line)).toEqual(lines)
  })
})

describe('kind: List files (setAll keeps every resource of a changed path; List items have none)', () => {
  const policies: PolicyLike[] = [{ metadata: { name: 'app', namespace: 'ns' }, status: { latestRef: { name: 'ghcr.io/org/app', tag: '2.0.0' } } }]
  const list = (name: string, tag: string): string => `apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: ${name}\n    namespace: apps\n  spec:\n    image: ghcr.io/org/app:${tag} ${FULL}\n`
  const plan = (files: { path: string; text: string }[]) => planUpdate(traceMarkers({ namespace: 'ns' }, policies, { files, skipped: [] }), new Map(files.map((f) => [f.path, f.text])))

  it("writes the items of every List file once one item changes, and files the changes under ''", () => {
    const updates = plan([
      { path: 'a.yaml', text: list('a', '1.0.0') },
      { path: 'b.yaml', text: list('b', '2.0.0') },
    ])
    expect(updates.map((u) => [u.file, u.recordedAs, u.objects.map((o) => o.object.name)])).toEqual([
      ['apps/deployment_a.yaml', '', ['a']],
      ['apps/deployment_b.yaml', '', []],
    ])
    expect(updates[1]?.rewrite.text).toContain(`image: ghcr.io/org/app:2.0.0 ${FULL}`)
    expect(recordedChanges(updates)).toEqual([{ file: '', objects: [{ object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'apps', name: 'a' }, changes: [{ oldValue: 'ghcr.io/org/app:1.0.0', newValue: 'ghcr.io/org/app:2.0.0', setter: 'ns:app' }] }] }])
  })

  it('writes no List item when none changes', () => {
    expect(plan([{ path: 'b.yaml', text: list('b', '2.0.0') }, { path: 'c.yaml', text: `image: ghcr.io/org/app:1.0.0 ${FULL}\n` }]).map((u) => u.file)).toEqual(['c.yaml'])
  })
})
