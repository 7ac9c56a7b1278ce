import { describe, expect, it } from 'vitest'
import { explainPolicy, type ExplainInput, type ImagePolicyObject, type ImageRepositoryObject, type TagSource } from '../../src/core/policy/explain.js'
import type { ImagePolicySpec } from '../../src/core/policy/types.js'

const meta = { name: 'app', namespace: 'flux-system' }
const fileTags = (tags: string[]): TagSource => ({ kind: 'file', description: 'tags.txt', tags, complete: true })

interface Case {
  name: string
  spec: ImagePolicySpec
  tags?: string[]
  source?: TagSource
  repository?: ImageRepositoryObject
  status?: ImagePolicyObject['status']
  codes: string[]
}

function run(c: Case): string[] {
  const input: ExplainInput = {
    policy: { metadata: meta, spec: c.spec, ...(c.status ? { status: c.status } : {}) },
    ...(c.repository ? { repository: c.repository } : {}),
    tags: c.source ?? fileTags(c.tags ?? ['1.0.0']),
    fromCluster: c.status !== undefined,
  }
  return explainPolicy(input).findings.map((f) => f.code).sort()
}

const semver = (range: string): ImagePolicySpec => ({ policy: { semver: { range } } })

// Each code with cases that must raise it and near cases that must not.
const cases: Case[] = [
  { name: 'an exclusion pattern that does not compile', spec: semver('>=1.0.0 <2.0.0'), repository: { metadata: meta, spec: { exclusionList: ['('] } }, codes: ['FIA101'] },
  { name: 'a valid exclusion pattern', spec: semver('>=1.0.0 <2.0.0'), repository: { metadata: meta, spec: { exclusionList: ['^x$'] } }, codes: [] },
  { name: 'an invalid range', spec: semver('>>1'), codes: ['FIA102'] },
  { name: 'an invalid order', spec: { policy: { alphabetical: { order: 'newest' } } }, codes: ['FIA102'] },
  { name: 'no tags', spec: semver('>=1.0.0 <2.0.0'), tags: [], codes: ['FIA103'] },
  { name: 'only excluded tags', spec: semver('>=1.0.0 <2.0.0'), tags: ['a.sig'], codes: ['FIA103'] },
  { name: 'a filter that does not compile', spec: { ...semver('>=1.0.0 <2.0.0'), filterTags: { pattern: '^(x$' } }, codes: ['FIA104'] },
  { name: 'a range no tag satisfies', spec: semver('>=3.0.0 <4.0.0'), tags: ['1.0.0', '2.0.0-rc.1'], codes: ['FIA105'] },
  { name: 'a filter that matches nothing', spec: { ...semver('>=1.0.0 <2.0.0'), filterTags: { pattern: '^release-[0-9.]+$' } }, codes: ['FIA106'] },
  { name: 'a non-numeric value', spec: { policy: { numerical: { order: 'asc' } } }, tags: ['10', 'main'], codes: ['FIA107'] },
  { name: 'numbers only', spec: { policy: { numerical: { order: 'asc' } } }, tags: ['10', '11'], codes: [] },
  { name: 'the cluster picked another tag', spec: semver('>=1.0.0 <2.0.0'), tags: ['1.0.0', '1.1.0'], status: { latestRef: { name: 'app', tag: '1.0.0' } }, codes: ['FIA110'] },
  { name: 'the cluster agrees', spec: semver('>=1.0.0 <2.0.0'), tags: ['1.0.0', '1.1.0'], status: { latestRef: { name: 'app', tag: '1.1.0' } }, codes: [] },
  { name: 'a failing policy with a stale latestRef', spec: semver('>=3.0.0 <4.0.0'), tags: ['1.0.0'], status: { latestRef: { name: 'app', tag: '2.0.0' } }, codes: ['FIA105', 'FIA111'] },
  { name: 'tags from the status only', spec: semver('>=1.0.0 <2.0.0'), source: { kind: 'status', description: 'status', tags: ['1.0.0'], complete: false }, codes: ['FIA112'] },
  { name: 'a complete status list', spec: semver('>=1.0.0 <2.0.0'), source: { kind: 'status', description: 'status', tags: ['1.0.0'], complete: true }, codes: [] },
  { name: 'a range with no upper bound', spec: semver('>=1.0.0'), codes: ['FIA120'] },
  { name: 'a wildcard range', spec: semver('*'), codes: ['FIA120'] },
  { name: 'an unbounded OR group', spec: semver('^1.0.0 || >=3.0.0'), codes: ['FIA120'] },
  { name: 'a caret range', spec: semver('^1.0.0'), codes: [] },
  { name: 'a tilde range', spec: semver('~1.2'), tags: ['1.2.5'], codes: [] },
  { name: 'an x range', spec: semver('1.x'), codes: [] },
  { name: 'a range that admits pre-releases', spec: semver('>=1.0.0-0 <2.0.0'), codes: ['FIA121'] },
  { name: 'latest among alphabetical candidates', spec: { policy: { alphabetical: { order: 'asc' } } }, tags: ['20260101', 'latest'], codes: ['FIA122'] },
  { name: 'an alphabetical policy behind an anchored filter', spec: { policy: { alphabetical: { order: 'asc' } }, filterTags: { pattern: '^[0-9]{8}$' } }, tags: ['20260101', 'latest'], codes: [] },
  { name: 'an alphabetical pick over numbers of varying width', spec: { policy: { alphabetical: {} }, filterTags: { pattern: '^v[0-9]+\\.[0-9]+$' } }, tags: ['v9.99', 'v10.00'], codes: ['FIA131'] },
  { name: 'build numbers of varying width: -9 beats -10', spec: { policy: { alphabetical: {} }, filterTags: { pattern: '^v[0-9]{4}\\.[0-9]{2}\\.[0-9]{2}-[0-9]+$' } }, tags: ['v2026.02.12-10', 'v2026.02.12-9'], codes: ['FIA131'] },
  { name: 'an alphabetical pick over fixed-width numbers', spec: { policy: { alphabetical: {} }, filterTags: { pattern: '^v[0-9]+\\.[0-9]+$' } }, tags: ['v09.99', 'v10.00'], codes: [] },
  { name: 'a custom exclusionList lets a signature tag win', spec: { policy: { alphabetical: {} } }, repository: { metadata: meta, spec: { exclusionList: ['^latest$'] } }, tags: ['20260101', `sha256-${'ab'.repeat(32)}.sig`], codes: ['FIA132'] },
  { name: "Flux's default exclusionList drops the signature tag", spec: { policy: { alphabetical: {} } }, tags: ['20260101', `sha256-${'ab'.repeat(32)}.sig`], codes: [] },
  { name: 'order desc', spec: { policy: { numerical: { order: 'desc' } } }, tags: ['1', '2'], codes: ['FIA123'] },
  { name: 'an unanchored filter', spec: { policy: { numerical: { order: 'asc' } }, filterTags: { pattern: '[0-9]+$', extract: '$0' } }, tags: ['b-1', 'b-2'], codes: ['FIA124'] },
  { name: 'an anchored filter', spec: { policy: { numerical: { order: 'asc' } }, filterTags: { pattern: '^b-([0-9]+)$', extract: '$1' } }, tags: ['b-1', 'b-2'], codes: [] },
  { name: 'extract collisions', spec: { ...semver('>=1.0.0 <2.0.0'), filterTags: { pattern: '^(?P<v>[0-9.]+)-[a-z]+$', extract: '$v' } }, tags: ['1.2.3-alpine', '1.2.3-debian'], codes: ['FIA125'] },
  { name: 'a tie decided by Go map order', spec: { ...semver('>=1.0.0 <2.0.0'), filterTags: { pattern: '^(.*)$', extract: '$1' } }, tags: ['v1.2.3', '1.2.3'], codes: ['FIA126'] },
]

describe('explainPolicy findings', () => {
  it.each(cases)('$name → $codes', (c) => {
    expect(run(c)).toEqual(c.codes)
  })

  it('gives each finding its subject and the evidence behind it', () => {
    const { findings } = explainPolicy({ policy: { metadata: meta, spec: semver('>=3.0.0 <4.0.0') }, tags: fileTags(['1.0.0', '2.0.0-rc.1', 'latest']), fromCluster: false })
    expect(findings[0]).toMatchObject({
      code: 'FIA105',
      severity: 'error',
      message: 'unable to determine latest version from provided list (0 prerelease-excluded, 2 out-of-range, 1 not-a-version)',
      subject: { kind: 'ImagePolicy', namespace: 'flux-system', name: 'app' },
    })
    expect(findings[0]?.evidence).toHaveLength(3)
  })
})
