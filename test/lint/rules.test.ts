// Every lint rule has fixtures that must trigger it and near fixtures that must not: each
// case in fixtures/lint states the exact codes lint must report for it ("none" for none).
// Single-file cases (objects/, whose apps/ is the update.path their automations read) say so
// on their first line; directory cases (trees/) in a
// file named expect.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runLint } from '../../src/cli/lint-run.js'
import { FINDING_CODES } from '../../src/core/findings/catalogue.js'
import { ROOT } from '../support/cli.js'

const DIR = join(ROOT, 'fixtures/lint')

function expected(text: string): string[] {
  const codes = text.trim().split(/\s+/)
  return codes[0] === 'none' ? [] : codes
}

const objectCases = readdirSync(join(DIR, 'objects'), { withFileTypes: true }).filter((e) => e.isFile()).map(({ name: f }) => {
  const path = join(DIR, 'objects', f)
  const first = readFileSync(path, 'utf8').split('\n')[0] as string
  return { name: f, path, codes: expected(first.replace(/^# expect:/, '')) }
})
const treeCases = readdirSync(join(DIR, 'trees')).map((d) => ({ name: d, path: join(DIR, 'trees', d), codes: expected(readFileSync(join(DIR, 'trees', d, 'expect'), 'utf8')) }))
const cases = [...objectCases, ...treeCases]

describe('lint rules, case by case', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const run = runLint(c.path, 'flux-system')
    expect(run.findings.map((f) => f.code).sort()).toEqual([...c.codes].sort())
    for (const f of run.findings) expect(f.location?.file).toBeTruthy()
  })

  it('has, for every code a case triggers, a near case that triggers nothing', () => {
    const triggered = new Set(cases.flatMap((c) => c.codes))
    expect(triggered.size).toBeGreaterThan(25)
    for (const code of triggered) expect(code in FINDING_CODES, code).toBe(true)
    expect(cases.filter((c) => c.codes.length === 0).length).toBeGreaterThan(15)
  })
})

describe('what lint reports around a finding', () => {
  it('points at the object: file and the line of its first key', () => {
    const run = runLint(join(DIR, 'objects/semver-unbounded.yaml'), 'flux-system')
    expect(run.findings[0]?.location).toEqual({ file: 'semver-unbounded.yaml', line: 2 })
    expect(run.findings[0]?.subject).toEqual({ kind: 'ImagePolicy', namespace: 'flux-system', name: 'app' })
  })

  it('points at the marker, relative to the linted directory', () => {
    const run = runLint(join(DIR, 'trees/marker-other-namespace'), 'flux-system')
    expect(run.findings[0]?.location).toEqual({ file: 'apps/deploy.yaml', line: 11, column: 18 })
  })

  it('lists a suppressed finding with its reason instead of reporting it', () => {
    const run = runLint(join(DIR, 'trees/marker-suppressed'), 'flux-system')
    expect(run.result.suppressed.map((s) => [s.finding.code, s.reason])).toEqual([['FIA304', 'the api policy lives in the platform repository']])
  })

  it('places objects without a namespace in the default namespace', () => {
    const run = runLint(join(DIR, 'objects/semver-bounded.yaml'), 'apps')
    expect(run.result.objects).toEqual([{ kind: 'ImagePolicy', namespace: 'flux-system', name: 'app', file: 'semver-bounded.yaml', line: 2 }])
  })
})
