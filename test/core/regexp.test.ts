import { RE2JS } from 're2js'
import { describe, expect, it } from 'vitest'
import { compileTemplate, expandCompiled } from '../../src/core/go/expand.js'
import { GoRegexp, GoRegexpSyntaxError } from '../../src/core/go/regexp.js'

// The fast engines must agree with re2js (Go's RE2) on every pattern they accept.
const patterns = [
  '^.*\\.sig$',
  '^main-[a-f0-9]+-(?P<ts>[0-9]+)$',
  '^v?(?P<ver>[0-9]+\\.[0-9]+\\.[0-9]+)(-alpine)?$',
  '(?P<v>.*)-alpine',
  '^[0-9]{14}$',
  '(a+)+$',
  '^(a|ab)(c|bcd)(d*)$',
  'b+',
  '^$',
  '',
  '^rc\\.(\\d+)$',
  '^\\w+-\\s?\\S*$',
  '^[^-]+-(?P<n>[0-9]{1,3})$',
  'x{2,}y?',
  '^(?:dev|stage)-(?P<sha>[a-f0-9]{7})-(?P<ts>\\d+)$',
  '^(1|12)*$',
  '[]a]+',
  '^[a-c-]+$',
  'a.c',
  '^\\$x$',
  'a{,2}',
  '^(?P<a>x)?(y)$',
  '^1\\.2\\.(?P<p>[0-9]+)$',
  '(?i)abc',
  '\\babc\\b',
  '^a|b$',
  '^ab|c',
  'a|bc$',
  '^(a|b)$',
  '^x\\\\$',
  '^x\\$$',
]
const inputs = ['', 'a', 'ba', 'cb', 'x\\', 'x$', 'bca', 'aaaa', 'aaab', 'abcd', 'abbcd', 'main-abc123-20260101', 'main-xyz-1', 'v1.2.3', '1.2.3-alpine', '1.2.3-debian', 'x.sig', 'sig', '20261124101500', 'rc.10', 'foo-bar', 'foo- ', 'dev-abcdef0-123', 'stage-1234567-9', '1212', '121', ']]a', 'a-c', 'abc', 'a\nc', '$x', 'a{,2}', 'y', 'xy', '1.2.33', 'ABC', 'x abc y', 'é-1', 'Café', '1.2.3-é']

describe('GoRegexp agrees with re2js', () => {
  for (const p of patterns) {
    it(`pattern ${JSON.stringify(p)}`, () => {
      const ours = GoRegexp.compile(p)
      const ref = RE2JS.compile(p)
      for (const s of inputs) {
        const m = ref.matcher(s)
        const found = m.find()
        expect(ours.matchString(s), `match ${JSON.stringify(s)}`).toBe(found)
        const groups = found ? Array.from({ length: ref.groupCount() + 1 }, (_, i) => m.group(i) ?? undefined) : undefined
        const sub = ours.findSubmatch(s)
        expect(sub && Array.from(sub), `submatch ${JSON.stringify(s)}`).toEqual(groups)
      }
    })
  }

  it('uses the DFA for the subset and V8 only for one-pass anchored patterns', () => {
    expect(GoRegexp.compile('^main-[a-f0-9]+-(?P<ts>[0-9]+)$').engines).toEqual({ match: 'dfa', submatch: 'v8' })
    expect(GoRegexp.compile('(a+)+$').engines).toEqual({ match: 'dfa', submatch: 're2' })
    expect(GoRegexp.compile('(?P<v>.*)-alpine').engines).toEqual({ match: 'dfa', submatch: 're2' })
    expect(GoRegexp.compile('(?i)abc').engines).toEqual({ match: 're2', submatch: 're2' })
  })

  it("reports Go's compile errors", () => {
    expect(() => GoRegexp.compile('(abc')).toThrow(new GoRegexpSyntaxError('error parsing regexp: missing closing ): `(abc`'))
    expect(() => GoRegexp.compile('(?<=a)b')).toThrow(GoRegexpSyntaxError)
    expect(() => GoRegexp.compile('a{1001}')).toThrow('invalid repeat count')
  })
})

describe('Expand templates follow Regexp.Expand', () => {
  const expandTemplate = (template: string, groups: (string | undefined)[], names: string[]): string => expandCompiled(compileTemplate(template, names), groups)
  const groups = ['main-abc-42', 'abc', '42']
  const names = ['', 'sha', 'ts']
  it.each([
    ['$ts', '42'],
    ['${ts}', '42'],
    ['$2', '42'],
    ['${1}x', 'abcx'],
    ['$1x', ''], // the name is "1x": no such group
    ['$tsx', ''],
    ['$$ts', '$ts'],
    ['$', '$'],
    ['a$-b', 'a$-b'],
    ['${ts', '${ts'],
    ['$9', ''],
    ['$01', ''],
    ['$sha.$ts', 'abc.42'],
    ['v$ts', 'v42'],
  ])('%j expands to %j', (template, want) => {
    expect(expandTemplate(template, groups, names)).toBe(want)
  })
  it('expands a group that did not participate to the empty string', () => {
    expect(expandTemplate('[$1]', ['y', undefined], ['', 'a'])).toBe('[]')
  })
})
