import { describe, expect, it } from 'vitest'
import { replayPolicy } from '../../src/index.js'
import type { ImagePolicySpec, ReplayResult } from '../../src/index.js'

const semver = (range: string, filterTags?: ImagePolicySpec['filterTags']): ImagePolicySpec => ({ policy: { semver: { range } }, ...(filterTags ? { filterTags } : {}) })
const numerical = (order?: string, filterTags?: ImagePolicySpec['filterTags']): ImagePolicySpec => ({ policy: { numerical: order === undefined ? {} : { order } }, ...(filterTags ? { filterTags } : {}) })
const alphabetical = (order?: string, filterTags?: ImagePolicySpec['filterTags']): ImagePolicySpec => ({ policy: { alphabetical: order === undefined ? {} : { order } }, ...(filterTags ? { filterTags } : {}) })

function verdictOf(r: ReplayResult, tag: string): string | undefined {
  return r.tags.find((t) => t.tag === tag)?.verdict
}

interface Case {
  name: string
  spec: ImagePolicySpec
  tags: string[]
  exclusionList?: string[]
  latest?: string
  error?: string
  verdicts?: Record<string, string>
}

const cases: Case[] = [
  // semver
  { name: 'semver picks the highest in range', spec: semver('>=1.0.0 <2.0.0'), tags: ['1.0.0', '1.9.3', '2.0.0', '0.9.0'], latest: '1.9.3', verdicts: { '2.0.0': 'out-of-range', '0.9.0': 'out-of-range', '1.0.0': 'candidate' } },
  { name: 'semver: v1.2.3 beats 1.2.3 (byte-largest of equal versions)', spec: semver('*'), tags: ['1.2.3', 'v1.2.3'], latest: 'v1.2.3', verdicts: { '1.2.3': 'candidate' } },
  { name: 'semver: build metadata ties too', spec: semver('*'), tags: ['1.2.3+a', '1.2.3+b'], latest: '1.2.3+b' },
  { name: 'semver excludes pre-releases unless the range names one', spec: semver('>=1.0.0'), tags: ['1.0.0', '1.1.0-rc.1'], latest: '1.0.0', verdicts: { '1.1.0-rc.1': 'prerelease-excluded' } },
  { name: 'semver: -0 admits pre-releases for the whole AND group', spec: semver('>=1.0.0-0 <2.0.0'), tags: ['1.0.0', '1.1.0-rc.1'], latest: '1.1.0-rc.1' },
  { name: 'semver: tags need three dot-separated parts', spec: semver('*'), tags: ['1.2', '7', '20240101', 'latest'], error: 'unable to determine latest version from provided list', verdicts: { '1.2': 'not-a-version' } },
  { name: 'semver: leading zeros are accepted (CalVer)', spec: semver('>=2022.0.0'), tags: ['2022.04.0', '2021.12.1'], latest: '2022.04.0' },
  { name: 'semver: rc9 sorts above rc10', spec: semver('>=1.0.0-0'), tags: ['1.0.0-rc9', '1.0.0-rc10'], latest: '1.0.0-rc9' },
  { name: 'semver: a range that matches nothing', spec: semver('1.0.x'), tags: ['1.1.0', '1.2.0'], error: 'unable to determine latest version from provided list' },
  { name: 'semver: an invalid range stalls the policy', spec: semver('>=1.0 <<'), tags: ['1.0.0'], error: 'invalid policy: improper constraint: ">=1.0 <<"', verdicts: { '1.0.0': 'unevaluated' } },
  // filterTags and extract
  { name: 'extract a semver from <semver>-<distro>', spec: semver('>=7.0.0', { pattern: '^(?P<ver>[0-9.]+)-alpine$', extract: '$ver' }), tags: ['7.2.4-alpine', '7.2.5-debian', '7.2.3-alpine'], latest: '7.2.4-alpine', verdicts: { '7.2.5-debian': 'no-match' } },
  { name: 'extract collisions keep the byte-smallest original', spec: semver('*', { pattern: '^(?P<v>[0-9.]+)-.*$', extract: '$v' }), tags: ['1.2.3-debian', '1.2.3-alpine', '1.2.2-alpine'], latest: '1.2.3-alpine', verdicts: { '1.2.3-debian': 'collided' } },
  { name: 'a filter that matches nothing', spec: semver('*', { pattern: '^release-' }), tags: ['1.0.0'], error: 'version list argument cannot be empty', verdicts: { '1.0.0': 'no-match' } },
  { name: 'the pattern is unanchored', spec: semver('*', { pattern: '[0-9]+\\.[0-9]+\\.[0-9]+' }), tags: ['app-1.2.3', 'x'], error: 'unable to determine latest version from provided list', verdicts: { 'app-1.2.3': 'not-a-version', x: 'no-match' } },
  { name: 'an empty pattern matches everything', spec: semver('*', { pattern: '' }), tags: ['1.0.0', '2.0.0'], latest: '2.0.0' },
  { name: '$1x names a group called 1x: every tag extracts to ""', spec: numerical('asc', { pattern: '^b-([0-9]+)$', extract: '$1x' }), tags: ['b-1', 'b-2'], error: "failed to parse invalid numeric value ''" },
  { name: 'an invalid filter pattern', spec: semver('*', { pattern: '(?<=v)1' }), tags: ['1.0.0'], error: "failed to filter tags: invalid regular expression pattern '(?<=v)1': error parsing regexp: invalid named capture: `(?<=v)1`" },
  // numerical
  { name: 'numerical asc picks the largest', spec: numerical('asc', { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' }), tags: ['main-aaa-100', 'main-bbb-20', 'feature-x-999'], latest: 'main-aaa-100' },
  { name: 'numerical desc picks the smallest', spec: numerical('desc'), tags: ['100', '20', '3'], latest: '3' },
  { name: 'numerical: order defaults to asc', spec: numerical(), tags: ['100', '20'], latest: '100' },
  { name: 'numerical: one bad value fails all, naming the byte-largest', spec: numerical('asc'), tags: ['10', 'abc', 'xyz', '20'], error: "failed to parse invalid numeric value 'xyz'", verdicts: { abc: 'not-numeric', '10': 'candidate' } },
  { name: 'numerical: Go syntax, not JavaScript Number()', spec: numerical('asc'), tags: ['1_000', '999', '0x1p4'], latest: '1_000' },
  { name: 'numerical: 0x10 is not a Go float', spec: numerical('asc'), tags: ['0x10'], error: "failed to parse invalid numeric value '0x10'" },
  { name: 'numerical: equal values, the byte-smallest wins', spec: numerical('asc'), tags: ['1.0', '1', '01'], latest: '01' },
  // Equal infinities tie like any equal values (expected picks from Go: internal/policy/numerical.go's loop over descending byte order).
  { name: 'numerical asc: inf, +Inf and infinity tie; the byte-smallest wins', spec: numerical('asc'), tags: ['inf', '+Inf', 'infinity', '1'], latest: '+Inf' },
  { name: 'numerical desc: -inf, -Inf and -infinity tie', spec: numerical('desc'), tags: ['-inf', '-Inf', '-infinity', '1'], latest: '-Inf' },
  { name: 'numerical asc: only infinities', spec: numerical('asc'), tags: ['Inf', '+inf', 'INF'], latest: '+inf' },
  { name: 'numerical desc: only infinities', spec: numerical('desc'), tags: ['Inf', '+inf', 'INF'], latest: '+inf' },
  { name: 'numerical asc: Infinity spellings against a number', spec: numerical('asc'), tags: ['inf', 'Infinity', '+INFINITY', '2'], latest: '+INFINITY' },
  { name: 'numerical desc: both infinities of both signs', spec: numerical('desc'), tags: ['1', '2', 'inf', '-inf', '+Inf', '-Inf'], latest: '-Inf' },
  { name: 'numerical: NaN is replaced by the next value', spec: numerical('asc'), tags: ['NaN', '5', '3'], latest: '5' },
  { name: 'numerical: NaN alone wins', spec: numerical('asc'), tags: ['NaN'], latest: 'NaN' },
  { name: 'numerical desc with NaN', spec: numerical('desc'), tags: ['NaN', '5', '3'], latest: '3' },
  // alphabetical
  { name: 'alphabetical asc picks the last', spec: alphabetical('asc'), tags: ['20260101', '20261124', 'latest'], latest: 'latest' },
  { name: 'alphabetical desc picks the first', spec: alphabetical('desc'), tags: ['b', 'a', 'c'], latest: 'a' },
  { name: 'alphabetical: order is case-insensitive', spec: alphabetical('Desc'), tags: ['b', 'a'], latest: 'a' },
  { name: 'alphabetical: byte order, not UTF-16 order', spec: alphabetical('asc'), tags: ['\uE000', '\u{1F600}'], latest: '\u{1F600}' },
  { name: 'alphabetical: unpadded timestamps sort as strings', spec: alphabetical('asc'), tags: ['20220209-4', '20220209-22'], latest: '20220209-4' },
  { name: 'an invalid order', spec: alphabetical('newest'), tags: ['a'], error: "invalid policy: invalid order argument provided: 'NEWEST', must be one of: ASC, DESC" },
  { name: 'no policy choice', spec: {}, tags: ['a'], error: 'invalid policy: given ImagePolicyChoice object is invalid' },
  // exclusionList and the order of checks
  { name: 'the default exclusionList drops .sig tags', spec: alphabetical('asc'), tags: ['sha256-abc.sig', 'a'], latest: 'a', verdicts: { 'sha256-abc.sig': 'excluded' } },
  { name: 'a custom exclusionList replaces the default', spec: alphabetical('asc'), tags: ['sha256-abc.sig', 'a', 'latest'], exclusionList: ['^latest$'], latest: 'sha256-abc.sig', verdicts: { latest: 'excluded' } },
  { name: 'an empty exclusionList means the default', spec: alphabetical('asc'), tags: ['z.sig', 'a'], exclusionList: [], latest: 'a' },
  { name: 'an exclusion pattern that does not compile fails the scan first', spec: semver('>=1.0 <<'), tags: ['1.0.0'], exclusionList: ['(x'], error: 'scan failed: failed to compile regex (x: error parsing regexp: missing closing ): `(x`' },
  { name: 'an invalid policy comes before an empty database', spec: semver('nope'), tags: [], error: 'invalid policy: improper constraint: "nope"' },
  { name: 'an empty database comes before an invalid filter', spec: semver('*', { pattern: '(' }), tags: [], error: 'no tags in database' },
  { name: 'every tag excluded means no tags in database', spec: semver('*'), tags: ['a.sig'], error: 'no tags in database' },
]

describe('replayPolicy', () => {
  it.each(cases)('$name', (c) => {
    const r = replayPolicy({ spec: c.spec, tags: c.tags, ...(c.exclusionList ? { exclusionList: c.exclusionList } : {}) })
    expect(r.latest).toBe(c.latest)
    expect(r.error).toBe(c.error)
    if (c.latest !== undefined) expect(verdictOf(r, c.latest)).toBe('winner')
    for (const [tag, verdict] of Object.entries(c.verdicts ?? {})) expect(verdictOf(r, tag), tag).toBe(verdict)
    // Every input tag has exactly one verdict, in input order, unless the scan failed.
    if (!r.error?.startsWith('scan failed')) expect(r.tags.map((t) => t.tag)).toEqual(c.tags)
  })

  it('says when Go map order decides between equal versions', () => {
    const r = replayPolicy({ spec: semver('*', { pattern: '^(.*)$', extract: '$1' }), tags: ['v1.0.0', '1.0.0', '0.9.0'] })
    expect(r.ambiguous?.sort()).toEqual(['1.0.0', 'v1.0.0'])
    expect(verdictOf(r, '1.0.0')).toBe('tied')
    expect(verdictOf(r, 'v1.0.0')).toBe('tied')
    expect(r.notes.join(' ')).toMatch(/map order/)
  })

  it('says when Go map order decides between equal numbers', () => {
    const r = replayPolicy({ spec: numerical('asc', { pattern: '^b-(.*)$', extract: '$1' }), tags: ['b-1', 'b-1.0', 'b-0'] })
    expect(r.ambiguous?.sort()).toEqual(['b-1', 'b-1.0'])
  })

  it('reports the extracted value and ranks candidates best first', () => {
    const r = replayPolicy({ spec: numerical('asc', { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' }), tags: ['main-aaa-100', 'main-bbb-20', 'main-ccc-300'], top: 2 })
    expect(r.tags.find((t) => t.tag === 'main-bbb-20')?.extracted).toBe('20')
    expect(r.ranking).toEqual(['main-ccc-300', 'main-aaa-100'])
  })

  it('replays a catastrophic-backtracking pattern over long tags', () => {
    const tags = Array.from({ length: 2000 }, (_, i) => 'a'.repeat(60) + (i % 2 === 0 ? '!' : '') + i)
    const r = replayPolicy({ spec: alphabetical('asc', { pattern: '(a+)+$' }), tags })
    expect(r.error).toBe('version list argument cannot be empty')
    const r2 = replayPolicy({ spec: alphabetical('asc', { pattern: '^(a+)+$' }), tags: ['aaaa', 'aaaaaaa', 'aab'] })
    expect(r2.latest).toBe('aaaaaaa')
  })
})

describe('ranking', () => {
  it('ranks the best candidates first whatever the input order', async () => {
    const { selectTop } = await import('../../src/core/policy/policers/policer.js')
    const asc = Array.from({ length: 1000 }, (_, i) => i)
    const byValueDesc = (a: number, b: number): number => b - a
    expect(selectTop(asc, 5, byValueDesc)).toEqual([999, 998, 997, 996, 995])
    expect(selectTop([...asc].reverse(), 5, byValueDesc)).toEqual([999, 998, 997, 996, 995])
    const shuffled = asc.map((v, i) => (v * 7919 + i) % 1000)
    expect(selectTop(shuffled, 3, byValueDesc)).toEqual([...shuffled].sort(byValueDesc).slice(0, 3))
    expect(selectTop([3, 3, 1, 3], 2, byValueDesc)).toEqual([3, 3])
    expect(selectTop([1, 2], 5, byValueDesc)).toEqual([2, 1])
    expect(selectTop([1, 2], 0, byValueDesc)).toEqual([])
  })
})

describe('semver ranking', () => {
  it('orders candidates as Masterminds compares them, huge segments included', () => {
    const tags = ['1.0.0', '1.0.0-rc.2', '1.0.0-rc.10', '9007199254740993.0.0', '9007199254740992.0.0', '0.9.9', 'v1.0.0', '1.0.0-beta']
    const r = replayPolicy({ spec: semver('>=0.0.0-0'), tags, top: 10 })
    expect(r.ranking).toEqual(['9007199254740993.0.0', '9007199254740992.0.0', 'v1.0.0', '1.0.0', '1.0.0-rc.10', '1.0.0-rc.2', '1.0.0-beta', '0.9.9'])
    expect(r.latest).toBe('9007199254740993.0.0')
  })
})
