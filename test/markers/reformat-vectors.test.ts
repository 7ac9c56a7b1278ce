// ../shared/vectors/flux-reformat: 40 repositories and the files image-automation-controller
// v1.2.1's own code writes for them. Each case runs through the core as preview does (scan,
// trace, plan) and every written file must be byte-identical, with nothing more or less.

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { scanRepository } from '../../src/adapters/repo-files.js'
import type { PolicyLike } from '../../src/core/markers/setters.js'
import { traceMarkers } from '../../src/core/markers/trace.js'
import { planUpdate } from '../../src/core/markers/update.js'
import { listTree } from '../support/tree.js'

const REFORMAT = fileURLToPath(new URL('../../../shared/vectors/flux-reformat/', import.meta.url))
const CASES = readdirSync(join(REFORMAT, 'cases')).sort()

// Cases the port does not reproduce yet: each must still fail, so the list shrinks when one is fixed.
const KNOWN_GAPS = new Set<string>([])

const policies = (parse(readFileSync(join(REFORMAT, 'policies.yaml'), 'utf8')) as { items: PolicyLike[] }).items

function run(name: string): { written: Map<string, string>; expected: Map<string, string> } {
  const dir = join(REFORMAT, 'cases', name)
  const automation = JSON.parse(readFileSync(join(dir, 'automation.json'), 'utf8')) as { metadata: { namespace: string }; spec: { update: { path: string } } }
  const scan = scanRepository(join(dir, 'repo'), automation.spec.update.path)
  const trace = traceMarkers({ namespace: automation.metadata.namespace }, policies, scan)
  const updates = planUpdate(trace, new Map(scan.files.map((f) => [f.path, f.text])))
  const written = new Map(updates.map((u) => [u.file, u.rewrite.text]))
  const expected = existsSync(join(dir, 'expected')) ? listTree(join(dir, 'expected')) : new Map<string, string>()
  return { written, expected }
}

describe('flux-reformat vectors (image-automation-controller v1.2.1 writes)', () => {
  it('has the 40 cases', () => {
    expect(CASES).toHaveLength(40)
  })

  it.each(CASES.filter((c) => !KNOWN_GAPS.has(c)))('%s: the same files, byte for byte', (name) => {
    const { written, expected } = run(name)
    expect([...written.keys()].sort()).toEqual([...expected.keys()].sort())
    for (const [file, content] of expected) expect(written.get(file), file).toBe(content)
  })

  it.each([...KNOWN_GAPS])('%s: still a known gap', (name) => {
    const { written, expected } = run(name)
    const same = written.size === expected.size && [...expected].every(([f, c]) => written.get(f) === c)
    expect(same).toBe(false)
  })
})
