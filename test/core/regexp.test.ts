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

// regexp.Compile's error text for each of regexp/syntax's error codes, and patterns Go
// accepts; expected texts printed by Go's own regexp.Compile ('' when it compiles).
describe("Go's regexp.Compile errors, text for text", () => {
  it.each([
    ["$+", ""],
    ["((((((((((a", "error parsing regexp: missing closing ): `((((((((((a`"],
    ["(*)", "error parsing regexp: missing argument to repetition operator: `*`"],
    ["(?", "error parsing regexp: invalid or unsupported Perl syntax: `(?`"],
    ["(?!a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?!`"],
    ["(?:a", "error parsing regexp: missing closing ): `(?:a`"],
    ["(?:a)?*", "error parsing regexp: invalid nested repetition operator: `?*`"],
    ["(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"],
    ["(?P<1a>a)", ""],
    ["(?P<>a)", "error parsing regexp: invalid named capture: `(?P<>`"],
    ["(?P<n>a)(?P<n>b)", ""],
    ["(?P=n)", "error parsing regexp: invalid or unsupported Perl syntax: `(?P`"],
    ["(?i", "error parsing regexp: invalid or unsupported Perl syntax: `(?i`"],
    ["(?i)(?P<n", "error parsing regexp: invalid named capture: `(?P<n`"],
    ["(?z)", "error parsing regexp: invalid or unsupported Perl syntax: `(?z`"],
    ["(abc", "error parsing regexp: missing closing ): `(abc`"],
    ["(|)", ""],
    [")", "error parsing regexp: unexpected ): `)`"],
    ["*", "error parsing regexp: missing argument to repetition operator: `*`"],
    ["+a", "error parsing regexp: missing argument to repetition operator: `+`"],
    ["?", "error parsing regexp: missing argument to repetition operator: `?`"],
    ["[[:alpha:]", "error parsing regexp: missing closing ]: `[[:alpha:]`"],
    ["[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`"],
    ["[\\", "error parsing regexp: trailing backslash at end of expression: ``"],
    ["[\\Q]", "error parsing regexp: invalid escape sequence: `\\Q`"],
    ["[\\d-z]", ""],
    ["[\\z]", "error parsing regexp: invalid escape sequence: `\\z`"],
    ["[]", "error parsing regexp: missing closing ]: `[]`"],
    ["[a", "error parsing regexp: missing closing ]: `[a`"],
    ["[a-", "error parsing regexp: missing closing ]: `[a-`"],
    ["[a-\\d]", "error parsing regexp: invalid escape sequence: `\\d`"],
    ["[a-b-c]", ""],
    ["[a\\", "error parsing regexp: trailing backslash at end of expression: ``"],
    ["[z-a]", "error parsing regexp: invalid character class range: `z-a`"],
    ["\\", "error parsing regexp: trailing backslash at end of expression: ``"],
    ["\\0", ""],
    ["\\1", "error parsing regexp: invalid escape sequence: `\\1`"],
    ["\\8", "error parsing regexp: invalid escape sequence: `\\8`"],
    ["\\C", "error parsing regexp: invalid escape sequence: `\\C`"],
    ["\\Q", ""],
    ["\\\\\\", "error parsing regexp: trailing backslash at end of expression: ``"],
    ["\\b*", ""],
    ["\\pX", "error parsing regexp: invalid character class range: `\\pX`"],
    ["\\p{", "error parsing regexp: invalid character class range: `\\p{`"],
    ["\\p{Foo}", "error parsing regexp: invalid character class range: `\\p{Foo}`"],
    ["\\p{L", "error parsing regexp: invalid character class range: `\\p{L`"],
    ["\\xZZ", "error parsing regexp: invalid escape sequence: `\\xZZ`"],
    ["\\x{110000}", "error parsing regexp: invalid escape sequence: `\\x{110000`"],
    ["\\x{12", "error parsing regexp: invalid escape sequence: `\\x{12`"],
    ["\\z", ""],
    ["^*", ""],
    ["a(?P<x", "error parsing regexp: invalid named capture: `(?P<x`"],
    ["a**", "error parsing regexp: invalid nested repetition operator: `**`"],
    ["a*+", "error parsing regexp: invalid nested repetition operator: `*+`"],
    ["a??+", "error parsing regexp: invalid nested repetition operator: `??+`"],
    ["a\\", "error parsing regexp: trailing backslash at end of expression: ``"],
    ["ab\\", "error parsing regexp: trailing backslash at end of expression: ``"],
    ["abc)", "error parsing regexp: unexpected ): `abc)`"],
    ["a{1,1001}", "error parsing regexp: invalid repeat count: `{1,1001}`"],
    ["a{1000}{1000}", "error parsing regexp: invalid nested repetition operator: `{1000}{1000}`"],
    ["a{1001", ""],
    ["a{2}*", "error parsing regexp: invalid nested repetition operator: `{2}*`"],
    ["a{2}{3}", "error parsing regexp: invalid nested repetition operator: `{2}{3}`"],
    ["a|*", "error parsing regexp: missing argument to repetition operator: `*`"],
    ["x{,}", ""],
    ["x{1001}", "error parsing regexp: invalid repeat count: `{1001}`"],
    ["x{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`"],
    ["x{2}{,3}", ""],
    // Go 1.22+ (Flux builds with Go 1.26) reads "(?<" as a named group.
    ['(?<n>a)', ''],
    ['(?<=a)', 'error parsing regexp: invalid named capture: `(?<=a)`'],
  ])('%j', (pattern, want) => {
    let got = ''
    try {
      GoRegexp.compile(pattern)
    } catch (e) {
      if (!(e instanceof GoRegexpSyntaxError)) throw e
      got = e.message
    }
    expect(got).toBe(want)
  })

  it('quotes the whole expression when it nests too deeply', () => {
    const deep = '('.repeat(1001) + 'a' + ')'.repeat(1001)
    expect(() => GoRegexp.compile(deep)).toThrow(new GoRegexpSyntaxError(`error parsing regexp: expression nests too deeply: \`${deep}\``))
  })
})

describe('groups sharing a name, as Go allows', () => {
  // Go: SubexpNames lists each group's name; Expand takes the leftmost that participated.
  it.each([
    ['(?P<v>a)|(?P<v>b)', 'b', '$v', 'b', ['', 'v', 'v']],
    ['(?P<n>x)(?P<n>y)', 'xy', '$n-${n}', 'x-x', ['', 'n', 'n']],
    ['^(?P<v>[0-9]+)-(?P<v>[a-z]+)?$', '12-', '[$v]', '[12]', ['', 'v', 'v']],
    ['[(?P<v>]|(?P<v>b)(?P<v>c)', 'bc', '$v', 'b', ['', 'v', 'v']],
    ['(?i)(?P<v>a)|(?P<v>b)(?P<v_2>c)', 'BC', '$v.$v_2', 'B.C', ['', 'v', 'v', 'v_2']],
  ])('%j over %j expands %j to %j', (pattern, input, template, want, names) => {
    const re = GoRegexp.compile(pattern)
    expect(re.subexpNames).toEqual(names)
    expect(re.expand(re.template(template), input)).toBe(want)
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
