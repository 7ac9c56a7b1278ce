import { describe, expect, it } from 'vitest'
import { CodedError } from '../../src/core/tool-error.js'
import { documentError, parseYaml, plainDocuments, toPlain, YAML_LIMITS, yamlDocuments } from '../../src/core/yaml/read.js'
import { parseYamlFile } from '../../src/core/markers/yaml-file.js'

// Reads every document and its plain value, as the manifest reader does; returns the error.
function readAll(text: string): CodedError | undefined {
  try {
    for (const doc of yamlDocuments(text, { source: 'in.yaml' })) {
      const err = documentError(doc, 'in.yaml')
      if (err) return err
      toPlain(doc, 'in.yaml')
    }
    return undefined
  } catch (e) {
    if (e instanceof CodedError) return e
    throw e
  }
}

const nested = (depth: number): string => `a: ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}\n`
let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n'
for (let i = 1; i < 9; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`

describe('YAML limits: one ERR_YAML line with the reason, never a crash or a stall', () => {
  it.each([
    ['an alias bomb', bomb, /^in\.yaml: aliases expand to more than 100,000 nodes, the limit/],
    ['an alias with no anchor', 'metadata:\n  name: *nope\n', /^in\.yaml: an alias names no anchor defined before it: \*nope$/],
    ['nesting past the limit', `x: 1\n${nested(YAML_LIMITS.depth + 1)}`, /^in\.yaml:2: mappings and sequences nested more than 200 deep, the limit$/],
    ['a block nesting past the limit', `x:\n${Array.from({ length: YAML_LIMITS.depth }, (_, i) => `${' '.repeat(2 * i + 2)}k:\n`).join('')}`, /^in\.yaml:\d+: mappings and sequences nested more than 200 deep/],
    ['too many aliases in one document', `a: &a 1\nb: [${'*a, '.repeat(YAML_LIMITS.aliases)}*a]\n`, /^in\.yaml:2: more than 10,000 aliases in one document, the limit$/],
    ['a scalar over the limit', `a: 1\nb: "${'x'.repeat(YAML_LIMITS.scalar)}"\n`, /^in\.yaml:2: a scalar of 16 MiB, over the limit of 16 MiB$/],
  ])('%s', (_name, text, message) => {
    const err = readAll(text)
    expect(err).toBeInstanceOf(CodedError)
    expect(err?.id).toBe('ERR_YAML')
    expect(err?.exitCode).toBe(2)
    expect(err?.message).toMatch(message)
  })

  it('refuses an input over the size limit before parsing it', () => {
    const err = readAll('#'.repeat(YAML_LIMITS.size + 1))
    expect(err?.message).toBe('in.yaml: 256 MiB of YAML, over the limit of 256 MiB')
  })

  it('refuses more documents than the limit, at the first one past it', () => {
    const err = readAll('---\n'.repeat(YAML_LIMITS.documents + 1))
    expect(err?.message).toBe(`in.yaml:${YAML_LIMITS.documents + 1}: more than 200,000 documents, the limit for one input`)
  })

  it('reads what is just within the limits', () => {
    expect(readAll(nested(YAML_LIMITS.depth))).toBeUndefined()
  })
})

describe('repeated keys, found in one pass', () => {
  it('are an error where the reader asks (manifests), with the line of the second key', () => {
    const err = readAll('a: 1\nb: 2\na: 3\n')
    expect(err?.message).toBe('in.yaml:3: Map keys must be unique')
  })

  it('are allowed where the reader says so (the marker scan, as kyaml)', () => {
    const [doc] = parseYaml('a: 1\na: 3\n', { source: 'in.yaml', uniqueKeys: false })
    expect(doc?.errors).toEqual([])
  })

  it('keeps every key of a 20,000-key mapping, and finds the one repeated at the end', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `  key-${i}: v${i}\n`).join('')
    const [doc] = parseYaml(`data:\n${keys}`, { source: 'in.yaml' })
    expect(doc?.errors).toEqual([])
    const data = (toPlain(doc as never, 'in.yaml') as { data: Record<string, string> }).data
    expect(Object.keys(data)).toHaveLength(20_000)
    expect(data['key-19999']).toBe('v19999')
    expect(readAll(`data:\n${keys}  key-0: again\n`)?.message).toBe('in.yaml:20002: Map keys must be unique')
  })
})

// Marked files are read by the yaml.v3 port (as Flux reads them), with the same limits.
function readMarked(text: string): CodedError | undefined {
  try {
    parseYamlFile(text, 'apps/in.yaml')
    return undefined
  } catch (e) {
    if (e instanceof CodedError) return e
    throw e
  }
}

describe('the same limits where marked files are read (the yaml.v3 port)', () => {
  const marked = 'image: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "flux-system:app"}\n'
  it.each([
    ['flow nesting past the limit', `${marked}${nested(YAML_LIMITS.depth + 1)}`, /^apps\/in\.yaml:2: mappings and sequences nested more than 200 deep, the limit$/],
    ['block nesting far past the limit (it overflowed the stack)', `${marked}x:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(2 * i + 2)}k:\n`).join('')}`, /^apps\/in\.yaml:202: mappings and sequences nested more than 200 deep, the limit$/],
    ['too many aliases in one document', `${marked}a: &a 1\nb: [${'*a, '.repeat(YAML_LIMITS.aliases)}*a]\n`, /^apps\/in\.yaml:3: more than 10,000 aliases in one document, the limit$/],
    ['more documents than the limit', 'a: 1\n---\n'.repeat(YAML_LIMITS.documents), /^apps\/in\.yaml:400000: more than 200,000 documents, the limit for one input$/],
    ['an input over the size limit', '#'.repeat(YAML_LIMITS.size + 1), /^apps\/in\.yaml: 256 MiB of YAML, over the limit of 256 MiB$/],
  ])('%s', (_name, text, message) => {
    const err = readMarked(text)
    expect(err?.id).toBe('ERR_YAML')
    expect(err?.message).toMatch(message)
  })

  it('reads what is just within them, as Flux does', () => {
    const r = parseYamlFile(`${'---\n'.repeat(YAML_LIMITS.documents - 1)}${nested(YAML_LIMITS.depth)}`, 'apps/in.yaml')
    expect(r.ok && r.file.docs.length).toBe(1)
  })
})

describe('manifests read item by item, or as JSON, give what reading them whole gives', () => {
  const whole = (text: string): unknown[] =>
    [...yamlDocuments(text, { source: 'in.yaml' })].map((d) => {
      const err = documentError(d, 'in.yaml')
      if (err) throw err
      return toPlain(d, 'in.yaml')
    })
  const item = (i: number): string => `- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: cm-${i}\n  data:\n    script: |+\n      echo ${i}\n\n# between items\n`

  it.each([
    ['a kubectl List', `apiVersion: v1\nitems:\n${[0, 1, 2].map(item).join('')}kind: List\nmetadata:\n  resourceVersion: ""\n`],
    ['a List whose items key comes last', `apiVersion: v1\nkind: List\nitems:\n${[0, 1].map(item).join('')}`],
    ['an anchor in one item used in another', 'kind: List\nitems:\n- &a {kind: X, metadata: {name: a}}\n- *a\n'],
    ['a quoted scalar running over an item line', 'kind: List\nitems:\n- a: "one\n- two"\n- b: 1\n'],
    ['an items key inside a quoted scalar', "kind: List\nnote: 'x\nitems:\n- a\n- b\n'\n"],
    ['several documents', 'kind: List\nitems:\n- a: 1\n- a: 2\n---\nkind: X\n'],
  ])('%s', (_name, text) => {
    let expected: unknown
    try {
      expected = whole(text)
    } catch (e) {
      expected = (e as Error).message
    }
    let got: unknown
    try {
      got = [...plainDocuments(text, 'in.yaml')]
    } catch (e) {
      got = (e as Error).message
    }
    expect(got).toEqual(expected)
  })

  it('reads every item of a 20,000-item List', () => {
    const text = `apiVersion: v1\nitems:\n${Array.from({ length: 20_000 }, (_, i) => item(i)).join('')}kind: List\n`
    const [list] = [...plainDocuments(text, 'in.yaml')] as { items: { metadata: { name: string }; data: { script: string } }[] }[]
    expect(list?.items).toHaveLength(20_000)
    expect(list?.items[19_999]).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-19999' }, data: { script: 'echo 19999\n\n' } })
  })

  it('reads JSON as JSON, and a JSON-looking text that is not JSON as YAML', () => {
    expect([...plainDocuments('{"kind": "List", "items": [{"a": 1}]}', 'in.json')]).toEqual([{ kind: 'List', items: [{ a: 1 }] }])
    expect([...plainDocuments('{kind: List, items: [{a: 1}]}', 'in.yaml')]).toEqual([{ kind: 'List', items: [{ a: 1 }] }])
  })
})
