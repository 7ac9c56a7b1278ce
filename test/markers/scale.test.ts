// Large inputs stay correct (their time is in npm run bench): thousands of markers in one
// file are all traced and rewritten, and a diff of thousands of changed lines is whole.

import { describe, expect, it } from 'vitest'
import { lineChanges, unifiedDiff } from '../../src/core/diff.js'
import { markerFindings } from '../../src/core/markers/findings.js'
import { buildSetters } from '../../src/core/markers/setters.js'
import type { PolicyLike } from '../../src/core/markers/setters.js'
import { traceMarkers } from '../../src/core/markers/trace.js'
import { planUpdate } from '../../src/core/markers/update.js'

const policy: PolicyLike = { metadata: { name: 'app', namespace: 'flux-system' }, status: { latestRef: { name: 'ghcr.io/org/app', tag: '1.2.0' } } }

describe('at scale', () => {
  it('traces and rewrites every one of 10,000 markers in one file', () => {
    const n = 10_000
    let text = ''
    for (let i = 0; i < n; i++) text += `k${i}: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "flux-system:app"}\n`
    const trace = traceMarkers({ namespace: 'flux-system' }, [policy], { files: [{ path: 'big.yaml', text }], skipped: [] })
    expect(trace.entries.filter((e) => e.status === 'update')).toHaveLength(n)
    expect(trace.entries.map((e) => e.line)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    const [update] = planUpdate(trace, new Map([['big.yaml', text]]))
    const lines = update?.rewrite.text.split('\n') ?? []
    expect(lines.filter((l) => l.includes('ghcr.io/org/app:1.2.0 # {"$imagepolicy": "flux-system:app"}'))).toHaveLength(n)
    expect(lines[n - 1]).toBe(`k${n - 1}: ghcr.io/org/app:1.2.0 # {"$imagepolicy": "flux-system:app"}`)
  })

  it('diffs 20,000 changed lines whole, pairing them line by line', () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `line ${i}: old`).join('\n') + '\n'
    const b = Array.from({ length: 20_000 }, (_, i) => `line ${i}: ${i % 2 === 0 ? 'new' : 'old'}`).join('\n') + '\n'
    const diff = unifiedDiff(a, b, 'a', 'b')
    expect(diff.split('\n').filter((l) => l.startsWith('-line')).length).toBe(10_000)
    expect(diff.split('\n').filter((l) => l.startsWith('+line')).length).toBe(10_000)
    expect(lineChanges(a, b).removed.map((r) => r.replacement)).toEqual(Array.from({ length: 10_000 }, (_, i) => `line ${2 * i}: new`))
  })
})

describe('a mapping of 20,000 keys in a marked file', () => {
  it('is traced and rewritten whole, with the normalisations Flux makes', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `  key-${i}:  value-${i}\n`).join('')
    const text = `kind: ConfigMap\nimage: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "flux-system:app"}\ndata:\n${keys}`
    const trace = traceMarkers({ namespace: 'flux-system' }, [policy], { files: [{ path: 'map.yaml', text }], skipped: [] })
    expect(trace.entries.map((e) => e.status)).toEqual(['update'])
    const [update] = planUpdate(trace, new Map([['map.yaml', text]]))
    expect(update?.rewrite.text).toBe(`kind: ConfigMap\nimage: ghcr.io/org/app:1.2.0 # {"$imagepolicy": "flux-system:app"}\ndata:\n${keys.replaceAll(':  ', ': ')}`)
    expect(update?.rewrite.exact).toBe(true)
    expect(update?.rewrite.normalised).toHaveLength(20_000)
  })
})

describe('a CRLF file, where every line changes', () => {
  it('is rewritten and diffed whole', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `k${i}: v${i}`).join('\r\n') + '\r\nimage: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "flux-system:app"}\r\n'
    const trace = traceMarkers({ namespace: 'flux-system' }, [policy], { files: [{ path: 'crlf.yaml', text }], skipped: [] })
    const [update] = planUpdate(trace, new Map([['crlf.yaml', text]]))
    const diff = unifiedDiff(text, update?.rewrite.text ?? '', 'a/crlf.yaml', 'b/crlf.yaml')
    expect(diff.split('\n').filter((l) => /^[-+]k/.test(l))).toHaveLength(40_000)
    expect(diff).toContain('\n+image: ghcr.io/org/app:1.2.0 # {"$imagepolicy": "flux-system:app"}\n')
  })
})

describe('150,000 ignored markers', () => {
  it('each become a finding (they were spread into one call, which overflows the stack)', () => {
    const entries = Array.from({ length: 150_000 }, (_, i) => ({ file: 'f.yaml', line: i + 1, column: 8, marker: '# {"$imagepolicy": "ns:gone"}', status: 'ignored' as const, reason: { code: 'FIA304', message: 'there is no ImagePolicy ns/gone' }, warnings: [] }))
    const findings = markerFindings(entries, buildSetters('ns', undefined, []), undefined, [], [])
    expect(findings).toHaveLength(150_000)
    expect(findings[149_999]?.location).toEqual({ file: 'f.yaml', line: 150_000, column: 8 })
  })
})
