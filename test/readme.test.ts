// The README's code tables are generated from the catalogue; this test fails when they
// drift, and UPDATE=1 rewrites them (as flux2's golden files do with -update).

import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, FINDING_CODES } from '../src/core/findings/catalogue.js'
import { renderCodes } from '../src/render/codes.js'

const README = new URL('../README.md', import.meta.url)
const START = '<!-- codes:start -->\n'
const END = '<!-- codes:end -->'

describe('README', () => {
  it('carries the code tables generated from the catalogue', () => {
    const text = readFileSync(README, 'utf8')
    const from = text.indexOf(START) + START.length
    const to = text.indexOf(END)
    expect(from).toBeGreaterThan(START.length - 1)
    const want = renderCodes('markdown')
    if (process.env.UPDATE === '1') writeFileSync(README, text.slice(0, from) + want + text.slice(to))
    else expect(text.slice(from, to)).toBe(want)
  })

  it('documents every exit code the errors use', () => {
    const text = readFileSync(README, 'utf8')
    for (const e of Object.values(ERROR_CODES)) expect(text).toMatch(new RegExp(`^\\| ${e.exitCode} \\|`, 'm'))
  })
})

describe('catalogue', () => {
  it('has well-formed, unique codes with a fix', () => {
    for (const [id, c] of Object.entries(FINDING_CODES)) {
      expect(c.code).toBe(id)
      expect(id).toMatch(/^FIA\d{3}$/)
      expect(c.fix.length).toBeGreaterThan(20)
    }
    for (const [id, c] of Object.entries(ERROR_CODES)) expect(c.code).toBe(id)
  })

  it('has every finding code exercised by a test', () => {
    // A code nobody can trigger is dead; a code no test triggers is untested.
    const tests = [
      'test/commands/explain-policy-file.test.ts',
      'test/commands/explain-policy-cluster.test.ts',
      'test/core/explain.test.ts',
      'test/markers/near-miss.test.ts',
      'test/markers/repo-scan.test.ts',
      'test/markers/vectors.test.ts',
      'test/registry/classify.test.ts',
      'test/commands/doctor.test.ts',
      'test/commands/doctor-flux.test.ts',
      'test/core/flux-get.test.ts',
      'test/commands/lint.test.ts',
      'test/commands/preview-commit-message.test.ts',
      'test/markers/change-warnings.test.ts',
      'test/commands/doctor-versions.test.ts',
      'test/doctor/message-families.test.ts',
      'test/lint/repositories.test.ts',
      'test/commands/scaffold.test.ts',
      'test/commands/doctor-artifact.test.ts',
      'test/commands/doctor-fleet.test.ts',
      'test/doctor/catalogue-messages.test.ts',
    ].map((f) => readFileSync(new URL(`../${f}`, import.meta.url), 'utf8')).join('\n')
    // The lint rules' cases state their codes in the fixtures (test/lint/rules.test.ts runs them).
    const lintDir = new URL('../fixtures/lint/', import.meta.url)
    const expects = [
      ...readdirSync(new URL('objects/', lintDir), { withFileTypes: true }).filter((e) => e.isFile()).map(({ name: f }) => readFileSync(new URL(`objects/${f}`, lintDir), 'utf8').split('\n')[0] as string),
      ...readdirSync(new URL('trees/', lintDir)).map((d) => readFileSync(new URL(`trees/${d}/expect`, lintDir), 'utf8')),
    ].flatMap((l) => l.match(/FIA\d{3}/g) ?? [])
    for (const id of Object.keys(FINDING_CODES)) expect(tests.includes(`'${id}'`) || expects.includes(id), id).toBe(true)
  })
})
