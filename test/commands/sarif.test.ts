// lint and trace as SARIF 2.1.0. Every log a test produces is validated against the official
// OASIS schema, test/sarif/sarif-schema-2.1.0.json, taken unchanged from the SARIF TC's
// repository (github.com/oasis-tcs/sarif-spec, sarif-2.1/schema/sarif-schema-2.1.0.json; the
// errata01 schema, JSON Schema draft-04, hence ajv-draft-04).

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { FINDING_CODES } from '../../src/core/findings/catalogue.js'
import { renderSarif } from '../../src/render/sarif.js'
import { ROOT, runCli } from '../support/cli.js'
import { writeTree } from '../support/tree.js'

const ajv = new Ajv({ allErrors: true, strict: false })
addFormats(ajv)
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'test/sarif/sarif-schema-2.1.0.json'), 'utf8')))

interface Result {
  ruleId: string
  ruleIndex: number
  level: string
  message: { text: string }
  locations?: { physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn?: number } }; logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[] }[]
  suppressions?: { kind: string; justification: string }[]
}

function sarif(text: string): { runs: { tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string }; helpUri?: string; help: { text: string }; shortDescription: { text: string } }[] } }; results: Result[] }[] } {
  const log = JSON.parse(text)
  const valid = validate(log)
  expect(validate.errors ?? [], 'schema errors').toEqual([])
  expect(valid).toBe(true)
  expect(log.version).toBe('2.1.0')
  expect(log.runs).toHaveLength(1)
  return log
}

const TREE = 'fixtures/lint/trees/marker-other-namespace'

describe('lint -o sarif', () => {
  it('one run whose rules are the catalogue, and a result at the marker with its object', async () => {
    const r = await runCli(['lint', TREE, '-o', 'sarif'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    const run = sarif(r.stdout).runs[0]!
    const rules = run.tool.driver.rules
    expect(run.tool.driver.name).toBe('flux-imgauto')
    expect(rules.map((x) => x.id)).toEqual(Object.keys(FINDING_CODES))
    const fia302 = rules.find((x) => x.id === 'FIA302')!
    expect(fia302).toMatchObject({ shortDescription: { text: FINDING_CODES.FIA302.title }, defaultConfiguration: { level: 'warning' }, helpUri: FINDING_CODES.FIA302.docs })
    expect(fia302.help.text).toContain(FINDING_CODES.FIA302.fix)
    expect(rules.find((x) => x.id === 'FIA124')?.defaultConfiguration.level).toBe('note')
    expect(rules.find((x) => x.id === 'FIA503')?.defaultConfiguration.level).toBe('error')

    expect(run.results).toHaveLength(1)
    const result = run.results[0]!
    expect(rules[result.ruleIndex]?.id).toBe('FIA302')
    expect(result).toMatchObject({ ruleId: 'FIA302', level: 'warning' })
    expect(result.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: `${TREE}/apps/deploy.yaml`, uriBaseId: '%SRCROOT%' }, region: { startLine: 11, startColumn: 18 } },
        logicalLocations: [{ name: 'app', fullyQualifiedName: 'Deployment/apps/app', kind: 'resource' }],
      },
    ])
  })

  it('URIs are relative to the directory it runs in', async () => {
    const r = await runCli(['lint', '.', '-o', 'sarif'], { cwd: join(ROOT, TREE) })
    expect(sarif(r.stdout).runs[0]!.results[0]!.locations?.[0]?.physicalLocation?.artifactLocation).toEqual({ uri: 'apps/deploy.yaml', uriBaseId: '%SRCROOT%' })
  })

  it('keeps suppressed findings, marked as suppressed in source with the reason', async () => {
    const r = await runCli(['lint', 'fixtures/lint/trees/marker-suppressed', '-o', 'sarif', '--fail-on', 'info'])
    expect(r.code).toBe(0)
    const results = sarif(r.stdout).runs[0]!.results
    expect(results.map((x) => [x.ruleId, x.suppressions])).toEqual([['FIA304', [{ kind: 'inSource', justification: 'the api policy lives in the platform repository' }]]])
  })

  it('exits by --fail-on, as the other formats do', async () => {
    expect((await runCli(['lint', TREE, '-o', 'sarif', '--fail-on', 'warning'])).code).toBe(1)
  })

  it('every fixture of the lint suite gives a valid log, each result at a rule of the catalogue', async () => {
    const r = await runCli(['lint', 'fixtures/lint', '-o', 'sarif'])
    const run = sarif(r.stdout).runs[0]!
    expect(run.results.length).toBeGreaterThan(50)
    for (const x of run.results) expect(run.tool.driver.rules[x.ruleIndex]?.id).toBe(x.ruleId)
    // Every finding with a file has its physical location, and lint's findings all have one.
    expect(run.results.filter((x) => !x.locations?.[0]?.physicalLocation)).toEqual([])
    expect(new Set(run.results.map((x) => x.level))).toEqual(new Set(['error', 'warning', 'note']))
  })
})

describe('trace -o sarif', () => {
  it('results for the markers Flux ignores, at the marker, inside its object', async () => {
    const repo = writeTree({
      'clusters/prod/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "web"}\n',
      'clusters/prod/ok.yaml': 'image: ghcr.io/shop/web:2.3.0 # {"$imagepolicy": "flux-system:web"}\n',
      'policies.yaml':
        'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: web, namespace: flux-system}\nspec: {imageRepositoryRef: {name: web}, policy: {semver: {range: ">=2.0.0"}}}\nstatus: {latestRef: {name: ghcr.io/shop/web, tag: 2.4.0}}\n',
    })
    const r = await runCli(['trace', '.', '--path', './clusters/prod', '--policies-file', 'policies.yaml', '-o', 'sarif'], { cwd: repo })
    expect(r.stderr).toBe('')
    const results = sarif(r.stdout).runs[0]!.results
    expect(results.map((x) => [x.ruleId, x.level, x.locations])).toEqual([
      [
        'FIA301',
        'warning',
        [
          {
            physicalLocation: { artifactLocation: { uri: 'clusters/prod/web.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 7, startColumn: 10 } },
            logicalLocations: [{ name: 'web', fullyQualifiedName: 'Deployment/shop/web', kind: 'resource' }],
          },
        ],
      ],
    ])
  })
})

describe('renderSarif', () => {
  it('a finding with neither file nor object has no location; a file outside the run directory gets a file: URI', () => {
    const log = JSON.parse(
      renderSarif(
        [
          { code: 'FIA341', severity: 'error', title: 't', message: 'update.path does not exist', fix: 'f' },
          { code: 'FIA124', severity: 'info', title: 't', message: 'm', fix: 'f', location: { file: 'x.yaml', line: 3 } },
        ],
        { version: '1.2.3', artifact: (file) => ({ uri: `file:///elsewhere/${file}` }) },
      ),
    )
    expect(validate(log)).toBe(true)
    // The schema is live: a level SARIF does not define is refused.
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: 'info' }] }] })).toBe(false)
    expect(log.runs[0].tool.driver.version).toBe('1.2.3')
    expect(log.runs[0].results.map((x: Result) => [x.level, x.locations])).toEqual([
      ['error', undefined],
      ['note', [{ physicalLocation: { artifactLocation: { uri: 'file:///elsewhere/x.yaml' }, region: { startLine: 3 } } }]],
    ])
  })
})
