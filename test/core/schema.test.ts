// The typed reading of Flux objects: wrong types are named by field, and every object in
// the repository's own fixtures (written as the controllers and kubectl write them) passes.

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { describeIssue, fieldIssues } from '../../src/core/objects/schema.js'

const API = 'image.toolkit.fluxcd.io/v1'

describe('fieldIssues', () => {
  it.each([
    [{ apiVersion: API, kind: 'ImagePolicy', spec: { policy: { semver: { range: 7 } } } }, ['spec.policy.semver.range must be a string, not a number (7)']],
    [{ apiVersion: API, kind: 'ImagePolicy', spec: { filterTags: { pattern: '^v', extract: ['$1'] } } }, ['spec.filterTags.extract must be a string, not a list']],
    [{ apiVersion: API, kind: 'ImageRepository', spec: { image: 'ghcr.io/a/b', exclusionList: ['^x$', 3], insecure: 'yes' } }, ['spec.exclusionList[1] must be a string, not a number (3)', 'spec.insecure must be true or false, not a string ("yes")']],
    [{ apiVersion: API, kind: 'ImageRepository', status: { lastScanResult: { tagCount: 1.5, latestTags: 'v1' } } }, ['status.lastScanResult.tagCount must be an integer, not a number (1.5)', 'status.lastScanResult.latestTags must be a list of strings, not a string ("v1")']],
    [{ apiVersion: API, kind: 'ImageUpdateAutomation', spec: { update: { path: 5 }, policySelector: { matchExpressions: [{ key: 'a', operator: 'In', values: [1] }] } } }, ['spec.policySelector.matchExpressions[0].values[0] must be a string, not a number (1)', 'spec.update.path must be a string, not a number (5)']],
    [{ apiVersion: API, kind: 'ImageUpdateAutomation', spec: { git: { commit: { messageTemplateValues: { replicas: 3 } } } } }, ['spec.git.commit.messageTemplateValues.replicas must be a string, not a number (3)']],
    [{ apiVersion: API, kind: ['ImagePolicy'], metadata: { name: ['a'] } }, ['kind must be a string, not a list', 'metadata.name must be a string, not a list']],
    [{ apiVersion: API, kind: 'ImagePolicy', spec: 3 }, ['spec must be a mapping, not a number (3)']],
    // null is "unset", as the API server prunes it.
    [{ apiVersion: API, kind: 'ImagePolicy', spec: { filterTags: null, policy: { semver: { range: '>=1.0.0' } } } }, []],
  ])('%j', (o, want) => {
    expect(fieldIssues(o).map(describeIssue).sort()).toEqual([...want].sort())
  })

  it("finds nothing wrong in any object of the repository's fixtures", () => {
    const files: string[] = []
    const walk = (d: string): void => {
      for (const n of readdirSync(d)) {
        const p = join(d, n)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.ya?ml$/.test(n)) files.push(p)
      }
    }
    walk('fixtures')
    let checked = 0
    for (const f of files) {
      for (const doc of parseAllDocuments(readFileSync(f, 'utf8'))) {
        if (doc.errors.length > 0) continue
        const v = doc.toJS() as { kind?: string; items?: unknown[] } | null
        for (const o of v && Array.isArray(v.items) ? v.items : [v]) {
          const kind = (o as { kind?: unknown } | null)?.kind
          if (!['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'].includes(kind as string)) continue
          // The fixtures that exist to carry a wrong type are named so.
          if (/\/wrong-type[^/]*$/.test(f)) continue
          expect(fieldIssues(o).map(describeIssue), `${f}`).toEqual([])
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(100)
  })
})
